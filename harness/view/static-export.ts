import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { statSync } from 'node:fs';
import { readRunLog } from '../evaluation';
import { compareViewOf, runViewOf, sampleViewOf, storedRunOf, type StoredRun } from './log-views';
import { machineDiagrams } from './machines';
import { pageAssets } from './page-bundle';
import { sampleKeyOf, type CompareView, type RunView, type SampleView, type StaticData } from './viewer-data';
import { viewerHtml } from './viewer-html';

/**
 * The viewer as one self-contained file: the page of `view.ts` with every run, sample and diagram it
 * can show inlined, opening at `start`. What `run.ts --html`, `score.ts --html` and `compare.ts --html`
 * write, and `view.ts --out`.
 */

export interface ExportOptions {
  readonly title: string;
  /** Where the page opens: the one run, or the comparison of every run. */
  readonly open: 'runs' | 'first run' | 'comparison';
}

export async function staticViewer(runs: readonly StoredRun[], options: ExportOptions): Promise<Either<string, string>> {
  const runViews: Record<string, RunView> = {};
  const samples: Record<string, SampleView> = {};
  for (const run of runs) {
    runViews[run.entry.id] = runViewOf(run.log, run.entry);
    for (const index of run.log.samples.keys()) {
      const sample = sampleViewOf(run, index);
      if (isLeft(sample)) return sample;
      samples[sampleKeyOf(run.entry.id, index)] = sample.right;
    }
  }
  const comparisons: Record<string, CompareView> = {};
  const ids = runs.map((run) => run.entry.id);
  if (runs.length > 1) {
    const compared = compareViewOf(runs.map((run) => run.log), runs.map((run) => run.entry));
    if (isLeft(compared) && options.open === 'comparison') return compared;
    if (!isLeft(compared)) comparisons[ids.join(',')] = compared.right;
  }
  const start = options.open === 'comparison' ? `#/compare/${ids.map(encodeURIComponent).join(',')}` : options.open === 'first run' && ids[0] !== undefined ? `#/run/${encodeURIComponent(ids[0])}` : '#/';
  const data: StaticData = { start, runs: runs.map((run) => run.entry), runViews, samples, machines: await machineDiagrams(), comparisons };
  return right(viewerHtml(await pageAssets(), options.title, data));
}

/** The logs in `files`, read from disk with their traces, as of now. */
export function storedRuns(files: readonly string[]): Either<string, StoredRun[]> {
  const runs: StoredRun[] = [];
  const now = Date.now();
  for (const file of files) {
    const log = readRunLog(file);
    if (isLeft(log)) return log;
    runs.push(storedRunOf(log.right, statSync(file).mtimeMs, now));
  }
  return runs.length === 0 ? left('no log to show') : right(runs);
}
