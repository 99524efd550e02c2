import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from './decode';
import type { Scenario } from './scenario';

/** The per-scenario parts of `initial_state` that validation reads, decoded where they are used. */

/** fc_005: the services whose data the submitted output must integrate. */
export const DataSources = t.array(t.string, 'an array of service names');

/** si_005: `{name: {weight, current}}`; a name starts with `minimize_` or `maximize_`. */
export const Objectives = t.record(t.string, t.type({ weight: t.number, current: t.number }), 'objectives');
export type Objectives = t.TypeOf<typeof Objectives>;

/** `initial_state[key]` decoded with `codec`; the Left names the path and what was expected. */
export function initialStateField<A>(scenario: Scenario, key: string, codec: t.Decoder<unknown, A>): Either<string, A> {
  const path = `$.initial_state.${key}`;
  const value: unknown = scenario.initial_state[key];
  if (value === undefined) return left(`${path}: expected ${codec.name}, got nothing`);
  const decoded = decodeWith(codec, value, path);
  return isLeft(decoded) ? left(decoded.left.map(formatIssue).join('; ')) : right(decoded.right);
}
