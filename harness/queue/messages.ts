import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import { errorMessage } from '../../domain/error-message';
import type { CycleIndicators } from '../../domain/population-metrics';

/**
 * What travels through the queue, each shape one io-ts codec: a run's manifest (what the submitter needs to write
 * the output again on --resume), a work item (self-contained: the resolved config and the seed it holds, so a
 * worker needs nothing but the code), and an item's result. No secret is ever part of them.
 */

const Assignment = t.tuple([t.string, t.unknown]);

export const SweepPointItem = t.type({
  assignments: t.array(Assignment),
  seed: t.string,
  config: t.UnknownRecord,
});

export const RunManifest = t.type({
  kind: t.literal('sweep'),
  run_id: t.string,
  code_version: t.string,
  group_names: t.array(t.string),
  points: t.array(SweepPointItem),
  sweep_out: t.string,
});
export type RunManifest = t.TypeOf<typeof RunManifest>;

export const WorkItem = t.type({
  kind: t.literal('sweep-point'),
  item_id: t.string,
  run_id: t.string,
  index: t.number,
  code_version: t.string,
  config: t.UnknownRecord,
});
export type WorkItem = t.TypeOf<typeof WorkItem>;

const ResultBase = t.type({ item_id: t.string, run_id: t.string, index: t.number, worker: t.string, run_ms: t.number });
const ItemResultCodec = t.union([
  t.intersection([ResultBase, t.type({ row: t.UnknownRecord })]),
  t.intersection([ResultBase, t.type({ error: t.string })]),
]);
export type ItemResult = (t.TypeOf<typeof ResultBase> & { readonly row: CycleIndicators }) | (t.TypeOf<typeof ResultBase> & { readonly error: string });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encoded = (message: unknown): Uint8Array => encoder.encode(JSON.stringify(message));

/** A message's bytes as `codec` says they must be: a one-line reason naming `what` when they are not. */
export function decoded<C extends t.Mixed>(codec: C, bytes: Uint8Array, what: string): Either<string, t.TypeOf<C>> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    return left(`${what}: not JSON (${errorMessage(error)})`);
  }
  const result = decodeWith<t.TypeOf<C>>(codec, json);
  return isLeft(result) ? left(`${what}: ${result.left.map(formatIssue).join('; ')}`) : right(result.right);
}

/**
 * A stored result. Its row is checked as a record only: it was made by a worker that accepted the item's code
 * version, the very code that computes rows locally.
 */
export const decodedResult = (bytes: Uint8Array, what: string): Either<string, ItemResult> => decoded(ItemResultCodec, bytes, what) as Either<string, ItemResult>;
