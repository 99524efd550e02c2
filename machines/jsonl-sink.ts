import { closeSync, openSync, writeSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { dataCodecOf, isEventType, type DomainEvent } from '../domain/economy/events';
import { jsonOutput, jsonWriterOf, writeAnyJson, type JsonOutput, type JsonWriter } from './json-bytes';
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
 * the id and timestamp the bus makes are copied a character a byte; the data is written by a writer
 * compiled from its type's codec (machines/json-bytes.ts). A trace is millions of events: escaping
 * their envelopes was a fifth of writing them, each line made as a string was copied once more before
 * it was encoded, and serialising their data by JSON.stringify was half of what remained.
 */
function lineWriter(out: JsonOutput) {
  const { buffer } = out;
  const middles = new Map<string, Middle>();
  const agentIds = new Map<string, Uint8Array>();
  const dataWriters = new Map<string, JsonWriter>();

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

  function dataWriterOf(type: string): JsonWriter {
    let writer = dataWriters.get(type);
    if (writer === undefined) {
      writer = isEventType(type) ? jsonWriterOf(dataCodecOf(type)) : writeAnyJson;
      dataWriters.set(type, writer);
    }
    return writer;
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
    /**
     * Writes the event's line at `out.at` and moves it past the line; false, with `out.at` where it
     * was, when the line is not written: for want of room (`out.full`), or because its id or timestamp
     * needs escaping or its data is not what its writer writes exactly.
     */
    write(event: DomainEvent): boolean {
      const start = out.at;
      const middle = middleOf(event);
      const agentId = agentIdOf(event.agent_id);
      const envelopeBytes = OPENING.length + event.event_id.length + BEFORE_TIMESTAMP.length + event.timestamp.length + middle.length + agentId.length + BEFORE_DATA.length;
      if (start + envelopeBytes > out.end) {
        out.full = true;
        return false;
      }
      let end = copyAscii(event.event_id, copy(OPENING, start));
      if (end >= 0) end = copyAscii(event.timestamp, copy(BEFORE_TIMESTAMP, end));
      if (end < 0) return false;
      out.at = copy(BEFORE_DATA, copy(agentId, copy(middle, end)));
      if (dataWriterOf(event.type)(event.data, out) && out.at + 2 <= out.end) {
        buffer[out.at++] = CLOSING_BRACE;
        buffer[out.at++] = NEWLINE;
        return true;
      }
      if (out.at + 2 > out.end) out.full = true;
      out.at = start;
      return false;
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
  const out = jsonOutput(Buffer.allocUnsafe(BUFFER_BYTES));
  const lines = lineWriter(out);
  const flush = () => {
    if (out.at > 0) writeSync(fd, out.buffer, 0, out.at);
    out.at = 0;
  };
  /** A line as JSON.stringify writes it, for the events the writer leaves: whatever their envelope. */
  const writeWhole = (event: DomainEvent) => {
    const line = `${JSON.stringify(event)}\n`;
    const mostBytes = line.length * MAX_BYTES_PER_CHARACTER;
    if (out.at + mostBytes > BUFFER_BYTES) flush();
    if (mostBytes > BUFFER_BYTES) writeSync(fd, line);
    else out.at += out.buffer.write(line, out.at);
  };
  return right({
    write(event: DomainEvent) {
      if (lines.write(event)) return;
      // A line that did not fit is tried again in the emptied buffer; one larger than the buffer, or
      // one the writer leaves, is written whole.
      if (out.full && out.at > 0) {
        out.full = false;
        flush();
        if (lines.write(event)) return;
      }
      out.full = false;
      writeWhole(event);
    },
    close() {
      flush();
      closeSync(fd);
    },
  });
}
