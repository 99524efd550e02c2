import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { DomainEvent } from '../../domain/economy/events';
import { normaliseEvent } from '../../domain/benchmark/trace-normalise';
import { decodeJsonText, readText } from '../files';

/**
 * A recorded trace: JSONL, one event envelope per line; blank lines are skipped. Each line is
 * normalised from the upstream design's shapes (domain/benchmark/trace-normalise.ts) before it is decoded.
 */

/** An event as recorded here or in the shapes of the upstream design. */
const RecordedEvent = new t.Type<DomainEvent, unknown, unknown>(
  'RecordedEvent',
  DomainEvent.is,
  (raw, context) => DomainEvent.validate(normaliseEvent(raw).event, context),
  t.identity,
);

function parseLine(line: string): Either<string, DomainEvent> {
  const decoded = decodeJsonText(line, RecordedEvent);
  return isLeft(decoded) ? left(decoded.left.join('; ')) : decoded;
}

/** The events of `text`, or one message per bad line, each as `FILE:LINE: problem`; a trace without events is one problem too. */
export function parseTrace(text: string, file: string): Either<string[], DomainEvent[]> {
  const events: DomainEvent[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const event = parseLine(line);
    if (isLeft(event)) problems.push(`${file}:${index + 1}: ${event.left}`);
    else events.push(event.right);
  });
  if (problems.length > 0) return left(problems);
  return events.length > 0 ? right(events) : left([`${file}: the trace has no events (it is empty or blank)`]);
}

export function readTraceFile(file: string): Either<string[], DomainEvent[]> {
  const text = readText(file, 'the trace');
  return isLeft(text) ? left([`${file}: ${text.left}`]) : parseTrace(text.right, file);
}
