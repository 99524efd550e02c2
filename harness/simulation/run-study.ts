import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { totalSupply } from '../../domain/ledger';
import type { ResolvedPopulation } from '../../domain/population-config';
import type { CycleIndicators } from '../../domain/population-metrics';
import { createWorld, type TraceSink } from '../../machines';
import { metricsCollector } from './metrics';
import { studyAgents, studyWorld } from './study';

export interface StudyRun {
  /** One row per cycle, from cycle 0 (the world as created) on. */
  readonly rows: readonly CycleIndicators[];
  readonly groupNames: readonly string[];
  readonly events: number;
}

export interface StudyOptions {
  readonly sinks?: readonly TraceSink[];
  readonly onCycle?: (row: CycleIndicators) => void;
}

/** Runs a study to its end, its indicators tallied as the events stream by; no trace is kept. */
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
    while (world.status() === 'ready') {
      const cycle = await world.runCycle();
      if (isLeft(cycle)) return left(`simulation stopped: ${cycle.left}`);
      closeCycle(cycle.right.cycle);
    }
    return right({ rows: metrics.rows, groupNames, events: world.bus.emittedCount() });
  } finally {
    world.stop();
  }
}
