import type { RandomStream } from '../../domain/economy/random';
import { idleBrain, type ActionResult, type BrainAction, type BrainLogic, type BrainPrompt } from '../brains/protocol';
import type { EventBus } from '../event-bus';
import type { Market } from '../market';
import type { Mind } from '../mind';
import type { AgentEvent } from '../messages';

export interface AgentInput {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  readonly brain: BrainLogic;
  /** A brain that never ends its turn is cut off after this many actions. */
  readonly max_actions_per_turn: number;
  /** Where a brain that answers inside the agent's steps places its bids directly; without it every bid goes to the scheduler. */
  readonly market?: Market;
}

export interface AgentContext {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  readonly maxActions: number;
  readonly actionsThisTurn: number;
  /** Bids placed and not yet heard of; while there are some the agent waits for the allocation. */
  readonly openBids: number;
  /** The brain asked inside the agent's steps; absent when the brain is an actor of its own. */
  readonly mind?: Mind;
  readonly market?: Market;
  /** What the brain is asked next: the turn, or what came of its last answer. */
  readonly prompt?: BrainPrompt;
  /** The actions of the brain's last answer still to perform, in order. */
  readonly batch: readonly BrainAction[];
  /** Whether that answer was one action, answered as such, or a batch, answered with all its results at once. */
  readonly answer: 'single' | 'batch';
  /** What became of the answer's actions performed so far; those of an answer that ended the turn are told with the next. */
  readonly results: readonly ActionResult[];
  /** Actions of a batch cut short by a failed call. */
  readonly notPerformed: number;
  /** Set once the brain has crashed: from then on every turn ends at once, with this reason. */
  readonly brainFailure?: string;
  /** Why a turn announced ahead was abandoned before it was called. */
  readonly abandonedAhead?: string;
}

/** The agent machine's types, which its guards, actions and states are written against. */
export const agentTypes = {} as { context: AgentContext; events: AgentEvent; input: AgentInput };

/** An agent's brain, when it is an actor, is provided by `agentMachineFor`. */
export const agentActors = { brain: idleBrain };
