// The agent's bidding_strategy module: how much it bids for its next execution window.

/**
 * The bid for the next execution window, in credits; 0 skips the round.
 *
 * `situation` is `{ max_bid, market_price, history }`: the most the agent will ever bid, the clearing
 * price the market published after the last round, and the agent's earlier rounds, oldest first, each
 * `{ bid, won, cost, reward, clearing_price }`.
 */
export function chooseBid(situation) {
  return situation.max_bid;
}
