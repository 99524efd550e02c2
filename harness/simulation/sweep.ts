import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CycleIndicators } from '../../domain/population/metrics';
import { csvCell, formatNumber, metricsHeader, metricsLine } from './metrics';
import { assign, decodeStudy, type RawConfig } from './study';
import { sweepWorkerScript } from './sweep-bundle';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * A parameter sweep: every combination of the swept values, for every seed, each run in a fresh world
 * on a pool of worker threads. Points are numbered before they run and rows are put back in that
 * order, so the rows do not depend on how many workers ran them or which finished first.
 */

export interface SweepAxis {
  readonly param: string;
  readonly values: readonly unknown[];
}

export interface SweepPoint {
  readonly assignments: readonly (readonly [string, unknown])[];
  readonly seed: string;
  readonly config: RawConfig;
}

/** A point's run as a worker answers it: every cycle's row, from cycle 0 on, or why it could not run. */
export type PointResult = { readonly index: number } & ({ readonly rows: readonly CycleIndicators[] } | { readonly error: string });

/** `param=v1,v2,…`: values read as JSON where they are JSON (numbers, true, "text"), as text otherwise. */
export function parseSweep(text: string): Either<string, SweepAxis> {
  const equals = text.indexOf('=');
  if (equals <= 0) return left(`--sweep: expected param=v1,v2,…, got ${JSON.stringify(text)}`);
  const param = text.slice(0, equals);
  const values = text
    .slice(equals + 1)
    .split(',')
    .map((value) => value.trim());
  if (values.some((value) => value === '')) return left(`--sweep ${param}: a value is empty in ${JSON.stringify(text)}`);
  return right({ param, values: values.map(readValue) });
}

function readValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The same parameter swept twice would make two columns of one name, the later values silently winning. */
export function repeatedAxis(axes: readonly SweepAxis[]): string | undefined {
  const seen = new Set<string>();
  for (const { param } of axes) {
    if (seen.has(param)) return `--sweep ${param} is given twice: give all its values in one --sweep '${param}=v1,v2,…'`;
    seen.add(param);
  }
  return undefined;
}

/** `A..B`: the whole-number seeds from A to B, both included. */
export function parseSeeds(text: string): Either<string, string[]> {
  const match = /^(-?\d+)\.\.(-?\d+)$/.exec(text);
  if (match === null) return left(`--seeds: expected A..B (whole numbers), got ${JSON.stringify(text)}`);
  const [from, to] = [Number(match[1]), Number(match[2])];
  if (to < from) return left(`--seeds: ${text} is empty (B must not be below A)`);
  return right(Array.from({ length: to - from + 1 }, (_, offset) => String(from + offset)));
}

/** The grid, in a fixed order (first axis slowest, seeds fastest), each point checked as a config file would be. */
export function sweepPoints(base: RawConfig, axes: readonly SweepAxis[], seeds: readonly string[]): Either<string[], SweepPoint[]> {
  let combinations: (readonly [string, unknown])[][] = [[]];
  for (const { param, values } of axes) combinations = combinations.flatMap((done) => values.map((value) => [...done, [param, value] as const]));
  const points: SweepPoint[] = [];
  for (const assignments of combinations) {
    for (const seed of seeds) {
      const config = assignments.reduce<RawConfig>((config, [param, value]) => assign(config, param, value), { ...base, seed });
      const where = `the sweep point ${[...assignments.map(([param, value]) => `${param}=${JSON.stringify(value)}`), `seed=${seed}`].join(' ')}`;
      const checked = decodeStudy(config, where);
      if (isLeft(checked)) return checked;
      points.push({ assignments, seed, config });
    }
  }
  return right(points);
}

/**
 * In V8's default young generation for a thread (48 MB) scavenges come too often for a run's short-lived objects to
 * have died: most survive and are promoted, and the old generation fills with garbage that full collections, largely
 * on V8's helper threads, must clear (12 of them for six default-study runs; 2 at 128 MB, where a scavenge keeps a
 * quarter). That helper work kept one worker on more than one core, leaving a second worker less to gain. The limit
 * is a ceiling, not an allocation.
 */
const YOUNG_GENERATION_MB = 128;

/** A thread that runs the points it is sent with `script`, the bundled sweep-worker.ts, and answers each with a `PointResult`. */
export function sweepThread(script: string): Worker {
  return new Worker(script, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export interface SweepOptions {
  /** Hears how many runs are done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Hears each point's rows as it finishes, in whatever order the points finish. */
  readonly onPoint?: (index: number, rows: readonly CycleIndicators[]) => void;
  /** Once aborted, no further point starts and the points under way are dropped. */
  readonly signal?: AbortSignal;
}

export interface SweepRun {
  /** Each point's rows, by point; a point that never finished (the sweep was interrupted) has none. */
  readonly rows: readonly (readonly CycleIndicators[] | undefined)[];
  readonly interrupted: boolean;
}

/** Runs the points on `workers` threads (never more threads than points). */
export async function runSweep(points: readonly SweepPoint[], workers: number, options: SweepOptions = {}): Promise<Either<string, SweepRun>> {
  const rows: (readonly CycleIndicators[] | undefined)[] = new Array(points.length).fill(undefined);
  const { signal } = options;
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  try {
    const script = await sweepWorkerScript();
    for (let started = 0; started < Math.min(workers, points.length); started++) pool.push(sweepThread(script));
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= points.length || signal?.aborted === true) return resolve();
              const index = next++;
              worker.postMessage({ index, config: points[index]!.config });
            };
            signal?.addEventListener('abort', () => resolve(), { once: true });
            worker.on('message', (result: PointResult) => {
              if ('error' in result) return reject(new Error(`point ${result.index + 1}: ${result.error}`));
              rows[result.index] = result.rows;
              options.onPoint?.(result.index, result.rows);
              done += 1;
              options.onProgress?.(done, points.length);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (signal?.aborted !== true && (next < points.length || done < points.length) ? reject(new Error(`a sweep worker exited with code ${code}`)) : undefined));
            send();
          }),
      ),
    );
    return right({ rows, interrupted: done < points.length });
  } catch (error) {
    return left(errorMessage(error));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

/** The sweep file's header: the swept parameters, `seed`, then the metrics' columns. */
export function sweepHeader(points: readonly SweepPoint[], groupNames: readonly string[]): string {
  const params = points[0]?.assignments.map(([param]) => param) ?? [];
  return [...params, 'seed', ...metricsHeader(groupNames)].map(csvCell).join(',');
}

/** A point's lines: its swept values and seed, then the last cycle's indicators, or every cycle's with `everyCycle`. */
export function pointLines(point: SweepPoint, rows: readonly CycleIndicators[], groupNames: readonly string[], everyCycle: boolean): string[] {
  const values = point.assignments.map(([, value]) => (typeof value === 'number' ? formatNumber(value) : csvCell(String(value))));
  const kept = everyCycle ? rows : rows.slice(-1);
  return kept.map((row) => [...values, csvCell(point.seed), metricsLine(row, groupNames)].join(','));
}
