import { statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DOMAINS } from '../domain/scenario';
import { errorMessage } from '../domain/error-message';
import { badInput, EXIT_BAD_INPUT, parseCommandLine, runWhenMain } from './cli/cli';
import { preparedOutput } from './cli/output-path';
import { PROJECT_SCENARIOS_DIR } from './scenarios/companions';
import { formatScenarioError, loadScenarioDir, type LoadedScenario } from './scenarios/constructor';


const USAGE = `Usage: npx tsx harness/build.ts [DIR] [--out FILE]

Loads every .json scenario file under DIR (default: the project's scenarios/ folder), decodes it
and checks it against the event catalogue, the constraint and condition languages and the
validator's predicates and metrics, then prints how many scenarios each domain has.

  --out FILE   also write every scenario, as written, to the file FILE as {"scenarios": [...]},
               by domain (${DOMAINS.join(', ')}) then id (its folder must exist)
  -h, --help   print this help

Exit status: 0 when every scenario is valid; 2 when one is not (every error is printed as
FILE: $.json.path: message), the arguments are bad or the output path cannot be written.`;

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

export function build(args: string[]): number {
  const { values, positionals } = parseCommandLine(args, USAGE, { out: { type: 'string' } }, 1);
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
  return 0;
}

runWhenMain(import.meta, build);
