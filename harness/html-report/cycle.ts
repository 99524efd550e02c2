import { CYCLE_SECONDS, EPOCH } from '../../domain/clock';
import type { DomainEvent } from '../../domain/events';

const CYCLE_MS = CYCLE_SECONDS * 1000;
const EPOCH_MS = Date.parse(EPOCH);

/** The cycle of the virtual clock (`domain/clock.ts`) an event's timestamp falls in. */
export function cycleOf(event: DomainEvent): number {
  return Math.floor((Date.parse(event.timestamp) - EPOCH_MS) / CYCLE_MS);
}
