import { readFileSync } from 'node:fs';
import { AuthorizationError, connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * A connection to the NATS server behind `--queue URL`, authenticated by NATS's own means: a credentials file
 * (`--queue-creds FILE`, or NATS_CREDS), a user and password (in the URL, or NATS_USER and NATS_PASSWORD), or a
 * token (NATS_TOKEN). Nothing secret reaches a message: the server is named by its host and port only. Once
 * connected, the client reconnects for ever, so that a server restarted mid-run only pauses the work.
 */

export interface QueueAddress {
  readonly url: string;
  readonly creds?: string;
}

export interface QueueConnection {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /** The server as messages name it: `nats://host:port`, without credentials. */
  readonly shown: string;
}

/** `nats://user:secret@host:4222` as `nats://host:4222`. */
export function shownServer(url: string): string {
  try {
    const parsed = new URL(url.includes('://') ? url : `nats://${url}`);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the --queue address';
  }
}

function authentication(address: QueueAddress, env: NodeJS.ProcessEnv): Either<string, Partial<NodeConnectionOptions>> {
  const credsFile = address.creds ?? env.NATS_CREDS;
  if (credsFile !== undefined && credsFile !== '') {
    try {
      return right({ authenticator: credsAuthenticator(readFileSync(credsFile)) });
    } catch (error) {
      return left(`--queue-creds ${credsFile}: cannot read the credentials file (${errorMessage(error)})`);
    }
  }
  if (env.NATS_TOKEN) return right({ token: env.NATS_TOKEN });
  if (env.NATS_USER) return right({ user: env.NATS_USER, pass: env.NATS_PASSWORD ?? '' });
  return right({});
}

/** A connection to a NATS server; any failure is one line naming `flag` and saying what to fix. */
export async function openNats(address: QueueAddress, name: string, flag: string, env: NodeJS.ProcessEnv = process.env): Promise<Either<string, { nc: NatsConnection; shown: string }>> {
  const shown = shownServer(address.url);
  const auth = authentication(address, env);
  if (isLeft(auth)) return auth;
  try {
    const nc = await connect({ servers: address.url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, ...auth.right });
    return right({ nc, shown });
  } catch (error) {
    if (error instanceof AuthorizationError) return left(`${flag} ${shown}: the server refused the credentials (see --queue-creds, NATS_CREDS, NATS_USER/NATS_PASSWORD, NATS_TOKEN)`);
    return left(`${flag} ${shown}: cannot reach the NATS server (${errorMessage(error).replace(address.url, shown)})`);
  }
}

/** Connects and checks the server has JetStream; any failure is one line saying what to fix. */
export async function openQueue(address: QueueAddress, name: string, env: NodeJS.ProcessEnv = process.env): Promise<Either<string, QueueConnection>> {
  const opened = await openNats(address, name, '--queue', env);
  if (isLeft(opened)) return opened;
  const { nc, shown } = opened.right;
  try {
    const jsm = await jetstreamManager(nc);
    return right({ nc, jsm, shown });
  } catch (error) {
    await nc.close();
    if (error instanceof Error && error.name === 'JetStreamNotEnabled') return left(`--queue ${shown}: the server has no JetStream (start it with nats-server -js -sd DIR)`);
    return left(`--queue ${shown}: cannot use JetStream (${errorMessage(error)})`);
  }
}
