import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput, positiveNumberOption } from '../cli';
import { openQueue, type QueueConnection } from './connection';
import { DEFAULT_ACK_WAIT_SECONDS, preparedQueue } from './streams';

/**
 * The flags every command that talks to the queue shares, those of the commands that submit work to it, and opening
 * the queue they name or ending with one line, exit 2.
 */

export const QUEUE_OPTIONS = {
  queue: { type: 'string' },
  'queue-creds': { type: 'string' },
} as const;

export const QUEUE_USAGE = `  --queue nats://HOST:4222  a NATS server with JetStream (nats-server -js -sd DIR) whose workers
                      (npx tsx harness/worker.ts --queue …) run the items; user and password may be
                      in the address, or come from NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS
  --queue-creds FILE  a NATS credentials file (.creds) to connect with`;

/** A submitter owns the workers' ack wait: a worker takes the one the consumer has. */
export const SUBMIT_OPTIONS = {
  ...QUEUE_OPTIONS,
  'queue-ack-wait': { type: 'string' },
} as const;

export const SUBMIT_USAGE = `${QUEUE_USAGE}
  --queue-ack-wait S  seconds a worker may stay silent before its item goes to another (default ${DEFAULT_ACK_WAIT_SECONDS});
                      a live worker says it is still working every third of it`;

interface QueueValues {
  readonly queue?: string;
  readonly 'queue-creds'?: string;
  readonly 'queue-ack-wait'?: string;
}

/** Connected, with JetStream and the queue's streams checked (and made when missing); a submitter's `--queue-ack-wait` set on the workers' consumer. */
export async function openedQueue(values: QueueValues, name: string): Promise<QueueConnection> {
  const ackWait = values['queue-ack-wait'] === undefined ? undefined : positiveNumberOption('queue-ack-wait', values['queue-ack-wait']);
  const opened = await openQueue({ url: values.queue!, ...(values['queue-creds'] === undefined ? {} : { creds: values['queue-creds'] }) }, name);
  if (isLeft(opened)) throw badInput(opened.left);
  const prepared = await preparedQueue(opened.right.jsm, ackWait);
  if (isLeft(prepared)) {
    await opened.right.nc.close();
    throw badInput(`--queue ${opened.right.shown}: ${prepared.left}`);
  }
  return opened.right;
}
