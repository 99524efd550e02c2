import type * as t from 'io-ts';
import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import type { LedgerError } from '../../domain/ledger';
import type { ToolOutcome } from '../brains/protocol';
import type { Emission } from '../event-bus';
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

export type Tool = (world: WorldState, call: ToolCallRequest, env: ToolEnvironment) => ToolEffect;

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

/** A ledger refusal, reported with its kind as the reason and its numbers as the response. */
export function refusedBy(world: WorldState, error: LedgerError): ToolEffect {
  return failed(world, error.kind, error);
}

/** A call's arguments decoded, or the failure that answers bad arguments, with the decode issues as its reason. */
export function decodeArguments<A>(codec: t.Decoder<unknown, A>, args: Readonly<Record<string, unknown>>): Either<ToolOutcome, A> {
  const decoded = decodeWith(codec, args, '$.arguments');
  return isLeft(decoded) ? left(failure(`invalid_arguments: ${decoded.left.map(formatIssue).join('; ')}`)) : decoded;
}

/** Decodes the call's arguments first; bad arguments fail the call. */
export function withArguments<A>(
  codec: t.Decoder<unknown, A>,
  tool: (world: WorldState, args: A, call: ToolCallRequest, env: ToolEnvironment) => ToolEffect,
): Tool {
  return (world, call, env) => {
    const decoded = decodeArguments(codec, call.arguments);
    if (isLeft(decoded)) return { world, emissions: [], outcome: decoded.left };
    return tool(world, decoded.right, call, env);
  };
}
