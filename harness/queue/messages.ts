import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';
import type { CycleIndicators } from '../../domain/population/metrics';
import type { SeedResult } from '../arena/index';
import type { ScenarioRun } from '../replay';

/**
 * What travels through the queue, each shape one io-ts codec: a run's manifest (what the submitter needs to write
 * the output again on --resume), a work item (self-contained: the resolved config and the seed it holds, so a
 * worker needs nothing but the code), and an item's result. No secret is ever part of them.
 */

const Assignment = t.tuple([t.string, t.unknown]);

const ManifestPoint = t.type({
  assignments: t.array(Assignment),
  seed: t.string,
  config: t.UnknownRecord,
});

export const RunManifest = t.type({
  kind: t.literal('sweep'),
  run_id: t.string,
  code_version: t.string,
  group_names: t.array(t.string),
  points: t.array(ManifestPoint),
  sweep_out: t.string,
});
export type RunManifest = t.TypeOf<typeof RunManifest>;

const ItemBase = t.type({ item_id: t.string, run_id: t.string, index: t.number, code_version: t.string });

/** A point of a sweep with one seed: its resolved config holds the seed. */
const SweepPointItem = t.intersection([ItemBase, t.type({ kind: t.literal('sweep-point'), config: t.UnknownRecord })]);

const FileText = t.type({ file: t.string, text: t.string });

/**
 * A scenario × epoch of an evaluation: the scenario file's and the script's contents, the seed, the judge's name and
 * the agent's options as typed (never a key: a worker takes AGENT_BASE_URL and AGENT_API_KEY from its own
 * environment). The project's rubrics and companions are part of the code version.
 */
export const SampleItem = t.intersection([
  ItemBase,
  t.type({
    kind: t.literal('scenario-sample'),
    scenario: FileText,
    script: t.union([FileText, t.type({ missing: t.string })]),
    epoch: t.number,
    seed: t.number,
    judge: t.string,
    agent: t.record(t.string, t.string),
  }),
  /** `run.ts --publish-events` with `--queue`: the worker publishes the run's events live on the queue's server. */
  t.partial({ events: t.type({ prefix: t.string, run: t.string, sample: t.string }) }),
]);
export type SampleItem = t.TypeOf<typeof SampleItem>;

/**
 * A seed of an arena: the arena's plan (harness/arena/arena-plan.ts: its agents as typed, its background and its
 * files' contents, never a key: a worker takes the agents' endpoints and keys, and the HTTP judge's, from its own
 * environment) and the seed of the one world to run.
 */
export const ArenaSeedItem = t.intersection([ItemBase, t.type({ kind: t.literal('arena-seed'), plan: t.UnknownRecord, seed: t.string })]);
export type ArenaSeedItem = t.TypeOf<typeof ArenaSeedItem>;

export const WorkItem = t.union([SweepPointItem, SampleItem, ArenaSeedItem]);
export type WorkItem = t.TypeOf<typeof WorkItem>;

const ResultBase = t.type({ item_id: t.string, run_id: t.string, index: t.number, worker: t.string, run_ms: t.number });
const ItemResultCodec = t.union([
  t.intersection([ResultBase, t.type({ rows: t.array(t.UnknownRecord) })]),
  t.intersection([ResultBase, t.type({ run: t.UnknownRecord })]),
  t.intersection([ResultBase, t.type({ seed_result: t.UnknownRecord })]),
  t.intersection([ResultBase, t.type({ error: t.string })]),
]);
type ResultBase = t.TypeOf<typeof ResultBase>;
export type ItemResult =
  | (ResultBase & { readonly rows: readonly CycleIndicators[] })
  | (ResultBase & { readonly run: ScenarioRun })
  | (ResultBase & { readonly seed_result: SeedResult })
  | (ResultBase & { readonly error: string });

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
 * A stored result. Its row or run is checked as a record only: it was made by a worker that accepted the item's code
 * version, the very code that computes them locally.
 */
export const decodedResult = (bytes: Uint8Array, what: string): Either<string, ItemResult> => decoded(ItemResultCodec, bytes, what) as Either<string, ItemResult>;
