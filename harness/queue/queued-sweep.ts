import { randomBytes } from 'node:crypto';
import { jetstream, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { CycleIndicators } from '../../domain/population/metrics';
import { errorMessage } from '../../domain/codec/error-message';
import type { SweepPoint } from '../simulation';
import type { QueueConnection } from './connection';
import { decoded, decodedResult, encoded, RunManifest, type WorkItem } from './messages';
import { itemId, manifestSubject, RESULTS_STREAM, resultsOf, resultSubject, WORK_STREAM, WORKERS_CONSUMER, workSubject } from './streams';

/**
 * A sweep run by the queue's workers: its manifest (the points, the output, the code version) is stored first, so
 * that --resume needs nothing but the run's id; then one work item per point and seed; then the results are read
 * back, by point, from the results stream until each point has one. A point that fails on every delivery stops the
 * sweep with its reason, as a local sweep does. The rows come back in point order, whoever ran them.
 */

export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly workers: number;
  /** Of the items done since this submitter started: the pace for an ETA. */
  readonly doneHere: number;
}

export interface QueuedSweep {
  /** Each point's rows, every cycle's, in point order. */
  readonly rows: (readonly CycleIndicators[])[];
  readonly workers: number;
  /** Items queued by this submitter (all of them, or on --resume those missing). */
  readonly queued: number;
}

export const MAX_DELIVERIES_ADVISORY = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${WORK_STREAM}.${WORKERS_CONSUMER}`;

/** A run's id: the time to the second and a random tail, a valid subject token either way. */
export function newQueueRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function sweepManifest(runId: string, codeVersion: string, points: readonly SweepPoint[], groupNames: readonly string[], sweepOut: string): RunManifest {
  return {
    kind: 'sweep',
    run_id: runId,
    code_version: codeVersion,
    group_names: [...groupNames],
    points: points.map(({ assignments, seed, config }) => ({ assignments: assignments.map(([param, value]) => [param, value] as [string, unknown]), seed, config })),
    sweep_out: sweepOut,
  };
}

/** The manifest a run stored, to resume it. */
export async function storedManifest(queue: QueueConnection, runId: string): Promise<Either<string, RunManifest>> {
  if (!/^[A-Za-z0-9_-]+$/.test(runId)) return left(`--resume: ${JSON.stringify(runId)} is not a run id (the id the submitter printed as "run: ID")`);
  const stored = await queue.jsm.streams.getMessage(RESULTS_STREAM, { last_by_subj: manifestSubject(runId) }).catch(() => null);
  if (stored === null) return left(`--resume ${runId}: ${queue.shown} has no such run (its results are kept 7 days)`);
  return decoded(RunManifest, stored.data, `--resume ${runId}: the run's manifest`);
}

const publishItem = (js: JetStreamClient, manifest: RunManifest, index: number, code_version: string, msgID: string) => {
  const item: WorkItem = { kind: 'sweep-point', item_id: itemId(manifest.run_id, index), run_id: manifest.run_id, index, code_version, config: manifest.points[index]!.config };
  return js.publish(workSubject(manifest.run_id, index), encoded(item), { msgID });
};

/** Queues the items a run lacks: all of them for a new run; on a resume those with neither a result nor an item still queued. */
async function queueMissing(queue: QueueConnection, js: JetStreamClient, manifest: RunManifest, fresh: boolean): Promise<number> {
  const has = async (stream: string, subject: string) => (await queue.jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null)) !== null;
  if (fresh) await js.publish(manifestSubject(manifest.run_id), encoded(manifest), { msgID: manifestSubject(manifest.run_id) });
  // A re-queued item needs a message id of its own: the first one may still be inside the server's duplicate window.
  const attempt = fresh ? '' : `.resumed-${Date.now()}`;
  let queued = 0;
  for (let index = 0; index < manifest.points.length; index++) {
    if (!fresh && ((await has(RESULTS_STREAM, resultSubject(manifest.run_id, index))) || (await has(WORK_STREAM, workSubject(manifest.run_id, index))))) continue;
    await publishItem(js, manifest, index, manifest.code_version, `${itemId(manifest.run_id, index)}${attempt}`);
    queued++;
  }
  return queued;
}

export async function queuedSweep(
  queue: QueueConnection,
  manifest: RunManifest,
  options: { readonly fresh: boolean; readonly onProgress?: (progress: SweepProgress) => void },
): Promise<Either<string, QueuedSweep>> {
  const js = jetstream(queue.nc);
  const total = manifest.points.length;
  const rows: (readonly CycleIndicators[] | undefined)[] = new Array(total);
  const workers = new Set<string>();
  const startedAt = Date.now();
  let done = 0;
  let doneHere = 0;
  let failure: string | undefined;
  let messages: ConsumerMessages | undefined;
  const stopWith = (reason: string) => {
    failure ??= reason;
    void messages?.close();
  };
  // An item whose every delivery went to a worker that died with it: the server says so, and the sweep stops.
  const advisories = queue.nc.subscribe(MAX_DELIVERIES_ADVISORY, {
    callback: (error, msg) => {
      if (error !== null) return;
      const { stream_seq, deliveries } = msg.json<{ stream_seq: number; deliveries: number }>();
      void queue.jsm.streams.getMessage(WORK_STREAM, { seq: stream_seq }).then(async (stored) => {
        const match = stored === null ? null : /^syntropism\.work\.([^.]+)\.(\d+)$/.exec(stored.subject);
        if (match === null || match[1] !== manifest.run_id) return;
        await queue.jsm.streams.deleteMessage(WORK_STREAM, stream_seq).catch(() => false);
        stopWith(`point ${Number(match[2]) + 1}: delivered ${deliveries} times and never finished (each worker stopped or died on it)`);
      }, () => undefined);
    },
  });
  try {
    const queued = await queueMissing(queue, js, manifest, options.fresh);
    const consumer = await js.consumers.get(RESULTS_STREAM, { filter_subjects: resultsOf(manifest.run_id) });
    options.onProgress?.({ done, total, workers: 0, doneHere });
    if (total > 0 && failure === undefined) {
      messages = await consumer.consume();
      for await (const msg of messages) {
        const result = decodedResult(msg.data, `result ${msg.subject}`);
        if (isLeft(result)) {
          stopWith(result.left);
          break;
        }
        const { index, worker } = result.right;
        if (index < 0 || index >= total || rows[index] !== undefined) continue;
        if ('error' in result.right) {
          stopWith(`point ${index + 1}: ${result.right.error}`);
          break;
        }
        if (!('rows' in result.right)) {
          stopWith(`point ${index + 1}: its result is not a sweep point's`);
          break;
        }
        rows[index] = result.right.rows;
        workers.add(worker);
        done++;
        if (msg.time.getTime() >= startedAt) doneHere++;
        options.onProgress?.({ done, total, workers: workers.size, doneHere });
        if (done === total) break;
      }
    }
    if (failure !== undefined) return left(failure);
    return right({ rows: rows as (readonly CycleIndicators[])[], workers: workers.size, queued });
  } catch (error) {
    return left(failure ?? `the queue failed: ${errorMessage(error)}`);
  } finally {
    advisories.unsubscribe();
    await messages?.close();
  }
}
