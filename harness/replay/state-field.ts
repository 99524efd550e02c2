import type * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import type { Scenario } from '../../domain/scenario';

/**
 * `initial_state[key]` decoded with `codec`, or undefined when the scenario does not state it. Each
 * problem reads `$.initial_state.key…: expected …, got …`.
 */
export function optionalStateField<A>(scenario: Scenario, key: string, codec: t.Decoder<unknown, A>): Either<string[], A | undefined> {
  const value: unknown = scenario.initial_state[key];
  if (value === undefined) return right(undefined);
  const decoded = decodeWith(codec, value, `$.initial_state.${key}`);
  return isLeft(decoded) ? left(decoded.left.map(formatIssue)) : decoded;
}

/** Gathers the problems of several decodes, so that one bad field does not hide the next. */
export class Problems {
  readonly list: string[] = [];

  /** The value, or `fallback` after recording why it could not be had. */
  take<A>(result: Either<string[], A>, fallback: A): A {
    if (isLeft(result)) {
      this.list.push(...result.left);
      return fallback;
    }
    return result.right;
  }
}
