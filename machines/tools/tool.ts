import * as t from 'io-ts';
import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import type { LedgerError } from '../../domain/economy/ledger';
import type { Phase, ToolOutcome } from '../brains/protocol';
import type { Emission } from '../event-bus';
import { malformedCallReason, type MalformedCallReason } from './refusals';
import type { ToolCallRequest, ToolEnvironment, WorldState, WorldStep } from '../world/state';

/** A child the orchestrator must start as a new agent actor once the spawn has been paid for. */
export interface SpawnOrder {
  readonly parent_id: string;
  readonly child_id: string;
  readonly model_tier: string;
}

/** What performing a tool call did: the world after it, what it recorded, and how it came out. */
export interface ToolEffect extends WorldStep {
  readonly outcome: ToolOutcome;
  readonly spawn?: SpawnOrder;
}

/** What an orchestrator tool does with a call whose arguments its codec has decoded. */
export type Perform<A> = (world: WorldState, args: A, call: ToolCallRequest, env: ToolEnvironment) => ToolEffect;

/**
 * Who carries a call out: the orchestrator, on the world it owns, or the scheduler, which owns the
 * order book (the agent places its bids there directly, and the scheduler answers them). A tool
 * whose performer `reachesOutside` the world (the self-improvement workspace) does something each
 * time it is performed; any other is a function of the world, its arguments and the environment's
 * model, and may be performed ahead to plan a window (machines/mind.ts).
 */
export type ToolPerformer<A> =
  | { readonly by: 'orchestrator'; readonly perform: Perform<A>; readonly reachesOutside?: true }
  | { readonly by: 'scheduler' };

/** A tool as it describes itself: to the engine, to language models, and to agent processes. */
export interface ToolDefinition<A = any> {
  /** The engine's name for it, e.g. `market.bid`. */
  readonly name: string;
  /** One line, shown to language models and agent processes. */
  readonly description: string;
  /** The codec of the arguments object: the one the tool decodes its calls with. */
  readonly arguments: t.Type<A, unknown, unknown>;
  /** The phases of a turn the tool is open in. */
  readonly phases: readonly Phase[];
  readonly performer: ToolPerformer<A>;
}

/** Tools an agent may use before it has bought a window, to decide its bid or to stay out. */
export const OPEN_WHILE_BIDDING: readonly Phase[] = ['bidding', 'executing'];
/** Tools that act on the economy or use resources: only inside a won execution window. */
export const EXECUTING_ONLY: readonly Phase[] = ['executing'];

/** The arguments of a tool that takes none: whatever object the call carries is accepted. */
export const NoArguments = t.type({});

/** Checks, at compile time, that the tool's performer takes what its codec decodes. */
export function defineTool<A>(definition: ToolDefinition<A>): ToolDefinition<A> {
  return definition;
}

type SuccessDetails = Omit<Extract<ToolOutcome, { result: 'success' }>, 'result' | 'response'>;

export function succeeded(
  world: WorldState,
  emissions: readonly Emission[],
  response?: unknown,
  details: SuccessDetails = {},
): ToolEffect {
  return { world, emissions, outcome: { result: 'success', response, ...details } };
}

export function failure(reason: string, response?: unknown): ToolOutcome {
  return response === undefined ? { result: 'failure', reason } : { result: 'failure', reason, response };
}

export function failed(world: WorldState, reason: string, response?: unknown, emissions: readonly Emission[] = []): ToolEffect {
  return { world, emissions, outcome: failure(reason, response) };
}

/** A malformed call refused (refusals.ts), with what the caller may need to mend it as the response. */
export function refused(world: WorldState, reason: MalformedCallReason, response?: unknown): ToolEffect {
  return failed(world, reason, response);
}

/** A ledger refusal, reported with its kind as the reason and its numbers as the response. */
export function refusedBy(world: WorldState, error: LedgerError): ToolEffect {
  return failed(world, error.kind, error);
}

/** A call's arguments decoded, or the failure that answers bad arguments, with the decode issues as its reason. */
export function decodeArguments<A>(codec: t.Decoder<unknown, A>, args: Readonly<Record<string, unknown>>): Either<ToolOutcome, A> {
  const decoded = decodeWith(codec, args, '$.arguments');
  return isLeft(decoded) ? left(failure(malformedCallReason('invalid_arguments', decoded.left.map(formatIssue).join('; ')))) : decoded;
}
