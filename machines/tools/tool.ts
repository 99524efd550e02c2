import type * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import type { LedgerError } from '../../domain/ledger';
import type { ResourceBundle } from '../../domain/resources';
import type { ToolOutcome } from '../brain-protocol';
import type { Emission } from '../event-bus';
import type { ToolCallRequest, ToolEnvironment, WorldState, WorldStep } from '../world-state';

/** A child the orchestrator must start as a new agent actor once the spawn has been paid for. */
export interface SpawnOrder {
  readonly parent_id: string;
  readonly child_id: string;
  readonly model_tier: string;
}

/**
 * What performing a tool call did. Bids are the scheduler's to answer, so `market.bid` only checks
 * and normalises its arguments and hands them on; every other tool is decided here.
 */
export type ToolEffect =
  | (WorldStep & { readonly kind: 'done'; readonly outcome: ToolOutcome; readonly spawn?: SpawnOrder })
  | { readonly kind: 'bid'; readonly amount: number; readonly bundle: ResourceBundle; readonly balance: number };

export type Tool = (world: WorldState, call: ToolCallRequest, env: ToolEnvironment) => ToolEffect;

type SuccessDetails = Omit<Extract<ToolOutcome, { result: 'success' }>, 'result' | 'response'>;

export function succeeded(
  world: WorldState,
  emissions: readonly Emission[],
  response?: unknown,
  details: SuccessDetails = {},
): ToolEffect {
  return { kind: 'done', world, emissions, outcome: { result: 'success', response, ...details } };
}

export function failed(world: WorldState, reason: string, response?: unknown, emissions: readonly Emission[] = []): ToolEffect {
  const outcome: ToolOutcome = response === undefined ? { result: 'failure', reason } : { result: 'failure', reason, response };
  return { kind: 'done', world, emissions, outcome };
}

/** A ledger refusal, reported with its kind as the reason and its numbers as the response. */
export function refusedBy(world: WorldState, error: LedgerError): ToolEffect {
  return failed(world, error.kind, error);
}

/** Decodes the call's arguments first; bad arguments fail the call with the decode issues as its reason. */
export function withArguments<A>(
  codec: t.Decoder<unknown, A>,
  tool: (world: WorldState, args: A, call: ToolCallRequest, env: ToolEnvironment) => ToolEffect,
): Tool {
  return (world, call, env) => {
    const decoded = decodeWith(codec, call.arguments, '$.arguments');
    if (isLeft(decoded)) return failed(world, `invalid_arguments: ${decoded.left.map(formatIssue).join('; ')}`);
    return tool(world, decoded.right, call, env);
  };
}
