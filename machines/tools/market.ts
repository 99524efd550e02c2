import * as t from 'io-ts';
import { left, right, isLeft, type Either } from 'fp-ts/lib/Either.js';
import { roundCredits, PositiveCredits } from '../../domain/credits';
import { BundleRequest, normaliseBundle, type ResourceBundle } from '../../domain/resources';
import type { ToolOutcome } from '../brains/protocol';
import { decodeArguments, failure, succeeded, type Tool } from './tool';

export const getPrices: Tool = (world) => succeeded(world, [], { prices: world.prices });

/** The one tool the orchestrator does not perform: an agent places its bids with the scheduler. */
export const MARKET_BID = 'market.bid';

export interface BidOrder {
  readonly amount: number;
  readonly bundle: ResourceBundle;
}

const BidArguments = t.type({ amount: PositiveCredits, bundle: BundleRequest });

/** A bid's arguments checked, its amount rounded to credits and its bundle normalised; or the failure that answers them. */
export function readBid(args: Readonly<Record<string, unknown>>): Either<ToolOutcome, BidOrder> {
  const decoded = decodeArguments(BidArguments, args);
  if (isLeft(decoded)) return decoded;
  const normalised = normaliseBundle(decoded.right.bundle);
  if ('error' in normalised) return left(failure('invalid_bundle', normalised.error));
  return right({ amount: roundCredits(decoded.right.amount), bundle: normalised.bundle });
}
