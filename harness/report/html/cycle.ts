import { cycleOfTimestamp } from '../../../domain/economy/clock';
import type { DomainEvent } from '../../../domain/economy/events';

/** The cycle of the virtual clock an event's timestamp falls in. */
export function cycleOf(event: DomainEvent): number {
  return cycleOfTimestamp(event.timestamp);
}
