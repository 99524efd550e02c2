// The test suite of bidding_strategy. Each test receives the agent's modules by name and throws to fail.
import assert from 'node:assert/strict';

const MAX_BID = 200;

function assertValidBid(bid) {
  assert.equal(typeof bid, 'number', `the bid must be a number, got ${typeof bid}`);
  assert.ok(Number.isFinite(bid) && bid >= 0 && bid <= MAX_BID, `the bid must be within 0..${MAX_BID}, got ${bid}`);
}

export const tests = {
  test_first_round({ bidding_strategy }) {
    assertValidBid(bidding_strategy.chooseBid({ max_bid: MAX_BID, market_price: 40, history: [] }));
  },

  test_after_rounds({ bidding_strategy }) {
    const history = [
      { bid: 200, won: true, cost: 200, reward: 50, clearing_price: 40 },
      { bid: 200, won: true, cost: 200, reward: 0, clearing_price: 60 },
      { bid: 30, won: false, cost: 0, reward: 0, clearing_price: 35 },
    ];
    assertValidBid(bidding_strategy.chooseBid({ max_bid: MAX_BID, market_price: 35, history }));
  },

  test_leaves_situation_unchanged({ bidding_strategy }) {
    const history = [{ bid: 200, won: true, cost: 200, reward: 50, clearing_price: 40 }];
    const situation = { max_bid: MAX_BID, market_price: 40, history };
    const before = structuredClone(situation);
    bidding_strategy.chooseBid(situation);
    assert.deepEqual(situation, before);
  },
};
