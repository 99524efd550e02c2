// The measurement workload of bidding_strategy (trials-runner.mjs): the strategy replayed on the
// scenario's recent outcomes, scored by the return on the credits it spends.

/**
 * The market of those rounds: the price published before the first one, then each round's clearing price
 * (the lowest bid that still won the window). The maximum bids of `recent_outcomes` paid 200 each time;
 * the windows would have gone for far less.
 */
const OPENING_PRICE = 45;
const CLEARING_PRICES = [45, 50, 40];

/**
 * The replay model, round by round: the strategy sees the last published price and its own history and
 * names a bid of at most the largest cost in the outcomes (the maximum the agent used to bid). A bid at
 * or above the round's clearing price wins and pays itself (first price) and earns the reward of that
 * round's outcome, which depends on the work done in the window, not on the price paid; a lower bid, or 0,
 * wins nothing and pays nothing.
 */
export function prepare({ context }) {
  const outcomes = context.recent_outcomes;
  if (!Array.isArray(outcomes) || outcomes.length > CLEARING_PRICES.length) {
    throw new Error(`recent_outcomes: expected an array of at most ${CLEARING_PRICES.length} rounds`);
  }
  return { outcomes, max_bid: Math.max(...outcomes.map((outcome) => outcome.cost)) };
}

export function execute({ bidding_strategy }, { outcomes, max_bid }) {
  const history = [];
  outcomes.forEach((outcome, round) => {
    const market_price = round === 0 ? OPENING_PRICE : CLEARING_PRICES[round - 1];
    const bid = bidding_strategy.chooseBid({ max_bid, market_price, history: structuredClone(history) });
    if (typeof bid !== 'number' || !(bid >= 0 && bid <= max_bid)) {
      throw new Error(`round ${round + 1}: expected a bid from 0 to ${max_bid}, got ${bid}`);
    }
    const clearing_price = CLEARING_PRICES[round];
    const won = bid > 0 && bid >= clearing_price;
    history.push({ bid, won, cost: won ? bid : 0, reward: won ? outcome.reward : 0, clearing_price });
  });
  return history;
}

/** Return on investment: credits earned per credit spent over the rounds (0 when nothing was spent). */
export function assess(_input, rounds) {
  const spent = rounds.reduce((sum, round) => sum + round.cost, 0);
  const earned = rounds.reduce((sum, round) => sum + round.reward, 0);
  return { score: spent === 0 ? 0 : earned / spent };
}
