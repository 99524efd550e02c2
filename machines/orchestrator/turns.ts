import { balanceOf, type Balances } from '../../domain/economy/ledger';
import type { Observation, Phase } from '../brains/protocol';
import type { AgentEvent, Allocation, SchedulerEvent } from '../messages';
import type { NoticeBoard } from '../notice-board';
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

/** A turn offered to an agent, with the notices that have waited for it. */
export function turnStarted(phase: Phase, observation: Observation, notices: NoticeBoard): AgentEvent {
  const told = notices.take(observation.agent_id);
  return told === undefined ? { type: 'turn.started', phase, observation } : { type: 'turn.started', phase, observation, notices: told };
}

