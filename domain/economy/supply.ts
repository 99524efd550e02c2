import type { DomainEvent } from './events';
import { MICRO_CREDITS_PER_CREDIT } from './credits';

/**
 * The credits an event adds to (or removes from) the economy. Credits enter only as initial balances
 * and human rewards, and leave only when burned; a spawned child's `agent_created` re-counts the
 * endowment its parent handed over, which the matching `agent_spawned` takes back out.
 */
function supplyChange(event: DomainEvent): number {
  switch (event.type) {
    case 'agent_created':
      return event.data.initial_balance;
    case 'agent_spawned':
      return -event.data.initial_balance;
    case 'credits_burned':
      return -event.data.amount;
    case 'human_reward_issued':
      return event.data.credits_awarded;
    default:
      return 0;
  }
}

/** The total credits in existence after `events`, recomputed from the trace alone. */
export function totalSupplyFromTrace(events: Iterable<DomainEvent>): number {
  // Summed in whole micro-credits so that a long trace does not accumulate floating-point error.
  let microCredits = 0;
  for (const event of events) microCredits += Math.round(supplyChange(event) * MICRO_CREDITS_PER_CREDIT);
  return microCredits / MICRO_CREDITS_PER_CREDIT;
}
