import * as t from 'io-ts';
import { left, right, isLeft, type Either } from 'fp-ts/lib/Either.js';
import { PositiveCredits, roundCredits } from '../../domain/economy/credits';
import { BundleRequest, normaliseBundle, type ResourceBundle } from '../../domain/economy/resources';
import type { ToolOutcome } from '../brains/protocol';
import { decodeArguments, defineTool, failure, NoArguments, OPEN_WHILE_BIDDING, succeeded } from './tool';
import { malformedCallReason } from './refusals';

export const getPrices = defineTool({
  name: 'market.get_prices',
  description:
    'Read the current price of each resource (cpu, memory, tokens, attention), in credits per whole capacity held for one second, as the last allocation discovered them. Takes no arguments; answers {prices}.',
  arguments: NoArguments,
  phases: OPEN_WHILE_BIDDING,
  performer: { by: 'orchestrator', perform: (world) => succeeded(world, [], { prices: world.prices }) },
});

/** The one tool the orchestrator does not perform: an agent places its bids with the scheduler. */
export const bid = defineTool({
  name: 'market.bid',
  description:
    'Bid `amount` credits (> 0) for an all-or-nothing resource bundle in the next allocation: `bundle` gives cpu, memory, tokens and attention as fractions 0–1 of system capacity (each optional, default 0) and `duration_seconds` (> 0) they are held for. The highest bids whose whole bundle still fits win, each paying its own amount for one execution window; refused when the amount exceeds your balance less your other open bids. Answers {bid_id, total_cost}.',
  arguments: t.type({ amount: PositiveCredits, bundle: BundleRequest }),
  phases: OPEN_WHILE_BIDDING,
  performer: { by: 'scheduler' },
});

export interface BidOrder {
  readonly amount: number;
  readonly bundle: ResourceBundle;
}

/** A bid's arguments checked, its amount rounded to credits and its bundle normalised; or the failure that answers them. */
export function readBid(args: Readonly<Record<string, unknown>>): Either<ToolOutcome, BidOrder> {
  // The codec's guard accepts only arguments its decoder accepts and would hand back with the same
  // values (a test compares them); it builds no context or result on the way, as decoding every bid
  // did. A bid it refuses is decoded, for the issues that answer it.
  if (!bid.arguments.is(args)) {
    const decoded = decodeArguments(bid.arguments, args);
    if (isLeft(decoded)) return decoded;
    return orderOf(decoded.right);
  }
  return orderOf(args);
}

function orderOf({ amount, bundle }: t.TypeOf<typeof bid.arguments>): Either<ToolOutcome, BidOrder> {
  const normalised = normaliseBundle(bundle);
  if ('error' in normalised) return left(failure(malformedCallReason('invalid_bundle'), normalised.error));
  return right({ amount: roundCredits(amount), bundle: normalised.bundle });
}
