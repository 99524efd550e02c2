import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { type Script, type ScriptKind, isFile, scriptFileOf, type LoadedScenario, loadScript } from '../scenarios';
import type { Judge } from '../judges';
import { withRunChecks } from '../validate';
import { replayScenario, type Replay, type ReplayOptions } from './replay';
import type { SourceFile } from '../files';
import type { AgentFactory } from '../agents';

/**
 * Replays a selection of scenarios, each with its script, one after the other. Every script is read
 * before anything runs, so that a malformed one stops the run at once; a scenario without a script
 * of the kind asked for fails, saying so, and the others still run.
 */

export interface BenchmarkOptions {
  readonly scripts: ScriptKind;
  /** One script for the one scenario selected, in place of the project's. */
  readonly script?: SourceFile<Script>;
  /** Where the project's scripts are, as `<domain>/<id>.<kind>.script.json`; the project's `scenarios/` when absent. */
  readonly companions?: string;
  readonly seed: string | number;
  readonly judge: Judge;
  /** A folder to write each scenario's trace to, as `<id>.jsonl`. */
  readonly traceOut?: string;
  /** Receives the inspection events of every actor of every run (the Stately inspector). */
  readonly inspect?: ReplayOptions['inspect'];
  /**
   * What drives the agent under test in place of the scripts, built afresh for each scenario, and
   * the cycles each world runs; the scripts (of kind `scripts`) then only furnish each world.
   */
  readonly agent?: { readonly factory: AgentFactory; readonly cycles: number };
}

/** A scenario and its script, or why it has none. */
export type Planned = { readonly loaded: LoadedScenario; readonly script: Either<string, SourceFile<Script>> };

export function planBenchmark(scenarios: readonly LoadedScenario[], options: BenchmarkOptions): Either<string[], Planned[]> {
  if (options.script !== undefined) {
    if (scenarios.length !== 1) return left([`--script runs one script against one scenario; ${scenarios.length} are selected`]);
    return right([{ loaded: scenarios[0]!, script: right(options.script) }]);
  }
  const problems: string[] = [];
  const planned: Planned[] = [];
  for (const loaded of scenarios) {
    const file = scriptFileOf({ domain: loaded.scenario.domain, id: loaded.id }, options.scripts, options.companions);
    if (!isFile(file)) {
      planned.push({ loaded, script: left(`no ${options.scripts} script for ${loaded.id} (expected ${file})`) });
      continue;
    }
    const script = loadScript(file);
    if (isLeft(script)) problems.push(...script.left);
    else planned.push({ loaded, script });
  }
  return problems.length > 0 ? left(problems) : right(planned);
}

/** What a benchmark run keeps of each scenario: its verdict and the trace it was given for; the states it visited, unless it never started (no script). */
export type ScenarioRun = Pick<Replay, 'verdict' | 'trace' | 'stderr' | 'transcript' | 'visitedStates'>;

/** Where an agent process's stderr is kept beside its trace: `<id>.jsonl` → `<id>.stderr.log`. */
export function stderrFileOf(traceFile: string): string {
  return `${traceFile.replace(/\.jsonl$/, '')}.stderr.log`;
}

function unscripted(loaded: LoadedScenario, reason: string): ScenarioRun {
  const verdict = withRunChecks({ id: loaded.id, domain: loaded.scenario.domain, passed: true, checks: [] }, [{ name: 'script', passed: false, detail: reason }]);
  return { verdict, trace: [] };
}

/** One run of a planned scenario with `seed`, its trace written to `traceFile` when given. */
export async function runPlanned(
  { loaded, script }: Planned,
  options: Omit<BenchmarkOptions, 'traceOut' | 'scripts' | 'script'> & Pick<ReplayOptions, 'traceFile' | 'sinks'>,
): Promise<Either<string[], ScenarioRun>> {
  if (isLeft(script)) return right(unscripted(loaded, script.left));
  const { seed, judge, companions, inspect, traceFile, sinks } = options;
  const agent = options.agent === undefined ? undefined : { underTest: options.agent.factory(loaded.scenario, seed), cycles: options.agent.cycles };
  const replayed = await replayScenario(loaded, script.right, { seed, judge, traceFile, sinks, companions, inspect, agent });
  if (isLeft(replayed)) return replayed;
  // Not a verdict: the agent could not be tried at all, so its run reads as neither a pass nor a fail.
  const stopped = agent?.underTest.runStopped?.();
  if (stopped !== undefined) return left([`the run is stopped: ${stopped}`]);
  const { verdict, trace, stderr, transcript, visitedStates } = replayed.right;
  if (traceFile !== undefined && stderr !== undefined) writeFileSync(stderrFileOf(traceFile), stderr);
  return right({ verdict, trace, stderr, ...(transcript === undefined ? {} : { transcript }), ...(visitedStates === undefined ? {} : { visitedStates }) });
}

export async function runBenchmark(scenarios: readonly LoadedScenario[], options: BenchmarkOptions): Promise<Either<string[], ScenarioRun[]>> {
  const planned = planBenchmark(scenarios, options);
  if (isLeft(planned)) return planned;
  const runs: ScenarioRun[] = [];
  for (const one of planned.right) {
    const traceFile = options.traceOut === undefined ? undefined : join(options.traceOut, `${one.loaded.id}.jsonl`);
    const run = await runPlanned(one, { ...options, traceFile });
    if (isLeft(run)) return run;
    runs.push(run.right);
  }
  return right(runs);
}
