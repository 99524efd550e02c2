import { closeSync, openSync, writeSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { STEPS_PER_MILLISECOND, timestampMicrosecondOf, timestampMillisecondOf } from '../domain/economy/clock';
import { dataCodecOf, EVENT_SOURCES, isEventType, type DomainEvent, type EventType } from '../domain/economy/events';
import { jsonOutput, jsonWriterOf, writeAnyJson, type JsonOutput, type JsonWriter } from './json-bytes';
import { EVENT_ID_DIGITS, EVENT_ID_PREFIX, stampEvent, type StampedSink, type TraceSink } from './event-bus';

export interface JsonlSink extends TraceSink, StampedSink {
  /** Writes what is still buffered and closes the file. */
  close(): void;
}

/** Large enough that a million-event trace costs a few hundred writes, small enough to bound memory. */
const BUFFER_BYTES = 1 << 20;
/** The most bytes a UTF-16 code unit takes in UTF-8. */
const MAX_BYTES_PER_CHARACTER = 3;
/** The most digits of a sequence number: a safe integer has 16. */
const MAX_SEQUENCE_DIGITS = 16;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSING_BRACE = 0x7d;
const NEWLINE = 0x0a;
const ZERO = 0x30;

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const OPENING = utf8('{"event_id":"');
const BEFORE_TIMESTAMP = utf8('","timestamp":"');

/** What JSON writes of `text` between its quotes, when that is `text` itself in ASCII; else undefined. */
function plainAscii(text: string): Uint8Array | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === QUOTE || code === BACKSLASH || code >= 0x80) return undefined;
  }
  return utf8(text);
}

/** `{"event_id":"evt-`: a stamped event's line up to its sequence number's digits. */
const OPENING_TO_SEQUENCE = plainAscii(EVENT_ID_PREFIX) === undefined ? undefined : utf8(`{"event_id":"${EVENT_ID_PREFIX}`);

/** What every event of a type shares in a run: its line between its timestamp and its agent, and its data's writer. */
interface TypeBytes {
  readonly source: string;
  readonly scenario_id: string;
  /** `","source":…,"agent_id":` in UTF-8: from the timestamp's closing quote to the agent id's JSON. */
  readonly middle: Uint8Array;
  readonly writeData: JsonWriter;
}

/**
 * Writes JSON lines into a buffer, each `JSON.stringify(event)` byte for byte for an envelope as the
 * bus stamps it (its fields in that order, and no others), straight as UTF-8, with no line made as
 * a string first. What every event of a type shares in a run, each agent's id and each millisecond of
 * the clock are encoded once; an event handed as its parts and stamp has its id's digits written and no
 * envelope made; its data is written by a writer compiled from its type's codec (machines/json-bytes.ts).
 * A trace is millions of events: escaping their envelopes was a fifth of writing them, each line made
 * as a string was copied once more before it was encoded, serialising their data by JSON.stringify was
 * half of what remained, and making each envelope's id and timestamp a sixth of the rest.
 */
