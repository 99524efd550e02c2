import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CycleIndicators } from '../../domain/population-metrics';
import { csvCell, formatNumber, metricsHeader, metricsLine } from './metrics';
import { assign, decodeStudy, type RawConfig } from './study';
import { sweepWorkerScript } from './sweep-bundle';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/error-message';

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

export type PointResult = { readonly index: number } & ({ readonly row: CycleIndicators } | { readonly error: string });

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

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Runs the points on `workers` threads; `onProgress` hears how many are done. Rows in point order. */
export async function runSweep(
  points: readonly SweepPoint[],
  workers: number,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<Either<string, CycleIndicators[]>> {
  const rows: CycleIndicators[] = new Array(points.length);
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  try {
    const script = await sweepWorkerScript();
    for (let started = 0; started < Math.min(workers, points.length); started++) {
      pool.push(new Worker(script, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }));
    }
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= points.length) return resolve();
              const index = next++;
              worker.postMessage({ index, config: points[index]!.config });
            };
            worker.on('message', (result: PointResult) => {
              if ('error' in result) return reject(new Error(`point ${result.index + 1}: ${result.error}`));
              rows[result.index] = result.row;
              onProgress(++done, points.length);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (next < points.length || done < points.length ? reject(new Error(`a sweep worker exited with code ${code}`)) : undefined));
            send();
          }),
      ),
    );
    return right(rows);
  } catch (error) {
    return left(errorMessage(error));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

/** One row per point and seed: the swept values, the seed, then the last cycle's indicators. */
export function sweepCsv(points: readonly SweepPoint[], rows: readonly CycleIndicators[], groupNames: readonly string[]): string {
  const params = points[0]?.assignments.map(([param]) => param) ?? [];
  const header = [...params, 'seed', ...metricsHeader(groupNames)].map(csvCell).join(',');
  const lines = points.map((point, index) => {
    const values = point.assignments.map(([, value]) => (typeof value === 'number' ? formatNumber(value) : csvCell(String(value))));
    return [...values, csvCell(point.seed), metricsLine(rows[index]!, groupNames)].join(',');
  });
  return `${[header, ...lines].join('\n')}\n`;
}
