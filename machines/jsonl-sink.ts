import { closeSync, openSync, writeSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { STEPS_PER_MILLISECOND, timestampMicrosecondOf, timestampMillisecondOf } from '../domain/economy/clock';
import { dataCodecOf, EVENT_SOURCES, isEventType, type DomainEvent, type EventType } from '../domain/economy/events';
import { isPlainJsonCode, jsonOutput, jsonWriterOf, writeAnyJson, writeDecimalDigits, writeJsonString, type JsonOutput, type JsonWriter } from './json-bytes';
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
const CLOSING_BRACE = 0x7d;
const NEWLINE = 0x0a;

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const OPENING = utf8('{"event_id":');
const BEFORE_TIMESTAMP = utf8(',"timestamp":');

/** Does JSON write `text` between its quotes as `text` itself, in ASCII? */
function isPlainAscii(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) if (!isPlainJsonCode(text.charCodeAt(index))) return false;
  return true;
}

/** `{"event_id":"evt-`: a stamped event's line up to its sequence number's digits. */
const OPENING_TO_SEQUENCE = isPlainAscii(EVENT_ID_PREFIX) ? utf8(`{"event_id":"${EVENT_ID_PREFIX}`) : undefined;

/** What every event of a type shares in a run: its line from its timestamp to its agent, and its data's writer. */
interface TypeBytes {
  readonly source: string;
  readonly scenario_id: string;
  /** `,"source":…,"agent_id":` in UTF-8: from after the timestamp to the agent id's JSON. */
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
  /** The end of a timestamp for each step of a millisecond, its closing quote included. */
  const microseconds: (Uint8Array | undefined)[] = [];
  let millisecondCycle = Number.NaN;
  let millisecond = Number.NaN;
  /** `","timestamp":"` and the timestamp up to its microseconds. */
  let millisecondBytes: Uint8Array | undefined;

  function typeBytesOf(source: string, type: string, scenarioId: string): TypeBytes {
    let bytes = types.get(type);
    if (bytes === undefined || bytes.source !== source || bytes.scenario_id !== scenarioId) {
      const middle = `,"source":${JSON.stringify(source)},"type":${JSON.stringify(type)},"scenario_id":${JSON.stringify(scenarioId)},"agent_id":`;
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
      const text = timestampMillisecondOf({ cycle, step });
      millisecondBytes = isPlainAscii(text) ? utf8(`","timestamp":"${text}`) : undefined;
    }
    return millisecondBytes;
  }

  function microsecondOf(step: number): Uint8Array | undefined {
    const index = step % STEPS_PER_MILLISECOND;
    if (microseconds[index] === undefined) {
      const ending = timestampMicrosecondOf(step);
      microseconds[index] = isPlainAscii(ending) ? utf8(`${ending}"`) : undefined;
    }
    return microseconds[index];
  }

  /** Copies `bytes` to `out.at`, when there is room for them. */
  function copy(bytes: Uint8Array, room = bytes.length): boolean {
    if (out.at + room > out.end) {
      out.full = true;
      return false;
    }
    buffer.set(bytes, out.at);
    out.at += bytes.length;
    return true;
  }

  /** Writes the line from after its timestamp, the line having begun at `start`: true, or false with `out.at` back at `start`. */
  function writeRest(source: string, type: string, scenarioId: string, agentId: string, data: unknown, start: number): boolean {
    const { middle, writeData } = typeBytesOf(source, type, scenarioId);
    if (copy(middle) && copy(agentIdOf(agentId)) && writeData(data, out) && out.at + 2 <= out.end) {
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
     * was, when the line is not written: for want of room (`out.full`), or because its data is not
     * what its writer writes exactly.
     */
    writeEvent(event: DomainEvent): boolean {
      const start = out.at;
      if (copy(OPENING) && writeJsonString(event.event_id, out) && copy(BEFORE_TIMESTAMP) && writeJsonString(event.timestamp, out)) {
        return writeRest(event.source, event.type, event.scenario_id, event.agent_id, event.data, start);
      }
      out.at = start;
      return false;
    },
    /** Writes the line of the event `stampEvent` makes of these parts, as `writeEvent` writes it, with no envelope made. */
    writeStamped(sequence: number, cycle: number, step: number, type: EventType, scenarioId: string, agentId: string, data: unknown): boolean {
      const start = out.at;
      const ms = millisecondOf(cycle, step);
      const micros = microsecondOf(step);
      if (OPENING_TO_SEQUENCE === undefined || ms === undefined || micros === undefined || !(Number.isSafeInteger(sequence) && sequence >= 0)) return false;
      if (!copy(OPENING_TO_SEQUENCE, OPENING_TO_SEQUENCE.length + MAX_SEQUENCE_DIGITS)) return false;
      writeDecimalDigits(sequence, 0, EVENT_ID_DIGITS, out);
      if (copy(ms) && copy(micros)) return writeRest(EVENT_SOURCES[type], type, scenarioId, agentId, data, start);
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
