import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput } from '../cli/cli';
import { openQueue, type QueueConnection } from './connection';
import { preparedQueue } from './streams';

/** The flags every command that talks to the queue shares, and opening the queue they name or ending with one line, exit 2. */

export const QUEUE_OPTIONS = {
  queue: { type: 'string' },
  'queue-creds': { type: 'string' },
} as const;

export const QUEUE_USAGE = `  --queue nats://HOST:4222  a NATS server with JetStream (nats-server -js -sd DIR) whose workers
                      (npx tsx harness/worker.ts --queue …) run the items; user and password may be
                      in the address, or come from NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS
  --queue-creds FILE  a NATS credentials file (.creds) to connect with`;

/** Connected, with JetStream and the queue's streams checked (and made when missing); `ackWait` (seconds) set on the workers' consumer when given. */
export async function openedQueue(values: { readonly queue?: string; readonly 'queue-creds'?: string }, name: string, ackWait?: number): Promise<QueueConnection> {
  const opened = await openQueue({ url: values.queue!, ...(values['queue-creds'] === undefined ? {} : { creds: values['queue-creds'] }) }, name);
  if (isLeft(opened)) throw badInput(opened.left);
  const prepared = await preparedQueue(opened.right.jsm, ackWait);
  if (isLeft(prepared)) {
    await opened.right.nc.close();
    throw badInput(`--queue ${opened.right.shown}: ${prepared.left}`);
  }
  return opened.right;
}
