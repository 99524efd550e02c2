import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { DomainEvent } from '../../domain/events';
import { decodeJsonText, readText } from './json-file';

/** A recorded trace: JSONL, one event envelope per line; blank lines are skipped. */

function parseLine(line: string): Either<string, DomainEvent> {
  const decoded = decodeJsonText(line, DomainEvent);
  return isLeft(decoded) ? left(decoded.left.join('; ')) : decoded;
}

/** The events of `text`, or one message per bad line, each as `FILE:LINE: problem`. */
export function parseTrace(text: string, file: string): Either<string[], DomainEvent[]> {
  const events: DomainEvent[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const event = parseLine(line);
    if (isLeft(event)) problems.push(`${file}:${index + 1}: ${event.left}`);
    else events.push(event.right);
  });
  return problems.length > 0 ? left(problems) : right(events);
}

export function readTraceFile(file: string): Either<string[], DomainEvent[]> {
  const text = readText(file, 'the trace');
  return isLeft(text) ? left([`${file}: ${text.left}`]) : parseTrace(text.right, file);
}
