import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { totalSupply } from '../../domain/economy/ledger';
import type { ResolvedPopulation } from '../../domain/population/config';
import type { CycleIndicators } from '../../domain/population/metrics';
import { createWorld, type EventSink } from '../../machines';
import { metricsCollector } from './metrics';
import { studyAgents, studyWorld } from './study';

export interface StudyRun {
  /** One row per cycle, from cycle 0 (the world as created) on. */
  readonly rows: readonly CycleIndicators[];
  readonly groupNames: readonly string[];
  readonly events: number;
  /** Stopped by `signal` before its last cycle: the rows are the cycles that finished. */
  readonly interrupted: boolean;
}

export interface StudyOptions {
  readonly sinks?: readonly EventSink[];
  readonly onCycle?: (row: CycleIndicators) => void;
  /** Once aborted, no further cycle starts. */
  readonly signal?: AbortSignal;
}

/** Runs a study to its end, or until `signal` aborts, its indicators tallied as the events stream by; no trace is kept. */
export async function runStudy(population: ResolvedPopulation, options: StudyOptions = {}): Promise<Either<string, StudyRun>> {
  const { agents, groups } = studyAgents(population);
  const groupNames = population.groups.map((group) => group.name);
  const metrics = metricsCollector(groups, groupNames);
  const created = createWorld(studyWorld(population, agents), [metrics, ...(options.sinks ?? [])]);
  if (isLeft(created)) return left(created.left.join('\n'));
  const world = created.right;
  try {
    const closeCycle = (cycle: number) => {
      const ledger = world.ledger();
      const row = metrics.close(cycle, world.prices(), ledger, totalSupply(ledger));
      options.onCycle?.(row);
    };
    closeCycle(0);
    while (world.status() === 'ready' && options.signal?.aborted !== true) {
      const cycle = await world.runCycle();
      if (isLeft(cycle)) return left(`simulation stopped: ${cycle.left}`);
      closeCycle(cycle.right.cycle);
      // A cycle is one chain of promise jobs: without a turn of the event loop between cycles the handler of a
      // signal (Ctrl-C) that would abort the study could not run until the study was over.
      if (options.signal !== undefined) await new Promise((resolve) => setImmediate(resolve));
    }
    return right({ rows: metrics.rows, groupNames, events: world.bus.emittedCount(), interrupted: world.status() === 'ready' });
  } finally {
    world.stop();
  }
}
