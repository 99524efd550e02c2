import { statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DOMAINS } from '../domain/benchmark/scenario';
import { errorMessage } from '../domain/codec/error-message';
import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput, EXIT_BAD_INPUT, parseCommandLine, positiveIntegerOption, runWhenMain, wholeNumberOption, preparedOutput } from './cli';
import { TRIVIAL_AGENT_KINDS } from './agents';
import { runTrivialAgents, type TrivialRun } from './evaluation';
import { createRubricJudge } from './judges';
import { PROJECT_SCENARIOS_DIR, formatScenarioError, loadScenarioDir, type LoadedScenario } from './scenarios';


const DEFAULT_RANDOM_RUNS = 3;

const USAGE = `Usage: npx tsx harness/build.ts [DIR] [--out FILE] [--check-trivial [--seed N] [--random-runs K]]

Loads every .json scenario file under DIR (default: the project's scenarios/ folder), decodes it
and checks it against the event catalogue, the constraint and condition languages and the
validator's predicates and metrics, then prints how many scenarios each domain has.

  --out FILE         also write every scenario, as written, to the file FILE as {"scenarios": [...]},
                     by domain (${DOMAINS.join(', ')}) then id (its folder must exist)
  --check-trivial    also run every scenario with the trivial agents, in the world its reference
                     script furnishes (run.ts --agent null and --agent random), and name each
                     scenario a trivial agent passes: one that passes when nothing is done, or
                     when tools are called at random, measures nothing
  --seed N           the seed of the null agent's run and of the random agent's first (default 1)
  --random-runs K    how many seeds the random agent tries, N to N+K-1 (default ${DEFAULT_RANDOM_RUNS})
  -h, --help         print this help

Exit status: 0 when every scenario is valid (and, with --check-trivial, no trivial agent passes
one); 1 when a trivial agent passes a scenario; 2 when a scenario is not valid (every error is
printed as FILE: $.json.path: message), the arguments are bad or the output path cannot be written.`;

const EXIT_TRIVIALLY_PASSED = 1;

/** By domain, in the order of DOMAINS, then by id. */
function byDomainThenId(scenarios: readonly LoadedScenario[]): LoadedScenario[] {
  const rank = (loaded: LoadedScenario) => DOMAINS.indexOf(loaded.scenario.domain);
  return [...scenarios].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function countLine(label: string, count: number): string {
  return `${label.padEnd(22)}${String(count).padStart(3)} scenario${count === 1 ? '' : 's'}`;
}

function summaryLines(ordered: readonly LoadedScenario[]): string[] {
  const perDomain = DOMAINS.flatMap((domain) => {
    const ids = ordered.filter((loaded) => loaded.scenario.domain === domain).map((loaded) => loaded.id);
    if (ids.length === 0) return [];
    const range = ids.length === 1 ? ids[0] : `${ids[0]} … ${ids[ids.length - 1]}`;
    return [`${countLine(domain, ids.length)}  ${range}`];
  });
  return [...perDomain, countLine('total', ordered.length)];
}

function writeBenchmark(out: string, ordered: readonly LoadedScenario[]): void {
  try {
    writeFileSync(out, `${JSON.stringify({ scenarios: ordered.map((loaded) => loaded.raw) }, null, 2)}\n`);
  } catch (error) {
    throw badInput(`--out: cannot write to ${out}: ${errorMessage(error)}`);
  }
}

/** Which trivial agent passed which scenario, one line each, and how many runs passed of how many. */
async function checkTrivialAgents(ordered: readonly LoadedScenario[], seed: number, randomRuns: number): Promise<number> {
  const companions = relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.';
  const judge = createRubricJudge({ scenariosDir: companions });
  const runs = await runTrivialAgents(ordered, { seed, randomRuns, judge, companions });
  if (isLeft(runs)) throw badInput(runs.left.join('\n'));
  const passed = runs.right.filter((run) => run.passed);
  const count = (agent: TrivialRun['agent']) => {
    const of = runs.right.filter((run) => run.agent === agent);
    return `${of.filter((run) => run.passed).length} of ${of.length} run${of.length === 1 ? '' : 's'}`;
  };
  const seeds = randomRuns === 1 ? `seed ${seed}` : `seeds ${seed}..${seed + randomRuns - 1}`;
  console.log(`trivial agents: null passed ${count('null')} (seed ${seed}), random passed ${count('random')} (${seeds})`);
  for (const loaded of ordered) {
    const byAgent = TRIVIAL_AGENT_KINDS.flatMap((agent) => {
      const seeds = passed.filter((run) => run.id === loaded.id && run.agent === agent).map((run) => run.seed);
      return seeds.length === 0 ? [] : [`${agent} (seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')})`];
    });
    if (byAgent.length > 0) console.log(`${loaded.id} (${loaded.file}): passed by ${byAgent.join(', ')}; a scenario a trivial agent passes measures nothing`);
  }
  return passed.length === 0 ? 0 : EXIT_TRIVIALLY_PASSED;
}

export async function build(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    USAGE,
    { out: { type: 'string' }, 'check-trivial': { type: 'boolean', default: false }, seed: { type: 'string' }, 'random-runs': { type: 'string' } },
    1,
  );
  const checkTrivial = values['check-trivial'] === true;
  const misplaced = (['seed', 'random-runs'] as const).find((flag) => values[flag] !== undefined);
  if (!checkTrivial && misplaced !== undefined) throw badInput(`--${misplaced} applies to --check-trivial`);
  const seed = wholeNumberOption('seed', values.seed ?? '1');
  const randomRuns = positiveIntegerOption('random-runs', values['random-runs'] ?? String(DEFAULT_RANDOM_RUNS));
  const out = values.out === undefined ? undefined : preparedOutput('--out', values.out, 'file');
  const dir = positionals[0] ?? (relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.');
  const status = statSync(dir, { throwIfNoEntry: false });
  if (status === undefined) throw badInput(`${dir}: no such folder (see --help)`);
  if (!status.isDirectory()) {
    throw badInput(`${dir} is a file; build.ts checks a folder of scenarios (to check one scenario file: run.ts --scenario ${dir})`);
  }

  const { scenarios, errors } = loadScenarioDir(dir);
  if (errors.length > 0) {
    const badFiles = new Set(errors.map((error) => error.file)).size;
    for (const error of errors) console.error(formatScenarioError(error));
    console.error(
      `${errors.length} error${errors.length === 1 ? '' : 's'} in ${badFiles} of ${badFiles + scenarios.length} files under ${dir}`,
    );
    return EXIT_BAD_INPUT;
  }
  if (scenarios.length === 0) throw badInput(`${dir}: no .json scenario file under it`);

  const ordered = byDomainThenId(scenarios);
  if (out !== undefined) writeBenchmark(out, ordered);
  for (const line of summaryLines(ordered)) console.log(line);
  if (out !== undefined) console.log(`wrote ${ordered.length} scenarios to ${out}`);
  return checkTrivial ? checkTrivialAgents(ordered, seed, randomRuns) : 0;
}

runWhenMain(import.meta, build);
