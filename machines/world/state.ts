import type { Prompt } from '../../domain/economy/attention';
import type { Ledger } from '../../domain/economy/ledger';
import type { Prices } from '../../domain/economy/pricing';
import type { RandomStream } from '../../domain/economy/random';
import type { ResourceBundle } from '../../domain/economy/resources';
import type { Phase } from '../brains/protocol';
import type { Outcome } from '../../domain/economy/events';
import type { CodeWorkspace, HumanResponder, LanguageModel, SpawnPolicy } from './config';
import type { Emission } from '../event-bus';

/** The window an agent is executing in: the only time it may use tokens. */
export interface ExecutionWindow {
  readonly agent_id: string;
  readonly execution_id: string;
  readonly bid_id: string;
  readonly bundle: ResourceBundle;
  readonly token_budget: number;
  readonly tokens_used: number;
}

export interface PendingPrompt extends Prompt {
  readonly prompt: string;
}

export interface RegisteredService {
  readonly provider: string;
  readonly service_name: string;
  readonly cost: number;
  readonly success_rate: number;
  readonly outcomes: readonly Outcome[];
  /** Forked per provider, so one provider's draws never shift another's. */
  readonly random: RandomStream;
}

/** The economy as the orchestrator holds it; every tool and cycle step maps it to a new one. */
export interface WorldState {
  readonly cycle: number;
  readonly ledger: Ledger;
  readonly prices: Prices;
  readonly services: ReadonlyMap<string, RegisteredService>;
  readonly prompts: readonly PendingPrompt[];
  readonly promptsSubmitted: number;
  readonly spawned: number;
  readonly window?: ExecutionWindow;
  /** Sleeping agents and the cycle each wakes at. */
  readonly sleepers: ReadonlyMap<string, number>;
  /** The run's root stream; providers and agents get forks of it. */
  readonly random: RandomStream;
}

/** The pluggable, unchanging parts of the world that tools call on. */
export interface ToolEnvironment {
  readonly model: LanguageModel;
  readonly workspace?: CodeWorkspace;
  readonly spawn: SpawnPolicy;
  readonly token_budget?: number;
  readonly human?: HumanResponder;
}

export interface ToolCallRequest {
  readonly agent_id: string;
  readonly tool_name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly phase: Phase;
}

/** A step of the world: the new state and the events it gave rise to, in order. */
export interface WorldStep {
  readonly world: WorldState;
  readonly emissions: readonly Emission[];
}
