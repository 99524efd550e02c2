import { jetstream, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';
import { type ArenaPlan, type SeedResult, SeedResultCodec } from '../arena/index';
import type { QueueConnection } from './connection';
import { decodedResult, encoded, type ArenaSeedItem } from './messages';
import { MAX_DELIVERIES_ADVISORY } from './queued-sweep';
import { itemId, RESULTS_STREAM, resultsOf, resultSubject, WORK_STREAM, workSubject } from './streams';

/**
 * An arena's seeds run by the queue's workers, in place of runArenaSeed here: each seed (by its place in the
 * arena's seeds) becomes a work item carrying the arena's plan, unless its result is stored or its item still
 * queued (as after the submitter died), and its world's result comes back from the results stream. Everything
 * else — the log, the report, the page — is the local path's own code, so the output is a local arena's. The
 * queue's run id is the log's (queueRunIdOf), so that `--resume LOG` finds the results its first submitter left.
 */

type Waiting = (outcome: Either<string, SeedResult>) => void;

export class QueuedArenaSeeds {
  private readonly js: JetStreamClient;
  private readonly waiting = new Map<number, Waiting>();
  private readonly arrived = new Map<number, Either<string, SeedResult>>();
  private readonly workers = new Set<string>();
  private messages: ConsumerMessages | undefined;
  private advisories: Subscription | undefined;
  private listening: Promise<void> | undefined;
  /** Re-queued items need message ids of their own: a first one may still be inside the server's duplicate window. */
  private readonly attempt = Date.now();

  constructor(
    private readonly queue: QueueConnection,
    readonly runId: string,
    private readonly plan: ArenaPlan,
    private readonly version: string,
  ) {
    this.js = jetstream(queue.nc);
  }

  private settle(index: number, outcome: Either<string, SeedResult>): void {
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
            this.settle(Number(match[2]), left(`delivered ${deliveries} times and never finished (each worker stopped or died on it)`));
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
          if ('seed_result' in result.right) {
            const seed = decodeWith(SeedResultCodec, result.right.seed_result);
            this.workers.add(worker);
            this.settle(index, isLeft(seed) ? left(`the result of worker ${worker}: ${seed.left.map(formatIssue).join('; ')}`) : right(seed.right));
          } else if ('error' in result.right) this.settle(index, left(result.right.error));
        }
      })();
    })();
    return this.listening;
  }

  /** The workers whose results came back so far. */
  get workersSeen(): number {
    return this.workers.size;
  }

  /** The world of `seed`, the arena's `index`th seed, run by a worker. */
  async run(index: number, seed: string): Promise<Either<string, SeedResult>> {
    await this.listen();
    const done = this.arrived.get(index);
    if (done !== undefined) return done;
    const outcome = new Promise<Either<string, SeedResult>>((resolve) => this.waiting.set(index, resolve));
    const has = async (stream: string, subject: string) => (await this.queue.jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null)) !== null;
    try {
      if (!(await has(RESULTS_STREAM, resultSubject(this.runId, index))) && !(await has(WORK_STREAM, workSubject(this.runId, index)))) {
        const item: ArenaSeedItem = { kind: 'arena-seed', item_id: itemId(this.runId, index), run_id: this.runId, index, code_version: this.version, plan: { ...this.plan }, seed };
        await this.js.publish(workSubject(this.runId, index), encoded(item), { msgID: `${itemId(this.runId, index)}.${this.attempt}` });
      }
    } catch (error) {
      this.waiting.delete(index);
      return left(`cannot queue seed ${seed}: ${errorMessage(error)}`);
    }
    return outcome;
  }

  async close(): Promise<void> {
    this.advisories?.unsubscribe();
    await this.messages?.close();
  }
}
