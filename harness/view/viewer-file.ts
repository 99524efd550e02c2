import { writeFileSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/economy/events';
import { errorMessage } from '../../domain/codec/error-message';
import { type RunLine, type RunLog, sampleLineOf, type SampleLine, versions } from '../evaluation';
import type { ScenarioRun } from '../replay';
import { summaryOf } from '../report';
import { runEntryOf, type StoredRun } from './log-views';
import { staticViewer, storedRuns, type ExportOptions } from './static-export';

/**
 * `--html FILE` of run.ts, score.ts and compare.ts: the viewer of the logs the command wrote or read,
 * as one self-contained file. A trace checked with `run.ts --trace` has no log: it is shown as a run
 * of its own, its one sample held in memory.
 */

export type ViewerInput =
  | { readonly logs: readonly string[]; readonly open: ExportOptions['open'] }
  | { readonly checked: readonly ScenarioRun[]; readonly traceFile: string; readonly judge: string };

/** The checked traces as a run that is over, whose samples are the traces. */
function checkedRun(runs: readonly ScenarioRun[], traceFile: string, judge: string): StoredRun {
  const now = new Date();
  const run: RunLine = {
    kind: 'run',
    run_id: 'checked-trace',
    started_at: now.toISOString(),
    args: [],
    cwd: process.cwd(),
    agent: `the recorded trace ${traceFile}`,
    seed: 0,
    epochs: 1,
    judge,
    scripts: 'reference',
    scenarios: runs.map(({ verdict }) => ({ id: verdict.id, domain: verdict.domain, file: traceFile, sha256: '' })),
    traces: '',
    versions: versions(),
  };
  const samples = runs.map((checked) => sampleLineOf(checked, { epoch: 1, seed: 0 }, { file: traceFile, sha256: '' }));
  const log: RunLog = { file: traceFile, run, samples, summary: { kind: 'summary', summary: summaryOf(runs.map((run) => run.verdict)) }, wholeBytes: 0 };
  const traces = new Map<SampleLine, readonly DomainEvent[]>(samples.map((line, index) => [line, runs[index]!.trace]));
  return { log, entry: runEntryOf(log, now.getTime(), now.getTime()), trace: (line) => right(traces.get(line) ?? []), stderr: () => undefined };
}

export async function writeViewerFile(file: string, input: ViewerInput): Promise<Either<string, void>> {
  const runs = 'logs' in input ? storedRuns(input.logs) : right([checkedRun(input.checked, input.traceFile, input.judge)]);
  if (isLeft(runs)) return runs;
  const html = await staticViewer(runs.right, { title: 'Syntropism runs', open: 'logs' in input ? input.open : 'first run' });
  if (isLeft(html)) return html;
  try {
    writeFileSync(file, html.right);
    return right(undefined);
  } catch (error) {
    return left(`cannot write ${file}: ${errorMessage(error)}`);
  }
}
