/**
 * The virtual clock of a run: no wall-clock time ever enters a trace. Cycle `n` starts at a fixed
 * epoch plus `n` cycle lengths; each event inside a cycle is one step (a microsecond) later than the
 * previous one, so timestamps are unique, ordered and identical from one run to the next.
 */

export const EPOCH = '2026-01-01T00:00:00.000Z';
export const CYCLE_SECONDS = 3600;

const EPOCH_MS = Date.parse(EPOCH);
const CYCLE_MS = CYCLE_SECONDS * 1000;
/** Steps in a millisecond: the steps of one share their timestamp up to its microseconds. */
export const STEPS_PER_MILLISECOND = 1000;

export interface VirtualClock {
  readonly cycle: number;
  /** Microseconds since the start of the cycle; a cycle holds 3.6e9 steps before it would reach the next one. */
  readonly step: number;
}

export function startCycle(cycle: number): VirtualClock {
  return { cycle, step: 0 };
}

export function nextStep(clock: VirtualClock): VirtualClock {
  return { cycle: clock.cycle, step: clock.step + 1 };
}

// A thousand consecutive steps share their millisecond; formatting it once for all of them is
// measurably cheaper in a trace of millions of events.
let lastMs = Number.NaN;
let lastMsText = '';

function millisecondText(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastMsText = new Date(ms).toISOString().slice(0, -1);
  }
  return lastMsText;
}

/** The three microsecond digits and the `Z` that end a timestamp, for every microsecond of a millisecond. */
const MICROSECOND_ENDINGS = Array.from({ length: STEPS_PER_MILLISECOND }, (_, micros) => `${String(micros).padStart(3, '0')}Z`);

/** ISO-8601 with microseconds, e.g. `2026-01-01T01:00:00.000042Z`. */
export function timestampOf(clock: VirtualClock): string {
  return timestampMillisecondOf(clock) + timestampMicrosecondOf(clock.step);
}

/** A timestamp up to its millisecond, `2026-01-01T01:00:00.000`: the same for every step of that millisecond. */
export function timestampMillisecondOf(clock: VirtualClock): string {
  return millisecondText(EPOCH_MS + clock.cycle * CYCLE_MS + Math.floor(clock.step / STEPS_PER_MILLISECOND));
}

/** What ends the timestamp of a step after its millisecond: its three microsecond digits and the `Z`, `042Z`. */
export function timestampMicrosecondOf(step: number): string {
  return MICROSECOND_ENDINGS[step % STEPS_PER_MILLISECOND]!;
}

/** The cycle a timestamp of this clock falls in: the inverse of `timestampOf`, to the cycle. */
export function cycleOfTimestamp(timestamp: string): number {
  return Math.floor((Date.parse(timestamp) - EPOCH_MS) / CYCLE_MS);
}
