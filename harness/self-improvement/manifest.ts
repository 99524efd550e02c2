import { basename, dirname, join, resolve } from 'node:path';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { strictObject } from '../../domain/codec/decode';
import { isFile, workspaceFolderOf, type ScenarioRef } from '../scenarios';
import { readJsonFile } from '../files';
import { PositiveInteger } from '../../domain/codec/numbers';

/**
 * Which modules an agent owns in a self-improvement scenario, and how they are tested and measured:
 * the manifest `workspace.json` in the scenario's companion folder `<id>.workspace/`, found by the
 * scenario's id, so that upstream scenario files loaded from anywhere find their workspace. Paths are
 * relative to the manifest; a workspace may use another's files (`../si_001.workspace/…`).
 *
 * ```json
 * { "modules": { "data_processing": "data_processing.mjs" },   // name → one self-contained ES module
 *   "tests": "tests.mjs",                                       // exports `tests`: name → (modules) => void
 *   "measurement": {                                            // optional
 *     "target_module": "data_processing",
 *     "workload": "workload.mjs",        // exports prepare, execute, assess (see trials-runner.mjs)
 *     "metrics": { "execution_time_ms": "time_ms", "cost_credits": "cost_credits", "correctness_score": "score" },
 *     "trials": 10,                      // optional: else the scenario's statistical_significance.num_trials, else 10
 *     "context": ["recent_outcomes"]     // optional: initial_state fields the workload receives
 * } }
 * ```
 */

export const MANIFEST_FILE = 'workspace.json';

/**
 * What a trial measures, named by the metric it is reported as: the wall-clock time of the timed call,
 * its cost in credits (cost-model.ts), or the workload's own score of the output.
 */
export const Quantity = t.keyof({ time_ms: null, cost_credits: null, score: null }, 'time_ms | cost_credits | score');
export type Quantity = t.TypeOf<typeof Quantity>;

const MeasurementPlan = strictObject(
  'MeasurementPlan',
  { target_module: t.string, workload: t.string, metrics: t.record(t.string, Quantity) },
  { trials: PositiveInteger, context: t.array(t.string) },
);

export const WorkspaceManifest = strictObject(
  'WorkspaceManifest',
  { modules: t.record(t.string, t.string), tests: t.string },
  { measurement: MeasurementPlan },
);
export type WorkspaceManifest = t.TypeOf<typeof WorkspaceManifest>;

/** Module name → absolute path of its file. */
export type ModuleFiles = Readonly<Record<string, string>>;

/** A manifest's measurement plan with its workload's path resolved and the context list filled in. */
export type MeasurementSpec = Omit<t.TypeOf<typeof MeasurementPlan>, 'context'> & { readonly context: readonly string[] };

/** A manifest with its paths resolved and checked. */
export interface WorkspaceSpec {
  readonly modules: ModuleFiles;
  readonly tests: string;
  readonly measurement?: MeasurementSpec;
}

function resolveSpec(manifestFile: string, manifest: WorkspaceManifest): Either<string[], WorkspaceSpec> {
  const folder = dirname(manifestFile);
  const problems: string[] = [];
  const existing = (jsonPath: string, relative: string): string => {
    const path = resolve(folder, relative);
    if (!isFile(path)) problems.push(`${manifestFile}: ${jsonPath}: no such file ${path}`);
    return path;
  };
  const modules = Object.fromEntries(
    Object.entries(manifest.modules).map(([name, file]) => [name, existing(`$.modules.${name}`, file)]),
  );
  const names = Object.keys(modules);
  if (names.length === 0) problems.push(`${manifestFile}: $.modules: expected at least one module`);
  // A run's copies of the modules sit side by side in one folder, under their own file names.
  const fileNames = Object.values(modules).map((path) => basename(path));
  const clashing = fileNames.filter((name, index) => fileNames.indexOf(name) !== index);
  if (clashing.length > 0) problems.push(`${manifestFile}: $.modules: expected distinct file names, got ${clashing.join(', ')} twice`);
  const tests = existing('$.tests', manifest.tests);
  const plan = manifest.measurement;
  if (plan !== undefined && !names.includes(plan.target_module)) {
    problems.push(`${manifestFile}: $.measurement.target_module: expected one of ${names.join(', ')}, got ${JSON.stringify(plan.target_module)}`);
  }
  const measurement: MeasurementSpec | undefined =
    plan === undefined ? undefined : { ...plan, workload: existing('$.measurement.workload', plan.workload), context: plan.context ?? [] };
  if (problems.length > 0) return left(problems);
  return right({ modules, tests, ...(measurement === undefined ? {} : { measurement }) });
}

/** The workspace described by `<folder>/workspace.json`; Left with every problem, each naming the file and JSON path. */
function loadWorkspaceSpec(folder: string): Either<string[], WorkspaceSpec> {
  const manifestFile = join(folder, MANIFEST_FILE);
  const manifest = readJsonFile(manifestFile, WorkspaceManifest);
  return isLeft(manifest) ? manifest : resolveSpec(manifestFile, manifest.right);
}

/** The workspace of a scenario, by its id, in the project's `scenarios/<domain>/` folder unless `root` says otherwise. */
export function workspaceSpecOf(scenario: ScenarioRef, root?: string): Either<string[], WorkspaceSpec> {
  const folder = workspaceFolderOf(scenario, root);
  if (!isFile(join(folder, MANIFEST_FILE))) {
    return left([`scenario ${scenario.id} has no self-improvement workspace: expected ${join(folder, MANIFEST_FILE)}`]);
  }
  return loadWorkspaceSpec(folder);
}
