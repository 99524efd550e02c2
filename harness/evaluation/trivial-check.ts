import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { trivialAgentFactory, type TrivialAgentKind } from '../agents';
import type { Judge } from '../judges';
import { runPlanned } from '../replay';
import { isFile, scriptFileOf, type LoadedScenario, cyclesOf, loadScript, type Script } from '../scenarios';
import type { SourceFile } from '../files';

/**
 * The check a scenario author runs with `build.ts --check-trivial`: every scenario is run with the
 * trivial agents, `null` once and `random` with several seeds, and every run a trivial agent passes is
 * named. A scenario that an agent doing nothing, or calling tools at random, passes measures nothing.
 */

export interface TrivialRun {
  readonly id: string;
  readonly file: string;
  readonly agent: TrivialAgentKind;
  readonly seed: number;
  readonly passed: boolean;
}

export interface TrivialCheckOptions {
  readonly seed: number;
  /** How many seeds the random agent tries, from `seed` up. */
  readonly randomRuns: number;
  readonly judge: Judge;
  /** Where the scenarios' scripts, rubrics and workspaces are (`run.ts`'s companions). */
  readonly companions: string;
}

/**
 * The world a trivial agent is checked in: the one any agent under test gets, furnished by the
 * scenario's reference script (its cycles, the human's answers, the providers' results); for a
 * scenario that has no script yet, the scenario's world alone, for one cycle.
 */
function worldOf(loaded: LoadedScenario, companions: string): Either<string[], SourceFile<Script>> {
  const file = scriptFileOf({ domain: loaded.scenario.domain, id: loaded.id }, 'reference', companions);
  if (isFile(file)) return loadScript(file);
  const value: Script = { scenario_id: loaded.id, kind: 'reference', description: 'no script: the world of the scenario alone', turns: [] };
  return right({ file: loaded.file, value });
}

/** Every scenario with every trivial agent, in order; Left when a scenario's world cannot be built. */
export async function runTrivialAgents(
  scenarios: readonly LoadedScenario[],
  options: TrivialCheckOptions,
  onRun: (run: TrivialRun) => void = () => undefined,
): Promise<Either<string[], TrivialRun[]>> {
  const runs: TrivialRun[] = [];
  const plan: { agent: TrivialAgentKind; seed: number }[] = [
    { agent: 'null', seed: options.seed },
    ...Array.from({ length: options.randomRuns }, (_, index) => ({ agent: 'random' as const, seed: options.seed + index })),
  ];
  for (const loaded of scenarios) {
    const world = worldOf(loaded, options.companions);
    if (isLeft(world)) return world;
    for (const { agent, seed } of plan) {
      const run = await runPlanned(
        { loaded, script: world },
        { seed, judge: options.judge, companions: options.companions, agent: { factory: trivialAgentFactory(agent), cycles: cyclesOf(world.right.value) } },
      );
      if (isLeft(run)) return left(run.left);
      const outcome: TrivialRun = { id: loaded.id, file: loaded.file, agent, seed, passed: run.right.verdict.passed };
      runs.push(outcome);
      onRun(outcome);
    }
  }
  return right(runs);
}
