import type { ActorRef, Snapshot } from 'xstate';
import type { Bid } from '../domain/economy/auction';
import type { EventOfType } from '../domain/economy/events';
import type { Balances } from '../domain/economy/ledger';
import type { Prices } from '../domain/economy/pricing';
import type { BrainAct, Notified, ToolOutcome, TurnAbandoned, TurnStarted } from './brains/protocol';
import type { TurnEnding } from './turn-ending';
import type { TurnOffer } from './turn-offer';
import type { WorldState } from './world/state';

/**
 * The events the agent, the scheduler and the orchestrator exchange. Each endpoint imports this file
 * rather than the others, so that no machine depends on another's module to know what it is sent.
 * What passes between an agent and its brain is the brain protocol (`brains/protocol.ts`).
 */

// Agent → orchestrator

export type { TurnEnding };

/** What the agent asks of its parent, the orchestrator. */
export type AgentRequest =
  | { type: 'tool.request'; agent_id: string; tool_name: string; arguments: Record<string, unknown> }
  | { type: 'turn.ended'; agent_id: string; ending: TurnEnding };

// Orchestrator and scheduler → agent

/** How a tool call the agent asked for came out, from whichever of the two performed it. */
export type ToolResponse = { type: 'tool.response'; tool_name: string; outcome: ToolOutcome };
/** One of its open bids was withdrawn by an injected rejection, whose notice the agent gets on its own. */
export type BidWithdrawn = { type: 'bid.withdrawn' };
/** XState's report that the agent's own brain actor crashed. */
export type BrainFailed = { type: 'xstate.error.actor.brain'; error: unknown };
/** A bidding turn or a won window to be played whole at once, or left for the ordinary turn that follows. */
export type TurnOffered = { type: 'turn.offered'; offer: TurnOffer };
/** A bidding turn to think over now and act on when `turn.called` comes: brains of their own think at once. */
export type TurnAnnounced = { type: 'turn.announced'; turn: TurnStarted };
export type TurnCalled = { type: 'turn.called' };

export type AgentEvent =
  | TurnStarted
  | TurnOffered
  | TurnAnnounced
  | TurnCalled
  | BrainAct
  | TurnAbandoned
  | ToolResponse
  | BidWithdrawn
  | Notified
  | { type: 'agent.died' }
  /** The world is stopped: the agent ends, stopping its brain, which releases what it holds. */
  | { type: 'world.stopped' }
  | BrainFailed;

// Agent and orchestrator → scheduler

/** Whoever placed a bid: told how its placement came out, and of its withdrawal; a lost bid is told with the next turn. */
export type Bidder = ActorRef<Snapshot<unknown>, AgentEvent>;

export type SchedulerEvent =
  /** An agent's `market.bid` tool call, its arguments as the brain gave them. */
  | { type: 'bid.place'; agent_id: string; bidder: Bidder; arguments: Readonly<Record<string, unknown>> }
  | { type: 'balances.shared'; balances: Balances }
  /** An injected rejection names this bid: it no longer takes part in the allocation. */
  | { type: 'bid.withdraw'; bid_id: string }
  | { type: 'allocation.run'; balances: Balances }
  | { type: 'market.update' };

// Scheduler → orchestrator

/** A won bid and the execution window it bought. */
export interface Allocation {
  readonly bid: Bid;
  readonly execution_id: string;
}

/** What the scheduler reports to its parent, the orchestrator. */
export type SchedulerReport =
  /** `notices`: the rejections of the bids that lost, for their agents to be told with their next turn. */
  | { type: 'allocation.done'; allocations: readonly Allocation[]; notices: readonly EventOfType<'bid_rejected'>[] }
  | { type: 'market.updated'; prices: Prices };

// The world and the agents → orchestrator

/**
 * The orchestrator's calls to itself. `turns.offered`: the bidders offered their turns at once have
 * played them up to `next`, the bidder to offer an ordinary turn (or, past the last, none), with the
 * turn it was offered and did not play: offered again as it was, its brain's answer to it is not asked
 * twice. `windows.offered`: the same for the winners offered their windows at once, with the world
 * the windows played left, when they changed it; the unplayed window's start is already recorded.
 */
export type OrchestratorEvent =
  | AgentRequest
  | SchedulerReport
  | { type: 'turns.offered'; next: number; unplayed?: TurnStarted }
  | { type: 'windows.offered'; next: number; world?: WorldState; unplayed?: TurnStarted }
  | { type: 'cycle.run' }
  | { type: 'run.finish' };
