import type { DomainEvent } from '../../../domain/economy/events';
import type { Check } from '../../validate';

/**
 * The events each check cites as its evidence. A check's detail names an event as `#N event_id`
 * (its position in the trace from 1, and its id; see `describeEvent`), whether it matched an entry,
 * is a forbidden match or is a near miss of an entry that found no match. `after #N event_id` only
 * says where a search began, so it cites nothing.
 */

export interface Citation {
  readonly check: string;
  readonly passed: boolean;
}

const EVENT_REFERENCE = /(?<!after )#(\d+) (\S+?)(?=[\s,;)]|$)/g;

/** Event position (from 0) → the checks citing it; a reference whose id is not the event at that position is ignored. */
export function citedEvents(checks: readonly Check[], trace: readonly DomainEvent[]): Map<number, Citation[]> {
  const cited = new Map<number, Citation[]>();
  for (const check of checks) {
    const positions = new Set<number>();
    for (const [, number, id] of check.detail.matchAll(EVENT_REFERENCE)) {
      const position = Number(number) - 1;
      if (trace[position]?.event_id === id) positions.add(position);
    }
    for (const position of positions) cited.set(position, [...(cited.get(position) ?? []), { check: check.name, passed: check.passed }]);
  }
  return cited;
}
