import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { jetstream, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import type { Sample } from '../evaluation';
import type { Planned, ScenarioRun } from '../replay';
import type { QueueConnection } from './connection';
import { sampleName } from './live-events';
import { decodedResult, encoded, type SampleItem } from './messages';
import { MAX_DELIVERIES_ADVISORY } from './queued-sweep';
import { itemId, RESULTS_STREAM, resultsOf, resultSubject, WORK_STREAM, workSubject } from './streams';

/**
 * An evaluation's samples run by the queue's workers, in place of runPlanned on this machine: each sample becomes a
 * work item (unless its result is stored, or its item still queued, as after the submitter died), and its run comes
 * back from the results stream. Everything else — the traces, the log lines, the report — is the local path's own
 * code, so the output is a local run's. The queue's run id is the log's, tied to this host and log file, so that
 * `--resume LOG` finds the results its first submitter left.
 */

export interface SampleSettings {
  readonly judge: string;
  /** The agent options as typed, without the ones that name this machine's files (pricing, model cache). */
  readonly agent: Readonly<Record<string, string>>;
  readonly version: string;
  /** `--publish-events`: the subject prefix, and the run (the log's id) the events' headers name. */
  readonly events?: { readonly prefix: string; readonly run: string };
}

export const queueRunIdOf = (logFile: string): string =>
  `${basename(logFile, '.jsonl')}-${createHash('sha256').update(`${hostname()}\0${resolve(logFile)}`).digest('hex').slice(0, 6)}`;

/** A worker's run, with how long it took on the worker (not the time it waited in the queue). */
type WorkerRun = ScenarioRun & { readonly duration_ms: number };
type Waiting = (outcome: Either<string[], WorkerRun>) => void;

export class QueuedSamples {
  private readonly js: JetStreamClient;
  private readonly waiting = new Map<number, Waiting>();
  private readonly arrived = new Map<number, Either<string[], WorkerRun>>();
  private readonly workers = new Set<string>();
  private messages: ConsumerMessages | undefined;
  private advisories: Subscription | undefined;
  private listening: Promise<void> | undefined;
  /** Re-queued items need message ids of their own: a first one may still be inside the server's duplicate window. */
  private readonly attempt = Date.now();

  constructor(
    private readonly queue: QueueConnection,
    readonly runId: string,
    private readonly settings: SampleSettings,
  ) {
    this.js = jetstream(queue.nc);
  }

  private settle(index: number, outcome: Either<string[], WorkerRun>): void {
    const waiter = this.waiting.get(index);
    if (waiter === undefined) this.arrived.set(index, outcome);
    else {
      this.waiting.delete(index);
      waiter(outcome);
    }
  }

  private listen(): Promise<void> {
    this.listening ??= (async () => {
      this.advisories = this.queue.nc.subscribe(MAX_DELIVERIES_ADVISORY, {
        callback: (error, msg) => {
          if (error !== null) return;
          const { stream_seq, deliveries } = msg.json<{ stream_seq: number; deliveries: number }>();
          void this.queue.jsm.streams.getMessage(WORK_STREAM, { seq: stream_seq }).then(async (stored) => {
            const match = stored === null ? null : /^syntropism\.work\.([^.]+)\.(\d+)$/.exec(stored.subject);
            if (match === null || match[1] !== this.runId) return;
            await this.queue.jsm.streams.deleteMessage(WORK_STREAM, stream_seq).catch(() => false);
            this.settle(Number(match[2]), left([`delivered ${deliveries} times and never finished (each worker stopped or died on it)`]));
          }, () => undefined);
        },
      });
      const consumer = await this.js.consumers.get(RESULTS_STREAM, { filter_subjects: resultsOf(this.runId) });
      this.messages = await consumer.consume();
      const messages = this.messages;
      void (async () => {
        for await (const msg of messages) {
          const result = decodedResult(msg.data, `result ${msg.subject}`);
          if (isLeft(result)) continue;
          const { index, worker } = result.right;
          if ('run' in result.right) {
            this.workers.add(worker);
            this.settle(index, right({ ...result.right.run, duration_ms: Math.round(result.right.run_ms) }));
          } else if ('error' in result.right) this.settle(index, left([result.right.error]));
        }
      })();
    })();
    return this.listening;
  }

  /** The workers whose runs came back so far. */
  get workersSeen(): number {
    return this.workers.size;
  }

  /** The run of one sample, by a worker. */
  async run(sample: Sample, planned: Planned): Promise<Either<string[], WorkerRun>> {
    await this.listen();
    const done = this.arrived.get(sample.index);
    if (done !== undefined) return done;
    const outcome = new Promise<Either<string[], WorkerRun>>((resolve) => this.waiting.set(sample.index, resolve));
    const has = async (stream: string, subject: string) => (await this.queue.jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null)) !== null;
    try {
      if (!(await has(RESULTS_STREAM, resultSubject(this.runId, sample.index))) && !(await has(WORK_STREAM, workSubject(this.runId, sample.index)))) {
        await this.js.publish(workSubject(this.runId, sample.index), encoded(this.itemOf(sample, planned)), { msgID: `${itemId(this.runId, sample.index)}.${this.attempt}` });
      }
    } catch (error) {
      this.waiting.delete(sample.index);
      return left([`cannot queue ${sample.loaded.id} epoch ${sample.epoch}: ${errorMessage(error)}`]);
    }
    return outcome;
  }

  private itemOf(sample: Sample, { loaded, script }: Planned): SampleItem {
    return {
      kind: 'scenario-sample',
      item_id: itemId(this.runId, sample.index),
      run_id: this.runId,
      index: sample.index,
      code_version: this.settings.version,
      scenario: { file: loaded.file, text: readFileSync(loaded.file, 'utf8') },
      script: isLeft(script) ? { missing: script.left } : { file: script.right.file, text: readFileSync(script.right.file, 'utf8') },
      epoch: sample.epoch,
      seed: sample.seed,
      judge: this.settings.judge,
      agent: { ...this.settings.agent },
      ...(this.settings.events === undefined ? {} : { events: { ...this.settings.events, sample: sampleName(sample) } }),
    };
  }

  async close(): Promise<void> {
    this.advisories?.unsubscribe();
    await this.messages?.close();
  }
}
