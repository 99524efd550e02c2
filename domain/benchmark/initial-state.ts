import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../codec/decode';
import type { Scenario } from './scenario';

/**
 * The per-scenario parts of `initial_state` that validation and the scripted world read, decoded where
 * they are used. Each problem reads `$.initial_state.key…: expected …, got …`.
 */

/** fc_005: the services whose data the submitted output must integrate. */
export const DataSources = t.array(t.string, 'an array of service names');

/** si_005: `{name: {weight, current}}`; a name starts with `minimize_` or `maximize_`. */
export const Objectives = t.record(t.string, t.type({ weight: t.number, current: t.number }), 'objectives');
export type Objectives = t.TypeOf<typeof Objectives>;

function pathOf(key: string): string {
  return `$.initial_state.${key}`;
}

function decodeStated<A>(value: unknown, key: string, codec: t.Decoder<unknown, A>): Either<string[], A> {
  const decoded = decodeWith(codec, value, pathOf(key));
  return isLeft(decoded) ? left(decoded.left.map(formatIssue)) : decoded;
}

/** `initial_state[key]` decoded with `codec`; the Left names the path and what was expected, also when it is not stated. */
export function initialStateField<A>(scenario: Scenario, key: string, codec: t.Decoder<unknown, A>): Either<string, A> {
  const value: unknown = scenario.initial_state[key];
  if (value === undefined) return left(`${pathOf(key)}: expected ${codec.name}, got nothing`);
  const decoded = decodeStated(value, key, codec);
  return isLeft(decoded) ? left(decoded.left.join('; ')) : right(decoded.right);
}

/** `initial_state[key]` decoded with `codec`, or undefined when the scenario does not state it. */
export function optionalStateField<A>(scenario: Scenario, key: string, codec: t.Decoder<unknown, A>): Either<string[], A | undefined> {
  const value: unknown = scenario.initial_state[key];
  return value === undefined ? right(undefined) : decodeStated(value, key, codec);
}
