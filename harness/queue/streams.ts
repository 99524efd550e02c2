import { AckPolicy, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * The JetStream layout a queued run uses. Work items wait in a work-queue stream (a message is gone once a worker
 * acks it) read by one shared durable consumer, so each item goes to one worker at a time; results and run
 * manifests go to a limits stream that keeps one message per subject and refuses a second, so an item done twice
 * after a redelivery is stored once. Both streams are on file storage, so a restarted server loses nothing.
 * Each stream's description carries the layout's format: a stream an older harness left is refused by name
 * instead of being read wrongly.
 */

export const QUEUE_FORMAT = 'syntropism-queue/1';
export const WORK_STREAM = 'SYNTROPISM_WORK';
export const RESULTS_STREAM = 'SYNTROPISM_RESULTS';
export const WORKERS_CONSUMER = 'workers';

/** Deliveries of an item before it is reported failed instead of tried again. */
export const MAX_DELIVER = 3;
export const DEFAULT_ACK_WAIT_SECONDS = 30;
/** Results and manifests are kept this long, for --resume. */
const RESULTS_KEPT_DAYS = 7;

export const workSubject = (runId: string, index: number) => `syntropism.work.${runId}.${index}`;
export const resultSubject = (runId: string, index: number) => `syntropism.results.${runId}.${index}`;
export const resultsOf = (runId: string) => `syntropism.results.${runId}.>`;
export const manifestSubject = (runId: string) => `syntropism.runs.${runId}`;
export const itemId = (runId: string, index: number) => `${runId}.${index}`;

const STREAMS: readonly (Partial<StreamConfig> & { name: string; description: string })[] = [
  {
    name: WORK_STREAM,
    description: `${QUEUE_FORMAT} work items`,
    subjects: ['syntropism.work.>'],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  },
  {
    name: RESULTS_STREAM,
    description: `${QUEUE_FORMAT} results and run manifests`,
    subjects: ['syntropism.results.>', 'syntropism.runs.>'],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs_per_subject: 1,
    discard: DiscardPolicy.New,
    discard_new_per_subject: true,
    max_age: nanos(RESULTS_KEPT_DAYS * 24 * 3600 * 1000),
  },
];

/**
 * Makes the streams and the workers' consumer when missing, and checks them when present. `ackWait` (seconds),
 * when given, is set on the consumer: the submitter owns it, workers take what is there.
 */
export async function preparedQueue(jsm: JetStreamManager, ackWait?: number): Promise<Either<string, void>> {
  try {
    for (const stream of STREAMS) {
      const found = await jsm.streams.info(stream.name).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
      if (found === undefined) await jsm.streams.add(stream);
      else if (found.config.description !== stream.description) {
        return left(
          `stream ${stream.name} was left by another version of the harness (${JSON.stringify(found.config.description ?? '')}, expected ${JSON.stringify(stream.description)}): ` +
            `collect its runs with that version, then remove it (nats stream rm ${stream.name})`,
        );
      }
    }
    const consumer = await jsm.consumers.info(WORK_STREAM, WORKERS_CONSUMER).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
    const ack_wait = nanos((ackWait ?? DEFAULT_ACK_WAIT_SECONDS) * 1000);
    if (consumer === undefined) {
      await jsm.consumers.add(WORK_STREAM, { durable_name: WORKERS_CONSUMER, ack_policy: AckPolicy.Explicit, ack_wait, max_deliver: MAX_DELIVER });
    } else if (ackWait !== undefined && consumer.config.ack_wait !== ack_wait) {
      await jsm.consumers.update(WORK_STREAM, WORKERS_CONSUMER, { ack_wait });
    }
    return right(undefined);
  } catch (error) {
    return left(`cannot prepare the queue's streams: ${errorMessage(error)}`);
  }
}

/** A stream, consumer or message the server does not have. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof JetStreamApiError)) return false;
  const codes: number[] = [JetStreamApiCodes.StreamNotFound, JetStreamApiCodes.ConsumerNotFound, JetStreamApiCodes.NoMessageFound];
  return codes.includes(error.code);
}
