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
  const flush = () => {
    if (used > 0) writeSync(fd, buffer, 0, used);
    used = 0;
  };
  return right({
    write(event: DomainEvent) {
      const line = JSON.stringify(event);
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
