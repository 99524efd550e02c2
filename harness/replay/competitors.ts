import * as t from 'io-ts';
import { map, type Either } from 'fp-ts/lib/Either.js';
import type { ResourceBundle } from '../../domain/economy/resources';
import type { Scenario } from '../../domain/benchmark/scenario';
import { type AgentSetup, type BrainAction, type BrainLogic, defineBrain } from '../../machines';
import { optionalStateField } from '../../domain/benchmark/initial-state';
import { PositiveCredits } from '../../domain/economy/credits';

/**
 * The other bidders of `market_context.competitor_bids`: one agent per bid, which bids that amount
 * every cycle. Together their bundles ask for the whole capacity, in equal shares, so the agent under
 * test wins a window only by outbidding at least the lowest of them. Each holds enough credits to
 * keep bidding through the run and outlive it.
 */

const MarketContext = t.partial({ competitor_bids: t.array(PositiveCredits) });

const COMPETITOR_WINDOW_SECONDS = 60;

export function competitorId(index: number): string {
  return `competitor_${index + 1}`;
}

const END_TURN: BrainAction = { kind: 'end_turn' };

/** Bids `amount` for `bundle` in every bidding turn and does nothing with the windows it wins. */
export function competitorBrain(amount: number, bundle: ResourceBundle): BrainLogic {
  const bid: BrainAction[] = [{ kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle } }, END_TURN];
  return defineBrain<null>({
    initial: () => null,
    act: (_, prompt) => [null, prompt.type === 'turn.started' && prompt.phase === 'bidding' ? bid : END_TURN],
  });
}

export function competitorsOf(scenario: Scenario, cycles: number): Either<string[], AgentSetup[]> {
  return map((context: t.TypeOf<typeof MarketContext> | undefined) => {
    const bids = context?.competitor_bids ?? [];
    if (bids.length === 0) return [];
    const share = 1 / bids.length;
    const bundle: ResourceBundle = { cpu: share, memory: share, tokens: share, attention: 0, duration_seconds: COMPETITOR_WINDOW_SECONDS };
    return bids.map((amount, index) => ({
      id: competitorId(index),
      balance: amount * (cycles + 1),
      brain: competitorBrain(amount, bundle),
    }));
  })(optionalStateField(scenario, 'market_context', MarketContext));
}
