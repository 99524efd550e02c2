import type { LoadedScenario } from '../scenarios';

/**
 * The samples of a run: every selected scenario × every epoch, epoch e (1…K) with the seed S+e−1 for
 * `--seed S`. Their order, scenario then epoch, is the order of every report and log, whatever order
 * the runs finish in.
 */

export interface Sample {
  /** Its place in the run's order. */
  readonly index: number;
  readonly loaded: LoadedScenario;
  readonly epoch: number;
  readonly seed: number;
}

export function samplesOf(scenarios: readonly LoadedScenario[], epochs: number, seed: number): Sample[] {
  return scenarios.flatMap((loaded, scenarioIndex) =>
    Array.from({ length: epochs }, (_, offset) => ({ index: scenarioIndex * epochs + offset, loaded, epoch: offset + 1, seed: seed + offset })),
  );
}

/** The key a sample is found by in a log: its scenario id and epoch. */
export const sampleKey = (id: string, epoch: number): string => `${id}#${epoch}`;

/** The file a sample's trace is stored in, in its run's folder: `<id>.e<epoch>.jsonl`. */
export const traceFileName = (id: string, epoch: number): string => `${id}.e${epoch}.jsonl`;

/** The domain whose runs measure the speed of code: they must not run beside each other. */
export const EXCLUSIVE_DOMAIN = 'self_improvement';
