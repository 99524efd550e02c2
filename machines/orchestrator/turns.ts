import type { DomainEvent } from '../../domain/economy/events';
import { balanceOf, type Balances } from '../../domain/economy/ledger';
import type { Observation, Phase, TurnStarted } from '../brains/protocol';
import type { EventBus } from '../event-bus';
import type { Allocation, OrchestratorEvent, SchedulerEvent, TurnEnding } from '../messages';
import type { NoticeBoard } from '../notice-board';
import { performTool } from '../tools/perform';
import { TurnOffer, type OpenWindow } from '../turn-offer';
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

export function recordExecutionStart(bus: EventBus, { agent_id, execution_id, bid_id }: ExecutionWindow): void {
  bus.emit('execution_started', agent_id, { execution_id, agent_id, resource_bundle_id: bid_id });
}

export function recordExecutionEnd(bus: EventBus, { agent_id, execution_id }: ExecutionWindow, ending: TurnEnding): void {
  bus.emit('execution_terminated', agent_id, { execution_id, agent_id, ...ending });
}

/** The window opened on `world`, its winner's calls performed as the orchestrator performs those it is asked for. */
function openWindow(world: WorldState, window: ExecutionWindow, env: ToolEnvironment): OpenWindow {
  const { agent_id } = window;
  return {
    world: { ...world, window },
    perform: (on, { tool_name, arguments: args = {} }) => performTool(on, { agent_id, tool_name, arguments: args, phase: 'executing' }, env),
  };
}

type WindowsOffered = Extract<OrchestratorEvent, { type: 'windows.offered' }>;

/**
 * Offers the winners from `context.next` on their windows at once, each recorded as started, played
 * and ended within this step, as long as each plays its window whole; and says where the offers
 * stopped, with the world the windows played left: at the first winner whose window is to be an
 * ordinary turn (a brain of its own, before its window opens; or an answer that cannot be played
 * within the step, with the turn it did not play, its window's start recorded), or past the last.
 */
export function offerWindowsAtOnce(context: OrchestratorContext): WindowsOffered {
  const { allocations, roster, notices, bus, env } = context;
  let world = context.world;
  const stopped = (next: number): WindowsOffered => (world === context.world ? { type: 'windows.offered', next } : { type: 'windows.offered', next, world });
  for (let next = context.next; next < allocations.length; next += 1) {
    const window = windowFor(allocations[next]!, env);
    const { agent_id } = window;
    const entry = roster.agents.get(agent_id);
    if (entry === undefined || !entry.answersAtOnce) return stopped(next);
    const open = openWindow(world, window, env);
    recordExecutionStart(bus, window);
    const offer = new TurnOffer(turnTelling('executing', observe(open.world, agent_id), notices.peek(agent_id)), open);
    entry.ref.send({ type: 'turn.offered', offer });
    const { ending } = offer;
    if (ending === undefined) return { ...stopped(next), unplayed: offer.turn };
    notices.take(agent_id);
    recordExecutionEnd(bus, window, ending);
    world = { ...(offer.worldAfter ?? open.world), window: undefined };
  }
  return stopped(allocations.length);
}
