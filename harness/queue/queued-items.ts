import { jetstream, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import type { QueueConnection } from './connection';
import { decodedResult, encoded, type ItemResult, type WorkItem } from './messages';
import { MAX_DELIVERIES_ADVISORY } from './queued-sweep';
import { itemId, RESULTS_STREAM, resultsOf, resultSubject, WORK_STREAM, workSubject } from './streams';

/**
 * A submitter's items on the queue, each by its index in the run, in place of running them here: an item is queued
 * unless its result is stored or the item still waits (as after the submitter died), and what it answers comes back
 * from the results stream — a worker's answer, its failure, or that it was delivered as often as the queue allows
 * and never finished. `answerOf` reads an answer out of a stored result (undefined: not this kind's answer).
 */
export class QueuedItems<A> {
  private readonly js: JetStreamClient;
  private readonly waiting = new Map<number, (outcome: Either<string, A>) => void>();
  private readonly arrived = new Map<number, Either<string, A>>();
  private readonly workers = new Set<string>();
  private messages: ConsumerMessages | undefined;
  private advisories: Subscription | undefined;
  private listening: Promise<void> | undefined;
  /** Re-queued items need message ids of their own: a first one may still be inside the server's duplicate window. */
  private readonly attempt = Date.now();

  constructor(
    private readonly queue: QueueConnection,
    readonly runId: string,
    private readonly answerOf: (result: ItemResult) => Either<string, A> | undefined,
  ) {
    this.js = jetstream(queue.nc);
  }

  private settle(index: number, outcome: Either<string, A>): void {
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
          if ('error' in result.right) {
            this.settle(index, left(result.right.error));
            continue;
          }
          const answer = this.answerOf(result.right);
          if (answer === undefined) continue;
          this.workers.add(worker);
          this.settle(index, answer);
        }
      })();
    })();
    return this.listening;
  }

  /** The workers whose answers came back so far. */
  get workersSeen(): number {
    return this.workers.size;
  }

  /** What the item at `index` answers, run by a worker; `what` names it in a message when it cannot be queued. */
  async run(index: number, itemOf: (base: { item_id: string; run_id: string; index: number }) => WorkItem, what: string): Promise<Either<string, A>> {
    await this.listen();
    const done = this.arrived.get(index);
    if (done !== undefined) return done;
    const outcome = new Promise<Either<string, A>>((resolve) => this.waiting.set(index, resolve));
    const has = async (stream: string, subject: string) => (await this.queue.jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null)) !== null;
    try {
      if (!(await has(RESULTS_STREAM, resultSubject(this.runId, index))) && !(await has(WORK_STREAM, workSubject(this.runId, index)))) {
        const item = itemOf({ item_id: itemId(this.runId, index), run_id: this.runId, index });
        await this.js.publish(workSubject(this.runId, index), encoded(item), { msgID: `${itemId(this.runId, index)}.${this.attempt}` });
      }
    } catch (error) {
      this.waiting.delete(index);
      return left(`cannot queue ${what}: ${errorMessage(error)}`);
    }
    return outcome;
  }

  async close(): Promise<void> {
    this.advisories?.unsubscribe();
    await this.messages?.close();
  }
}
