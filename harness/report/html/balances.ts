import { MICRO_CREDITS_PER_CREDIT } from '../../../domain/economy/credits';
import type { DomainEvent } from '../../../domain/economy/events';
import { cycleOf } from './cycle';

/**
 * Each agent's credits at the end of every cycle, recomputed from the trace alone. An agent's credits
 * include what it holds in escrow for an unanswered prompt: escrow leaves the economy only when it is
 * burned, and the trace records the burn, so the chart agrees with the trace's total supply.
 */

export interface BalanceSeries {
  readonly agent_id: string;
  /** One point per cycle the agent existed in, in cycle order. */
  readonly points: readonly { readonly cycle: number; readonly balance: number }[];
}

/** The changes in micro-credits an event makes to agents' credits. */
function balanceChanges(event: DomainEvent): [string, number][] {
  const micro = (credits: number) => Math.round(credits * MICRO_CREDITS_PER_CREDIT);
  switch (event.type) {
    case 'agent_created':
      return [[event.data.agent_id, micro(event.data.initial_balance)]];
    case 'agent_spawned':
      return [[event.data.parent_id, -micro(event.data.initial_balance)]];
    case 'credits_burned':
      return [[event.data.agent_id, -micro(event.data.amount)]];
    case 'human_reward_issued':
      return [[event.data.agent_id, micro(event.data.credits_awarded)]];
    case 'credits_transferred':
      return [
        [event.data.from_agent, -micro(event.data.amount)],
        [event.data.to_agent, micro(event.data.amount)],
      ];
    default:
      return [];
  }
}

export function balancesByCycle(trace: readonly DomainEvent[]): BalanceSeries[] {
  const microCredits = new Map<string, number>();
  const points = new Map<string, { cycle: number; balance: number }[]>();
  const closeCycle = (cycle: number) => {
    for (const [agentId, amount] of microCredits) points.get(agentId)?.push({ cycle, balance: amount / MICRO_CREDITS_PER_CREDIT });
  };
  let cycle: number | undefined;
  for (const event of trace) {
    const eventCycle = cycleOf(event);
    if (cycle !== undefined && eventCycle !== cycle) closeCycle(cycle);
    cycle = eventCycle;
    for (const [agentId, change] of balanceChanges(event)) {
      if (!points.has(agentId)) points.set(agentId, []);
      microCredits.set(agentId, (microCredits.get(agentId) ?? 0) + change);
    }
  }
  if (cycle !== undefined) closeCycle(cycle);
  return [...points].map(([agent_id, series]) => ({ agent_id, points: series }));
}
