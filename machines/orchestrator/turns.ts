import type { DomainEvent } from '../../domain/economy/events';
import { balanceOf, type Balances } from '../../domain/economy/ledger';
import type { Observation, Phase, TurnStarted } from '../brains/protocol';
import type { Allocation, OrchestratorEvent, SchedulerEvent } from '../messages';
import type { NoticeBoard } from '../notice-board';
import { TurnOffer } from '../turn-offer';
import { TOKENS_PER_CAPACITY } from '../world/config';
import type { ExecutionWindow, ToolEnvironment, WorldState } from '../world/state';
import type { OrchestratorContext } from './setup';

/** What the orchestrator tells its agents and its scheduler: the turns it offers, the window a winner executes in, the balances bids are judged by. */

export function observe(world: WorldState, agentId: string): Observation {
  const observation = { agent_id: agentId, cycle: world.cycle, balance: balanceOf(world.ledger, agentId), prices: world.prices };
  const window = world.window;
  if (window === undefined || window.agent_id !== agentId) return observation;
  const { execution_id, bid_id, bundle, token_budget } = window;
  return { ...observation, execution: { execution_id, bid_id, bundle, token_budget } };
}

/** Balances of the living only: an agent that died cannot win an allocation with a bid it left behind. */
export function livingBalances(context: OrchestratorContext): Balances {
  if (context.deaths === 0) return context.world.ledger.balances;
  return Object.fromEntries(context.roster.order.map((agentId) => [agentId, balanceOf(context.world.ledger, agentId)]));
}

export function windowFor(allocation: Allocation, env: ToolEnvironment): ExecutionWindow {
  const { bid, execution_id } = allocation;
  return {
    agent_id: bid.agent_id,
    execution_id,
    bid_id: bid.bid_id,
    bundle: bid.bundle,
    token_budget: env.token_budget ?? Math.round(bid.bundle.tokens * TOKENS_PER_CAPACITY),
    tokens_used: 0,
  };
}

export function balancesShared(world: WorldState): SchedulerEvent {
  return { type: 'balances.shared', balances: world.ledger.balances };
}

/** A turn offered to an agent, with the notices that have waited for it, taken off the board. */
export function turnStarted(phase: Phase, observation: Observation, notices: NoticeBoard): TurnStarted {
  return turnTelling(phase, observation, notices.take(observation.agent_id));
}

function turnTelling(phase: Phase, observation: Observation, told: readonly DomainEvent[] | undefined): TurnStarted {
  return told === undefined ? { type: 'turn.started', phase, observation } : { type: 'turn.started', phase, observation, notices: told };
}

/** A bidder's ordinary turn: the turn it was offered at once and did not play, else a new one; its notices leave the board. */
export function ordinaryBiddingTurn(context: OrchestratorContext, agentId: string, unplayed: TurnStarted | undefined): TurnStarted {
  const told = context.notices.take(agentId);
  return unplayed ?? turnTelling('bidding', observe(context.world, agentId), told);
}

/**
 * Offers the bidders from `context.next` on their bidding turns at once, as long as each plays its
 * turn whole, and says where the offers stopped: at the first bidder whose turn is to be offered as an
 * ordinary turn (a brain of its own, or an answer asking something of the world), with the turn it did
 * not play, or past the last bidder. A turn's notices leave the board with the turn played or offered again.
 */
export function offerTurnsAtOnce(context: OrchestratorContext): Extract<OrchestratorEvent, { type: 'turns.offered' }> {
  const { bidders, roster, notices, world } = context;
  for (let next = context.next; next < bidders.length; next += 1) {
    const agentId = bidders[next]!;
    const entry = roster.agents.get(agentId);
    if (entry === undefined || !entry.answersAtOnce) return { type: 'turns.offered', next };
    const offer = new TurnOffer(turnTelling('bidding', observe(world, agentId), notices.peek(agentId)));
    entry.ref.send({ type: 'turn.offered', offer });
    if (!offer.played) return { type: 'turns.offered', next, unplayed: offer.turn };
    notices.take(agentId);
  }
  return { type: 'turns.offered', next: bidders.length };
}

