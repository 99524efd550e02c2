import * as t from 'io-ts';
import { roundCredits } from '../../domain/credits';
import { balanceOf } from '../../domain/ledger';
import { BundleRequest, normaliseBundle } from '../../domain/resources';
import { PositiveCredits } from './arguments';
import { failed, succeeded, withArguments, type Tool } from './tool';

export const getPrices: Tool = (world) => succeeded(world, [], { prices: world.prices });

/** Checks the bid and hands it to the scheduler, which places or refuses it. */
export const bid: Tool = withArguments(t.type({ amount: PositiveCredits, bundle: BundleRequest }), (world, args, { agent_id }) => {
  const normalised = normaliseBundle(args.bundle);
  if ('error' in normalised) return failed(world, 'invalid_bundle', normalised.error);
  return { kind: 'bid', amount: roundCredits(args.amount), bundle: normalised.bundle, balance: balanceOf(world.ledger, agent_id) };
});
