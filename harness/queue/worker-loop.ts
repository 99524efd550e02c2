import { hostname } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { jetstream, type Consumer, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { millis, nanos, type NatsConnection } from '@nats-io/transport-node';
import { isLeft } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import { sweepThread, type PointResult } from '../simulation';
import type { QueueConnection } from './connection';
import { decoded, encoded, WorkItem, type ItemResult } from './messages';
import { runArenaSeedItem } from './arena-seed-runner';
import { runSampleItem } from './sample-runner';
import type { CycleIndicators } from '../../domain/population/metrics';
import type { SeedResult } from '../arena/index';
import type { ScenarioRun } from '../replay';
import { DEFAULT_ACK_WAIT_SECONDS, MAX_DELIVER, RESULTS_STREAM, resultSubject, WORK_STREAM, WORKERS_CONSUMER } from './streams';

/**
 * A worker's loop: it asks for one item at a time (so no item waits in a busy worker's buffer), runs it with the code
 * a local run uses (a sweep point on a thread of the bundled sweep runner, a scenario sample with runPlanned, an
 * arena seed with runArenaSeed), tells the server it is still working every third of the ack wait
 * (the run keeps the thread busy, not this one), stores the result, and acks only once the result is stored. An item
 * that fails, or that it refuses (another code version), goes back for another delivery; on its last delivery the
 * failure is stored as the item's result, with its reason, so the submitter reports it instead of waiting.
 */

export interface WorkerOptions {
  readonly version: string;
  /** The bundled sweep-worker.ts. */
  readonly script: string;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

const PULL_EXPIRES_MS = 5_000;
const RETRY_MS = 1_000;
const NAK_DELAY_MS = 1_000;

export const workerName = (): string => `${hostname()}:${process.pid}`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One thread, started again if it dies, answering one point at a time. */
class PointRunner {
  private thread: Worker | undefined;

  constructor(private readonly script: string) {}

  run(index: number, config: unknown): Promise<PointResult> {
    const thread = (this.thread ??= sweepThread(this.script));
    return new Promise((resolve) => {
      const settle = (result: PointResult) => {
        thread.off('message', settle);
        thread.off('error', failed);
        resolve(result);
      };
      const failed = (error: Error) => {
        this.thread = undefined;
        settle({ index, error: `the run's thread failed: ${error.message}` });
      };
      thread.on('message', settle);
      thread.on('error', failed);
      thread.postMessage({ index, config });
    });
  }

  async stop(): Promise<void> {
    await this.thread?.terminate();
  }
}

export async function serveQueue(queue: QueueConnection, options: WorkerOptions): Promise<void> {
  const js = jetstream(queue.nc);
  const runner = new PointRunner(options.script);
  const worker = workerName();
  let waiting = false;
  let current: JsMsg | undefined;
  // Stopped mid-item, the worker hands the item back at once instead of letting it wait out the ack wait.
  options.signal.addEventListener('abort', () => current?.nak(), { once: true });
  try {
    const consumer = await js.consumers.get(WORK_STREAM, WORKERS_CONSUMER);
    while (!options.signal.aborted) {
      let msg: JsMsg | null;
      const asked = performance.now();
      try {
        msg = await consumer.next({ expires: PULL_EXPIRES_MS });
        if (waiting) options.log(`worker: the server answers again`);
        waiting = false;
      } catch (error) {
        if (!waiting) options.log(`worker: waiting for the server (${errorMessage(error)})`);
        waiting = true;
        await pause(RETRY_MS);
        continue;
      }
      if (msg === null) continue;
      current = msg;
      try {
        await handle(msg, performance.now() - asked, { js, queue, consumer, runner, worker, options });
      } catch (error) {
        // The server went away mid-item: the item, not acked, is delivered again once it is back.
        options.log(`worker: item ${msg.subject} interrupted (${errorMessage(error)}); it will be delivered again`);
      }
      current = undefined;
    }
  } finally {
    await runner.stop();
  }
}

interface Handling {
  readonly js: JetStreamClient;
  readonly queue: QueueConnection;
  readonly consumer: Consumer;
  readonly runner: PointRunner;
  readonly worker: string;
  readonly options: WorkerOptions;
}

/** `fetchMs`: from asking for an item to having it, which is the queue's own cost while items wait. */
async function handle(msg: JsMsg, fetchMs: number, { js, queue, consumer, runner, worker, options }: Handling): Promise<void> {
  const item = decoded(WorkItem, msg.data, `work item ${msg.subject}`);
  if (isLeft(item)) {
    options.log(`worker: dropped ${item.left}`);
    return msg.term(item.left);
  }
  const { item_id, run_id, index } = item.right;
  const askedInfo = performance.now();
  const { config } = await consumer.info();
  const infoMs = performance.now() - askedInfo;
  const maxDeliver = config.max_deliver ?? MAX_DELIVER;
  const lastDelivery = msg.info.deliveryCount >= maxDeliver;
  const base = { item_id, run_id, index, worker };
  if (item.right.code_version !== options.version) {
    const reason = `refused by worker ${worker}: the item was made by code version ${item.right.code_version}, this worker runs ${options.version}; run workers from the submitter's checkout`;
    options.log(`worker: ${reason} (item ${item_id})`);
    if (!lastDelivery) return msg.nak(NAK_DELAY_MS);
    await storeAndAck(msg, { ...base, run_ms: 0, error: reason }, js, options);
    return;
  }
  // A redelivery of an item whose result is stored already (its ack was lost): only the ack is missing.
  if (msg.redelivered && (await queue.jsm.streams.getMessage(RESULTS_STREAM, { last_by_subj: resultSubject(run_id, index) }).catch(() => null)) !== null) {
    return void (await msg.ackAck().catch(() => false));
  }
  options.log(`worker: item ${item_id} started (delivery ${msg.info.deliveryCount} of ${maxDeliver})`);
  const heartbeat = setInterval(() => msg.working(), Math.max(100, millis(config.ack_wait ?? nanos(DEFAULT_ACK_WAIT_SECONDS * 1000)) / 3));
  try {
    const started = performance.now();
    const outcome = await answerOf(item.right, runner, queue.nc);
    const run_ms = performance.now() - started;
    if ('error' in outcome && !lastDelivery) {
      options.log(`worker: item ${item_id} failed on delivery ${msg.info.deliveryCount} of ${maxDeliver}: ${outcome.error}`);
      return msg.nak(NAK_DELAY_MS);
    }
    const result = { ...base, run_ms, ...outcome } as ItemResult;
    if (encoded(result).length > queue.nc.info!.max_payload) {
      await storeAndAck(msg, { ...base, run_ms, error: `its result is larger than the server's max_payload (${queue.nc.info!.max_payload} bytes): raise max_payload in the server's configuration` }, js, options);
      return;
    }
    const overhead = await storeAndAck(msg, result, js, options);
    if (overhead !== undefined) {
      options.log(`worker: item ${item_id} ran in ${Math.round(run_ms)} ms; queue overhead ${(fetchMs + infoMs + overhead).toFixed(1)} ms (fetch ${fetchMs.toFixed(1)}, consumer info ${infoMs.toFixed(1)}, store and ack ${overhead.toFixed(1)})`);
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** What an item answers: a sweep point's rows (every cycle's), a sample's run, an arena seed's result, or why there is none. */
async function answerOf(
  item: WorkItem,
  runner: PointRunner,
  nc: NatsConnection,
): Promise<{ rows: readonly CycleIndicators[] } | { run: ScenarioRun } | { seed_result: SeedResult } | { error: string }> {
  if (item.kind === 'sweep-point') {
    const outcome = await runner.run(item.index, item.config);
    return 'error' in outcome ? { error: outcome.error } : { rows: outcome.rows };
  }
  if (item.kind === 'arena-seed') {
    const result = await runArenaSeedItem(item);
    return isLeft(result) ? { error: result.left } : { seed_result: result.right };
  }
  const run = await runSampleItem(item, nc);
  return isLeft(run) ? { error: run.left } : { run: run.right };
}

/** Stores the result (once: a second copy is refused by the stream) and then acks; the milliseconds both took, or undefined when stopped first. */
async function storeAndAck(msg: JsMsg, result: ItemResult, js: JetStreamClient, options: WorkerOptions): Promise<number | undefined> {
  const started = performance.now();
  while (!options.signal.aborted) {
    try {
      await js.publish(resultSubject(result.run_id, result.index), encoded(result), { msgID: result.item_id });
      break;
    } catch (error) {
      if (/maximum messages per subject/i.test(errorMessage(error))) break;
      options.log(`worker: cannot store the result of ${result.item_id} yet (${errorMessage(error)}); trying again`);
      await pause(RETRY_MS);
    }
  }
  if (options.signal.aborted) return undefined;
  // A lost ack only means a redelivery, which finds the result stored.
  await msg.ackAck().catch(() => false);
  return performance.now() - started;
}
