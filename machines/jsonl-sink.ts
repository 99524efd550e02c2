import { closeSync, openSync, writeSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/events';
import type { TraceSink } from './event-bus';

export interface JsonlSink extends TraceSink {
  /** Writes what is still buffered and closes the file. */
  close(): void;
}

/** Large enough that a million-event trace costs a few hundred writes, small enough to bound memory. */
const FLUSH_AT_CHARACTERS = 1 << 20;

/**
 * Streams the trace to a file, one event per line, so that a long run does not hold its trace in
 * memory. Writes are synchronous: the simulation itself is synchronous and must stay deterministic.
 */
export function openJsonlSink(path: string): Either<string, JsonlSink> {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    return left(`cannot write the trace to ${path}: ${(error as Error).message}`);
  }
  let buffer = '';
  const flush = () => {
    if (buffer.length > 0) writeSync(fd, buffer);
    buffer = '';
  };
  return right({
    write(event: DomainEvent) {
      buffer += `${JSON.stringify(event)}\n`;
      if (buffer.length >= FLUSH_AT_CHARACTERS) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  });
}
