import { left, right, type Either } from 'fp-ts/lib/Either.js';

/**
 * `JSON.parse` whose failure says where: Node 20 reports an offset ("at position 18") or nothing,
 * later versions a line and column; all become "line L, column C" when the place is known.
 */
export function parseJsonText(text: string): Either<string, unknown> {
  try {
    return right(JSON.parse(text));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return left(describeJsonError(message, text));
  }
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
