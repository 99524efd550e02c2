import type { Supply } from '../../domain/economy/auction';
import type { Phase } from '../brains/protocol';
import type { Emission, EventBus } from '../event-bus';
import type { Market } from '../market';
import type { Allocation, OrchestratorEvent } from '../messages';
import type { NoticeBoard } from '../notice-board';
import { schedulerMachine } from '../scheduler';
import type { AgentSetup } from '../world/config';
import type { ToolEnvironment, WorldState } from '../world/state';
import type { Roster } from './roster';

export interface OrchestratorInput {
  readonly bus: EventBus;
  readonly world: WorldState;
  /** Announcements of the world as configured (`agent_created`, `service_registered`), recorded at start. */
  readonly opening: readonly Emission[];
  readonly agents: readonly AgentSetup[];
  readonly env: ToolEnvironment;
  readonly cycles: number;
  readonly max_actions_per_turn: number;
  /** Capacity on offer in each allocation; all of every resource when absent. */
  readonly supply?: Supply;
  /** Brains of their own think over their bidding turns at once (`WorldConfig.concurrent_turns`). */
  readonly concurrent_turns: boolean;
}

export interface Turn {
  readonly agent_id: string;
  readonly phase: Phase;
}

export interface OrchestratorContext {
  readonly bus: EventBus;
  readonly env: ToolEnvironment;
  readonly cycles: number;
  readonly maxActions: number;
  readonly supply?: Supply;
  readonly world: WorldState;
  readonly roster: Roster;
  readonly deaths: number;
  /** The agents offered a bidding turn this cycle. */
  readonly bidders: readonly string[];
  /** Those of them whose turns were announced ahead, to think over at once: they are called, not offered, when their turn comes. */
  readonly announced: ReadonlySet<string>;
  readonly concurrentTurns: boolean;
  /** This cycle's won bids, executed in clearing order. */
  readonly allocations: readonly Allocation[];
  /** The next bidder or allocation to offer a turn to. */
  readonly next: number;
  readonly turn?: Turn;
  readonly opening: readonly Emission[];
  /** Lost bids' rejections, held for their agents' next turns. */
  readonly notices: NoticeBoard;
  /** The scheduler's order book, where agents whose brains answer in their own steps place their bids. */
  readonly market: Market;
  /** Why the run had to stop; set only when something the economy guarantees did not hold. */
  readonly error?: string;
}

/** The orchestrator machine's types, which its guards, actions and states are written against. */
export const orchestratorTypes = {} as { context: OrchestratorContext; events: OrchestratorEvent; input: OrchestratorInput };

/** The scheduler runs as the orchestrator's child. */
export const orchestratorActors = { scheduler: schedulerMachine };
