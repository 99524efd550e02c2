import { closeSync, openSync, writeSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/economy/events';
import type { TraceSink } from './event-bus';

export interface JsonlSink extends TraceSink {
  /** Writes what is still buffered and closes the file. */
  close(): void;
}

/** Large enough that a million-event trace costs a few hundred writes, small enough to bound memory. */
const BUFFER_BYTES = 1 << 20;
/** The most bytes a UTF-16 code unit takes in UTF-8. */
const MAX_BYTES_PER_CHARACTER = 3;
const NEWLINE = 0x0a;

/** What an event's line holds between its timestamp and its agent: the same for every event of a type in a run. */
interface Middle {
  readonly source: string;
  readonly scenario_id: string;
  readonly text: string;
}

/**
 * Whether JSON writes `text` as itself between quotes: no quote, backslash or control character to
 * escape, and no surrogate that might be lone. Every id and timestamp the bus makes passes; any other
 * string is left to `JSON.stringify`.
 */
function writtenAsIs(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || code >= 0xd800) return false;
  }
  return true;
}

function jsonString(text: string): string {
  return writtenAsIs(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * `JSON.stringify(event)`, byte for byte, for an envelope as the bus stamps it (its fields in that
 * order, and no others), with the part every event of a type shares in a run serialised once, and
 * each agent's id once: a trace is millions of events, and escaping their envelopes was a fifth of
 * writing them.
 */
export function eventJsonSerialiser(): (event: DomainEvent) => string {
  const middles = new Map<string, Middle>();
  const agentIds = new Map<string, string>();
  return (event) => {
    let middle = middles.get(event.type);
    if (middle === undefined || middle.source !== event.source || middle.scenario_id !== event.scenario_id) {
      const text = `,"source":${JSON.stringify(event.source)},"type":${JSON.stringify(event.type)},"scenario_id":${JSON.stringify(event.scenario_id)},"agent_id":`;
      middle = { source: event.source, scenario_id: event.scenario_id, text };
      middles.set(event.type, middle);
    }
    let agentId = agentIds.get(event.agent_id);
    if (agentId === undefined) {
      agentId = JSON.stringify(event.agent_id);
      agentIds.set(event.agent_id, agentId);
    }
    return `{"event_id":${jsonString(event.event_id)},"timestamp":${jsonString(event.timestamp)}${middle.text}${agentId},"data":${JSON.stringify(event.data)}}`;
  };
}

/**
 * Streams the trace to a file, one event per line, so that a long run does not hold its trace in
 * memory. Writes are synchronous: the simulation itself is synchronous and must stay deterministic.
 * Lines are encoded straight into one reused buffer: appending them to a string and writing that
 * cost as much again as serialising the events.
 */
export function openJsonlSink(path: string): Either<string, JsonlSink> {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    return left(`cannot write the trace to ${path}: ${(error as Error).message}`);
  }
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  const serialise = eventJsonSerialiser();
  const flush = () => {
    if (used > 0) writeSync(fd, buffer, 0, used);
    used = 0;
  };
  return right({
    write(event: DomainEvent) {
      const line = serialise(event);
      const mostBytes = line.length * MAX_BYTES_PER_CHARACTER + 1;
      if (used + mostBytes > BUFFER_BYTES) flush();
      if (mostBytes > BUFFER_BYTES) {
        writeSync(fd, `${line}\n`);
        return;
      }
      used += buffer.write(line, used);
      buffer[used++] = NEWLINE;
    },
    close() {
      flush();
      closeSync(fd);
    },
  });
}
