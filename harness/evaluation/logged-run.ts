import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { LoadedScenario } from '../scenarios';
import type { Planned } from '../replay';
import { summaryOf } from '../report';
import { evaluate, type EvaluationOptions, type SampleRun } from './evaluation';
import { progressLine } from './progress';
import { rewriteRunLog, RunLogWriter, type RunLine, type RunLog } from './run-log';
import { changedScenarios, newRunId, scenarioRecords, versions } from './run-record';
import { sampleKey, samplesOf } from './samples';

/**
 * A run of the benchmark with its log: a new log in the log folder (its traces in a folder of the
 * run's id beside it), or a resumed one, whose missing samples are run and appended. The log ends
 * with the summary of the JSON report, so that a log read alone says how the run went.
 */

/** What the run line records of the run, beyond what the run itself knows. */
export type RunSettings = Omit<RunLine, 'kind' | 'run_id' | 'started_at' | 'traces' | 'versions' | 'scenarios'>;

export interface LoggedRunRequest extends Omit<EvaluationOptions, 'planned' | 'log' | 'traces' | 'done' | 'onFinished'> {
  readonly scenarios: readonly LoadedScenario[];
  readonly planned: readonly Planned[];
  readonly settings: RunSettings;
  /** A new log in this folder, or the log to resume. */
  readonly target: { readonly logDir: string } | { readonly resume: RunLog };
  /** On a queue: how many workers' runs came back so far, for the progress line. */
  readonly workersSeen?: () => number;
}

export interface LoggedRun {
  readonly runs: readonly SampleRun[];
  readonly logFile: string;
}

function opened(request: LoggedRunRequest): Either<string[], { file: string; traces: string; writer: RunLogWriter; run: RunLine; log?: RunLog }> {
  const { target } = request;
  if ('resume' in target) {
    const changed = changedScenarios(target.resume.run.scenarios, request.scenarios);
    if (changed.length > 0) return left(changed.map((problem) => `--resume ${target.resume.file}: ${problem}`));
    const writer = RunLogWriter.open(target.resume.file, target.resume.wholeBytes);
    if (isLeft(writer)) return left([writer.left]);
    const { file, run } = target.resume;
    return right({ file, traces: join(dirname(file), run.traces), writer: writer.right, run, log: target.resume });
  }
  const started = new Date();
  const runId = newRunId(target.logDir, started);
  const file = join(target.logDir, `${runId}.jsonl`);
  const traces = join(target.logDir, runId);
  mkdirSync(traces, { recursive: true });
  const writer = RunLogWriter.open(file);
  if (isLeft(writer)) return left([writer.left]);
  const run: RunLine = {
    kind: 'run',
    run_id: runId,
    started_at: started.toISOString(),
    pid: process.pid,
    ...request.settings,
    scenarios: scenarioRecords(request.scenarios),
    traces: runId,
    versions: versions(),
  };
  writer.right.append(run);
  return right({ file, traces, writer: writer.right, run });
}

export async function loggedRun(request: LoggedRunRequest, announce: (logFile: string) => void): Promise<Either<string[], LoggedRun>> {
  const log = opened(request);
  if (isLeft(log)) return log;
  const { file, traces, writer, run } = log.right;
  announce(file);
  let closed = false;
  try {
    const { epochs, seed } = request.settings;
    const samples = samplesOf(request.scenarios, epochs, seed);
    const done = new Map((log.right.log?.samples ?? []).map((line) => [sampleKey(line.verdict.id, line.verdict.epoch), line]));
    const progress = progressLine(samples.length - done.size, request.workersSeen === undefined ? {} : { workersSeen: request.workersSeen });
    let finished = 0;
    const runs = await evaluate(samples, {
      ...request,
      planned: new Map(request.planned.map((planned) => [planned.loaded.id, planned])),
      log: writer,
      traces,
      done,
      onFinished: (passed) => {
        finished += 1;
        progress.finished(passed);
      },
    });
    progress.end();
    if (isLeft(runs)) {
      // A new log in which no sample finished holds nothing to resume or score: it is not kept.
      if (log.right.log !== undefined || finished > 0) return runs;
      writer.close();
      closed = true;
      rmSync(file, { force: true });
      rmSync(traces, { recursive: true, force: true });
      return left(runs.left.map((problem, index) => (index === runs.left.length - 1 ? `${problem} (no scenario finished: ${file} is not kept)` : problem)));
    }
    writer.close();
    closed = true;
    rewriteRunLog(file, [run, ...runs.right.map((sample) => sample.line), { kind: 'summary', summary: summaryOf(runs.right.map((sample) => sample.verdict)), ended_at: new Date().toISOString() }]);
    return right({ runs: runs.right, logFile: file });
  } finally {
    if (!closed) writer.close();
  }
}
