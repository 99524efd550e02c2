import { realpathSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput, parseCommandLine, runWhenMain, preparedOutput } from './cli';
import { compareLogs, type Comparison, readRunLog, type RunLog } from './evaluation';
import { shortNumber } from './report';
import { writeViewerFile } from './view/index';

const USAGE = `Usage: npx tsx harness/compare.ts LOG LOG... [--html FILE]

Compares logged runs (of harness/run.ts or harness/score.ts): a table of runs × scenarios with
each scenario's pass^1, pass^K, mean judge score, tokens and cost; then, for each pair of runs,
the difference in success rate (the later log minus the earlier) over the scenario runs they
share (same scenario and epoch), with its 95% confidence interval by a paired percentile
bootstrap (10000 resamples of the shared pairs, seeded: the same logs give the same interval).

  LOG                 a run log; two or more
  --html FILE         also write the comparison as the viewer's page (see harness/view.ts), one
                      self-contained file: scenarios × runs named by agent and model, regressions
                      and improvements marked, each pair's interval drawn; every run and sample
                      of the logs can be opened from it
  -h, --help          print this help

Exit status: 0 when the logs were compared; 2 on bad input (a bad flag, fewer than two logs, a
file that is not a run log, naming its line, the same run given twice, two runs sharing no
scenario run).`;

const OPTIONS = { html: { type: 'string' } } as const;

/** Left-aligned columns two spaces apart. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}

const signed = (value: number): string => `${value > 0 ? '+' : ''}${shortNumber(value)}`;

function tables({ rows, pairs }: Comparison): { scenarios: string[][]; pairs: string[][] } {
  return {
    scenarios: [
      ['RUN', 'SCENARIO', 'RUNS', 'PASS^1', 'PASS^K', 'JUDGE MEAN', 'TOKENS', 'COST USD'],
      ...rows.map((row) => [
        row.run,
        row.id,
        String(row.n),
        shortNumber(row.pass_hat_1),
        `${shortNumber(row.pass_hat_k)} (k=${row.k})`,
        row.judge_mean === undefined ? '-' : shortNumber(row.judge_mean),
        String(row.tokens),
        row.cost_usd === undefined ? '-' : String(row.cost_usd),
      ]),
    ],
    pairs: [
      ['BASELINE', 'CANDIDATE', 'PAIRS', 'BASELINE RATE', 'CANDIDATE RATE', 'DIFFERENCE', '95% CI (paired bootstrap)', 'IMPROVED', 'REGRESSED'],
      ...pairs.map((pair) => [
        pair.baseline,
        pair.candidate,
        String(pair.pairs),
        shortNumber(pair.baseline_success_rate),
        shortNumber(pair.candidate_success_rate),
        signed(pair.difference),
        `[${signed(pair.ci95[0])}, ${signed(pair.ci95[1])}]`,
        String(pair.improved),
        String(pair.regressed),
      ]),
    ],
  };
}

/** A run compared with itself (the same file twice, or a copy of it) shows no difference whatever the agent did. */
function repeatedRun(logs: readonly RunLog[]): string | undefined {
  const seen = new Map<string, RunLog>();
  for (const log of logs) {
    const earlier = seen.get(log.run.run_id);
    if (earlier !== undefined) {
      const same = earlier.file === log.file || realpathSync(earlier.file) === realpathSync(log.file);
      return same
        ? `${log.file} is given twice: compare two different runs`
        : `${earlier.file} and ${log.file} are the same run (${log.run.run_id}): compare two different runs`;
    }
    seen.set(log.run.run_id, log);
  }
  return undefined;
}

export async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, USAGE, OPTIONS, Number.POSITIVE_INFINITY);
  if (positionals.length < 2) throw badInput(`expected two or more LOGs to compare, got ${positionals.length} (see --help)`);
  const html = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');
  const logs = positionals.map((file) => {
    const log = readRunLog(file);
    if (isLeft(log)) throw badInput(log.left);
    return log.right;
  });
  const repeated = repeatedRun(logs);
  if (repeated !== undefined) throw badInput(repeated);
  const comparison = compareLogs(logs);
  if (isLeft(comparison)) throw badInput(comparison.left);
  const rendered = tables(comparison.right);
  console.log([...columns(rendered.scenarios), '', ...columns(rendered.pairs)].join('\n'));
  if (html !== undefined) {
    const written = await writeViewerFile(html, { logs: positionals, open: 'comparison' });
    if (isLeft(written)) throw badInput(`--html: ${written.left}`);
  }
  return 0;
}

runWhenMain(import.meta, compare);