function lineWriter(out: JsonOutput) {
  const { buffer } = out;
  const types = new Map<string, TypeBytes>();
  /** Each agent's id as JSON, and the `,"data":` that follows it. */
  const agentIds = new Map<string, Uint8Array>();
  const microseconds: (Uint8Array | undefined)[] = [];
  let millisecondCycle = Number.NaN;
  let millisecond = Number.NaN;
  /** `","timestamp":"` and the timestamp up to its microseconds. */
  let millisecondBytes: Uint8Array | undefined;

  function typeBytesOf(source: string, type: string, scenarioId: string): TypeBytes {
    let bytes = types.get(type);
    if (bytes === undefined || bytes.source !== source || bytes.scenario_id !== scenarioId) {
      const middle = `","source":${JSON.stringify(source)},"type":${JSON.stringify(type)},"scenario_id":${JSON.stringify(scenarioId)},"agent_id":`;
      const writeData = bytes?.writeData ?? (isEventType(type) ? jsonWriterOf(dataCodecOf(type)) : writeAnyJson);
      bytes = { source, scenario_id: scenarioId, middle: utf8(middle), writeData };
      types.set(type, bytes);
    }
    return bytes;
  }

  function agentIdOf(agentId: string): Uint8Array {
    let bytes = agentIds.get(agentId);
    if (bytes === undefined) {
      bytes = utf8(`${JSON.stringify(agentId)},"data":`);
      agentIds.set(agentId, bytes);
    }
    return bytes;
  }

  /** The timestamp of `step` up to its microseconds, encoded once for its millisecond; undefined if JSON escapes it. */
  function millisecondOf(cycle: number, step: number): Uint8Array | undefined {
    const ms = Math.floor(step / STEPS_PER_MILLISECOND);
    if (cycle !== millisecondCycle || ms !== millisecond) {
      millisecondCycle = cycle;
      millisecond = ms;
      const text = plainAscii(timestampMillisecondOf({ cycle, step }));
      millisecondBytes = text === undefined ? undefined : Buffer.concat([BEFORE_TIMESTAMP, text]);
    }
    return millisecondBytes;
  }

  function microsecondOf(step: number): Uint8Array | undefined {
    const index = step % STEPS_PER_MILLISECOND;
    return (microseconds[index] ??= plainAscii(timestampMicrosecondOf(step)));
  }

  /**
   * Copies `text` a character a byte at `at`, when JSON writes it as itself in ASCII (no quote,
   * backslash, control or non-ASCII character): where it ends, or -1 for any other text.
   */
  function copyAscii(text: string, at: number): number {
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code === QUOTE || code === BACKSLASH || code >= 0x80) return -1;
      buffer[at + index] = code;
    }
    return at + text.length;
  }

  function copy(bytes: Uint8Array, at: number): number {
    buffer.set(bytes, at);
    return at + bytes.length;
  }

  /** A few bytes are copied faster by a loop than by a call into Buffer's copy. */
  function copyFew(bytes: Uint8Array, at: number): number {
    for (let index = 0; index < bytes.length; index += 1) buffer[at + index] = bytes[index]!;
    return at + bytes.length;
  }

  /** Writes the sequence number's digits at `at`, padded with zeros as its event id is: where they end. */
  function writeSequence(sequence: number, at: number): number {
    let digits = 1;
    for (let power = 10; power <= sequence; power *= 10) digits += 1;
    const end = at + Math.max(digits, EVENT_ID_DIGITS);
    let rest = sequence;
    for (let index = end - 1; index >= at; index -= 1) {
      const digit = rest % 10;
      buffer[index] = ZERO + digit;
      rest = (rest - digit) / 10;
    }
    return end;
  }

  /**
   * Writes the line from the timestamp's closing quote on, `end` being where that goes and `start`
   * where the line began: true with `out.at` past the line, or false with `out.at` at `start`.
   */
  function writeRest(source: string, type: string, scenarioId: string, agentId: string, data: unknown, end: number, start: number): boolean {
    const { middle, writeData } = typeBytesOf(source, type, scenarioId);
    const agent = agentIdOf(agentId);
    if (end + middle.length + agent.length > out.end) {
      out.full = true;
      return false;
    }
    out.at = copy(agent, copy(middle, end));
    if (writeData(data, out) && out.at + 2 <= out.end) {
      buffer[out.at++] = CLOSING_BRACE;
      buffer[out.at++] = NEWLINE;
      return true;
    }
    if (out.at + 2 > out.end) out.full = true;
    out.at = start;
    return false;
  }

  return {
    /**
     * Writes the event's line at `out.at` and moves it past the line; false, with `out.at` where it
     * was, when the line is not written: for want of room (`out.full`), or because its id or timestamp
     * needs escaping or its data is not what its writer writes exactly.
     */
    writeEvent(event: DomainEvent): boolean {
      const start = out.at;
      if (start + OPENING.length + event.event_id.length + BEFORE_TIMESTAMP.length + event.timestamp.length > out.end) {
        out.full = true;
        return false;
      }
      let end = copyAscii(event.event_id, copy(OPENING, start));
      if (end >= 0) end = copyAscii(event.timestamp, copy(BEFORE_TIMESTAMP, end));
      if (end < 0) return false;
      return writeRest(event.source, event.type, event.scenario_id, event.agent_id, event.data, end, start);
    },
    /** Writes the line of the event `stampEvent` makes of these parts, as `writeEvent` writes it, with no envelope made. */
    writeStamped(sequence: number, cycle: number, step: number, type: EventType, scenarioId: string, agentId: string, data: unknown): boolean {
      const start = out.at;
      const ms = millisecondOf(cycle, step);
      const micros = microsecondOf(step);
      if (OPENING_TO_SEQUENCE === undefined || ms === undefined || micros === undefined || !(Number.isSafeInteger(sequence) && sequence >= 0)) return false;
      if (start + OPENING_TO_SEQUENCE.length + MAX_SEQUENCE_DIGITS + ms.length + micros.length > out.end) {
        out.full = true;
        return false;
      }
      const end = copyFew(micros, copy(ms, writeSequence(sequence, copy(OPENING_TO_SEQUENCE, start))));
      return writeRest(EVENT_SOURCES[type], type, scenarioId, agentId, data, end, start);
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
  /**
   * Whether a line the writer did not write is worth trying again: one that did not fit is tried
   * again in the emptied buffer; one larger than the buffer, or one the writer leaves, is not.
   */
  const madeRoom = (): boolean => {
    const retry = out.full && out.at > 0;
    out.full = false;
    if (retry) flush();
    return retry;
  };
  return right({
    write(event: DomainEvent) {
      if (lines.writeEvent(event) || (madeRoom() && lines.writeEvent(event))) return;
      out.full = false;
      writeWhole(event);
    },
    writeStamped(sequence, cycle, step, type, scenarioId, agentId, data) {
      if (lines.writeStamped(sequence, cycle, step, type, scenarioId, agentId, data)) return;
      if (madeRoom() && lines.writeStamped(sequence, cycle, step, type, scenarioId, agentId, data)) return;
      out.full = false;
      writeWhole(stampEvent(sequence, cycle, step, type, scenarioId, agentId, data));
    },
    close() {
      flush();
      closeSync(fd);
    },
  });
}
