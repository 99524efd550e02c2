import { headers, type NatsConnection } from '@nats-io/transport-node';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/economy/events';
import type { TraceSink } from '../../machines';
import { badInput } from '../cli';
import { traceFileName, type Sample } from '../evaluation';
import { openNats, shownServer } from './connection';

/**
 * `--publish-events nats://HOST:4222[,PREFIX]`: each event of each sample, as it is recorded, published (core NATS,
 * no JetStream needed) to `PREFIX.<event type>` with the event's JSON as the body, so that a dashboard or an
 * upstream-style consumer follows the run live (`nats sub 'PREFIX.>'`). Headers say which run (the log's id) and
 * sample (its trace file's name) an event belongs to, since samples run at once. Publishing only buffers: the
 * simulation stays synchronous and deterministic, and a slow consumer never slows the run. With `--queue` the workers
 * publish, on the queue's server. A consumer that must not miss an event makes a stream on `PREFIX.>` first.
 */

export const DEFAULT_EVENTS_PREFIX = 'syntropism.events';
export const RUN_HEADER = 'Syntropism-Run';
export const SAMPLE_HEADER = 'Syntropism-Sample';

const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export interface EventsTarget {
  readonly url: string;
  readonly prefix: string;
}

export function eventsTarget(text: string): Either<string, EventsTarget> {
  const comma = text.indexOf(',');
  const url = comma < 0 ? text : text.slice(0, comma);
  const prefix = comma < 0 ? DEFAULT_EVENTS_PREFIX : text.slice(comma + 1);
  if (url === '') return left('--publish-events: expected nats://HOST:4222[,PREFIX], got no server');
  if (!SUBJECT_PREFIX.test(prefix)) return left(`--publish-events: the prefix ${JSON.stringify(prefix)} is not a NATS subject (tokens of letters, digits, _ and -, joined by dots)`);
  return right({ url, prefix });
}

export interface LiveEvents {
  /** The sink of one sample of the run `runId`. */
  sinkFor(runId: string, sample: Sample): TraceSink;
  /** Sends what is buffered and disconnects. */
  close(): Promise<void>;
}

/** What names a sample's events: its trace file's name without `.jsonl`. */
export const sampleName = ({ loaded, epoch }: Sample): string => traceFileName(loaded.id, epoch).replace(/\.jsonl$/, '');

/** The sink publishing one sample's events on `nc` (here, or on a worker for a queued sample). */
export function eventSink(nc: NatsConnection, { prefix, run, sample }: { readonly prefix: string; readonly run: string; readonly sample: string }): TraceSink {
  const tags = headers();
  tags.set(RUN_HEADER, run);
  tags.set(SAMPLE_HEADER, sample);
  return {
    write(event: DomainEvent) {
      try {
        nc.publish(`${prefix}.${event.type}`, JSON.stringify(event), { headers: tags });
      } catch {
        // A connection closed under the run (its client gave up reconnecting) loses live events, never the run: its trace is whole.
      }
    },
  };
}

/**
 * With `--queue` the samples run on the workers, which publish their events on the queue's server, the one
 * connection they have: `--publish-events` must name that server.
 */
export function checkedQueuedEvents(target: EventsTarget, queue: string): void {
  const [events, server] = [shownServer(target.url), shownServer(queue)];
  if (events !== server) throw badInput(`--publish-events ${events}: with --queue the workers publish the events on the queue's server: give ${server}`);
}

/** `--publish-events` read, or one line saying what is wrong (exit 2). */
export function parsedEventsTarget(text: string): EventsTarget {
  const target = eventsTarget(text);
  if (isLeft(target)) throw badInput(target.left);
  return target.right;
}

/** Connected, or one line naming the flag and what to fix (exit 2). */
export async function openedLiveEvents({ url, prefix }: EventsTarget, creds: string | undefined): Promise<LiveEvents> {
  const opened = await openNats({ url, ...(creds === undefined ? {} : { creds }) }, 'syntropism live events', '--publish-events');
  if (isLeft(opened)) throw badInput(opened.left);
  return liveEventsOn(opened.right.nc, prefix);
}

function liveEventsOn(nc: NatsConnection, prefix: string): LiveEvents {
  return {
    sinkFor: (run, sample) => eventSink(nc, { prefix, run, sample: sampleName(sample) }),
    close: () => nc.drain(),
  };
}
