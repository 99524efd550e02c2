import { mkdirSync } from 'node:fs';
import { relative, join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput, parseCommandLine, runWhenMain, preparedOutput } from './cli';
import { PROJECT_SCENARIOS_DIR } from './scenarios';
import { judgeNamed } from './judges';
import { isReportFormat, renderReport, REPORT_FORMATS } from './report';
import { rescoreLog, readRunLog, RunLogWriter, newRunId, versions } from './evaluation';
import { writeViewerFile } from './view/index';

const USAGE = `Usage: npx tsx harness/score.ts LOG [--judge rubric|http] [--format table|json|junit] [--log-dir DIR] [--html FILE]

Re-scores the run a log records, without running any agent: every stored trace has its judged
blocks judged afresh and is validated against its scenario file as it is now, for fixing a judge,
a rubric or a rule after an expensive run. The checks only the run could make (a refused script
step, an agent's fault, an injection that could not be delivered) are kept as the log has them.
Writes a new log (its path on stderr as "log: PATH") and prints the report.

  LOG                 a log written by harness/run.ts (or by harness/score.ts)
  --judge NAME        rubric (default) or http (JUDGE_BASE_URL, JUDGE_MODEL, JUDGE_API_KEY), as for run.ts
  --format FORMAT     table (default), json or junit, as for run.ts
  --log-dir DIR       where the new log goes (default logs/)
  --html FILE         also write the new log as the viewer's page (see harness/view.ts), one
                      self-contained file, as run.ts --html does
  -h, --help          print this help

Exit status: 0 when every scenario run passes; 1 when one fails; 2 on bad input (a bad flag, a
file that is not a run log, naming its line; a stored trace that is missing or changed since the
log was written; a scenario file that no longer loads).`;

const OPTIONS = {
  judge: { type: 'string', default: 'rubric' },
  format: { type: 'string', default: 'table' },
  'log-dir': { type: 'string', default: 'logs' },
  html: { type: 'string' },
} as const;

export async function score(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, USAGE, OPTIONS, 1);
  const [file] = positionals;
  if (file === undefined) throw badInput('missing the LOG to re-score (see --help)');
  if (!isReportFormat(values.format)) throw badInput(`--format: expected ${REPORT_FORMATS.join(' or ')}, got ${JSON.stringify(values.format)}`);
  const log = readRunLog(file);
  if (isLeft(log)) throw badInput(log.left);
  if (log.right.samples.length === 0) throw badInput(`${file}: the log has no sample to re-score`);
  const judge = judgeNamed(values.judge, relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.');
  const logDir = preparedOutput('--log-dir', values['log-dir'], 'folder');
  const html = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');
  const started = new Date();
  const runId = newRunId(logDir, started);
  const traces = join(logDir, runId);
  mkdirSync(traces, { recursive: true });
  const logFile = join(logDir, `${runId}.jsonl`);
  const writer = RunLogWriter.open(logFile);
  if (isLeft(writer)) throw badInput(writer.left);
  console.error(`log: ${logFile}`);
  try {
    const runs = await rescoreLog(log.right, {
      judge,
      writer: writer.right,
      traces,
      header: (scenarios) =>
        writer.right.append({ ...log.right.run, pid: process.pid, run_id: runId, started_at: started.toISOString(), judge: values.judge, scenarios, traces: runId, versions: versions(), rescored_from: file }),
    });
    if (isLeft(runs)) throw badInput(runs.left.join('\n'));
    const verdicts = runs.right.map((run) => run.verdict);
    if (html !== undefined) {
      const written = await writeViewerFile(html, { logs: [logFile], open: 'first run' });
      if (isLeft(written)) throw badInput(`--html: ${written.left}`);
    }
    console.log(renderReport(verdicts, values.format, 'overview'));
    return verdicts.every((verdict) => verdict.passed) ? 0 : 1;
  } finally {
    writer.right.close();
  }
}

runWhenMain(import.meta, score);
