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
const QUOTE = 0x22;
const CLOSING_BRACE = 0x7d;
const NEWLINE = 0x0a;

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const OPENING = utf8('{"event_id":"');
const BEFORE_TIMESTAMP = utf8('","timestamp":"');
const BEFORE_DATA = utf8(',"data":');

/** What an event's line holds between its timestamp and its agent: the same for every event of a type in a run. */
interface Middle {
  readonly source: string;
  readonly scenario_id: string;
  /** `","source":…,"agent_id":` in UTF-8: from the timestamp's closing quote to the agent id's JSON. */
  readonly bytes: Uint8Array;
}

/**
 * Writes JSON lines into a buffer, each `JSON.stringify(event)` byte for byte for an envelope as the
 * bus stamps it (its fields in that order, and no others), straight as UTF-8, with no line made as
 * a string first. What every event of a type shares in a run and each agent's id are encoded once;
 * the id and timestamp the bus makes are copied a character a byte; only the data is serialised
 * for each event. A trace is millions of events: escaping their envelopes was a fifth of writing
 * them, and each line made as a string was copied once more before it was encoded.
 */
function lineWriter(buffer: Buffer) {
  const middles = new Map<string, Middle>();
  const agentIds = new Map<string, Uint8Array>();

  function middleOf(event: DomainEvent): Uint8Array {
    let middle = middles.get(event.type);
    if (middle === undefined || middle.source !== event.source || middle.scenario_id !== event.scenario_id) {
      const text = `","source":${JSON.stringify(event.source)},"type":${JSON.stringify(event.type)},"scenario_id":${JSON.stringify(event.scenario_id)},"agent_id":`;
      middle = { source: event.source, scenario_id: event.scenario_id, bytes: utf8(text) };
      middles.set(event.type, middle);
    }
    return middle.bytes;
  }

  function agentIdOf(agentId: string): Uint8Array {
    let bytes = agentIds.get(agentId);
    if (bytes === undefined) {
      bytes = utf8(JSON.stringify(agentId));
      agentIds.set(agentId, bytes);
    }
    return bytes;
  }

  /**
   * Copies `text` a character a byte at `at`, when JSON writes it as itself in ASCII (no quote,
   * backslash, control or non-ASCII character): where it ends, or -1 for any other text.
   */
  function copyAscii(text: string, at: number): number {
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code === QUOTE || code === 0x5c || code >= 0x80) return -1;
      buffer[at + index] = code;
    }
    return at + text.length;
  }

  function copy(bytes: Uint8Array, at: number): number {
    buffer.set(bytes, at);
    return at + bytes.length;
  }

  return {
    /** The most bytes `write` may take for this event, its data already serialised. */
    mostBytes(event: DomainEvent, data: string): number {
      const envelope = OPENING.length + event.event_id.length + BEFORE_TIMESTAMP.length + event.timestamp.length;
      return envelope + middleOf(event).length + agentIdOf(event.agent_id).length + BEFORE_DATA.length + data.length * MAX_BYTES_PER_CHARACTER + 2;
    },
    /** Writes the event's line at `at` and answers where it ends, or -1 when its id or timestamp needs escaping. */
    write(event: DomainEvent, data: string, at: number): number {
      let end = copyAscii(event.event_id, copy(OPENING, at));
      if (end >= 0) end = copyAscii(event.timestamp, copy(BEFORE_TIMESTAMP, end));
      if (end < 0) return -1;
      end = copy(agentIdOf(event.agent_id), copy(middleOf(event), end));
      end = copy(BEFORE_DATA, end);
      end += buffer.write(data, end);
      buffer[end++] = CLOSING_BRACE;
      buffer[end++] = NEWLINE;
      return end;
    },
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
  const lines = lineWriter(buffer);
  const flush = () => {
    if (used > 0) writeSync(fd, buffer, 0, used);
    used = 0;
  };
  /** A line as JSON.stringify writes it, for the events the writer leaves: whatever their envelope. */
  const writeWhole = (event: DomainEvent) => {
    const line = `${JSON.stringify(event)}\n`;
    const mostBytes = line.length * MAX_BYTES_PER_CHARACTER;
    if (used + mostBytes > BUFFER_BYTES) flush();
    if (mostBytes > BUFFER_BYTES) writeSync(fd, line);
    else used += buffer.write(line, used);
  };
  return right({
    write(event: DomainEvent) {
      const data = JSON.stringify(event.data) as string | undefined;
      if (data === undefined) return writeWhole(event);
      const mostBytes = lines.mostBytes(event, data);
      if (used + mostBytes > BUFFER_BYTES) flush();
      const end = mostBytes > BUFFER_BYTES ? -1 : lines.write(event, data, used);
      if (end < 0) writeWhole(event);
      else used = end;
    },
    close() {
      flush();
      closeSync(fd);
    },
  });
}
