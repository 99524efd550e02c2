import { readFileSync } from 'node:fs';
import type * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';

/** Reading the project's JSON files (scenarios, scripts, rubrics, manifests, trace lines): every problem says where. */

/** A value read from a file, with the file it came from, for messages that name it. */
export interface SourceFile<A> {
  readonly file: string;
  readonly value: A;
}

/** The text of `file`, or `cannot read WHAT: reason`. */
export function readText(file: string, what = 'the file'): Either<string, string> {
  try {
    return right(readFileSync(file, 'utf8'));
  } catch (error) {
    return left(`cannot read ${what}: ${errorMessage(error)}`);
  }
}

/**
 * `JSON.parse` whose failure says where: Node 20 reports an offset ("at position 18") or nothing,
 * later versions a line and column; all become "line L, column C" when the place is known.
 */
export function parseJsonText(text: string): Either<string, unknown> {
  try {
    return right(JSON.parse(text));
  } catch (error) {
    return left(describeJsonError(errorMessage(error), text));
  }
}

/** JSON text parsed and decoded; every problem is `$.json.path: expected …, got …` or where the JSON is malformed. */
export function decodeJsonText<A>(text: string, codec: t.Decoder<unknown, A>): Either<string[], A> {
  const parsed = parseJsonText(text);
  if (isLeft(parsed)) return left([parsed.left]);
  const decoded = decodeWith(codec, parsed.right);
  return isLeft(decoded) ? left(decoded.left.map(formatIssue)) : right(decoded.right);
}

/** A JSON file read and decoded; every problem is `FILE: $.json.path: expected …, got …`. */
export function readJsonFile<A>(file: string, codec: t.Decoder<unknown, A>): Either<string[], A> {
  const text = readText(file);
  if (isLeft(text)) return left([`${file}: ${text.left}`]);
  const decoded = decodeJsonText(text.right, codec);
  return isLeft(decoded) ? left(decoded.left.map((problem) => `${file}: ${problem}`)) : decoded;
}

function describeJsonError(message: string, text: string): string {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  const position = /at position (\d+)/.exec(message);
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  if (lineColumn) return `malformed JSON at line ${lineColumn[1]}, column ${lineColumn[2]}: ${reason}`;
  if (position) return `malformed JSON at ${locate(text, Number(position[1]))}: ${reason}`;
  if (/end of JSON input/.test(message)) return `malformed JSON at ${locate(text, text.length)}: ${reason}`;
  return `malformed JSON: ${reason}`;
}

function locate(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
