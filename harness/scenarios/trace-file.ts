import { readFileSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import { DomainEvent } from '../../domain/events';

/** A recorded trace: JSONL, one event envelope per line; blank lines are skipped. */

function parseLine(line: string): Either<string, DomainEvent> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return left(`malformed JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoded = decodeWith(DomainEvent, json);
  return isLeft(decoded) ? left(decoded.left.map(formatIssue).join('; ')) : right(decoded.right);
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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return left([`${file}: cannot read the trace: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseTrace(text, file);
}
