import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Bid } from '../domain/economy/auction';
import { clampPrice, discoverPrices, PRICE_CEILING, PRICE_FLOOR, quoteBundle, type Prices } from '../domain/economy/pricing';
import { RESOURCES, type ResourceBundle } from '../domain/economy/resources';
import { roundCredits } from '../domain/economy/credits';

const flat: Prices = { cpu: 1, memory: 1, tokens: 1, attention: 1 };

function winner(amount: number, fractions: Partial<ResourceBundle>, sequence = 0): Bid {
  const bundle = { cpu: 0, memory: 0, tokens: 0, attention: 0, duration_seconds: 10, ...fractions };
  return { bid_id: `bid_${sequence}`, agent_id: 'alice', amount, bundle, sequence };
}

test('prices are clamped to [0.01, 1000]', () => {
  assert.is(PRICE_FLOOR, 0.01);
  assert.is(PRICE_CEILING, 1000);
  assert.is(clampPrice(0), 0.01);
  assert.is(clampPrice(-3), 0.01);
  assert.is(clampPrice(2.5), 2.5);
  assert.is(clampPrice(5000), 1000);
});

test('a quote is the sum of price × fraction × duration, in micro-credits', () => {
  const prices: Prices = { cpu: 2, memory: 0.5, tokens: 10, attention: 1000 };
  assert.is(quoteBundle(prices, { cpu: 0.5, memory: 1, tokens: 0.1, attention: 0, duration_seconds: 10 }), 25);
  assert.is(quoteBundle(flat, { cpu: 0.1, memory: 0.2, tokens: 0, attention: 0, duration_seconds: 1 }), 0.3);
});

test('a single-resource winner sets that price to what it paid per capacity-second', () => {
  const { prices, updates } = discoverPrices(flat, [winner(50, { cpu: 0.5 })]);
  assert.equal(prices, { cpu: 10, memory: 1, tokens: 1, attention: 1 });
  assert.equal(updates, [{ resource: 'cpu', old_price: 1, new_price: 10 }]);
});

test('several winners of one resource average by the capacity-seconds they bought', () => {
  const { prices } = discoverPrices(flat, [winner(50, { cpu: 0.5 }), winner(10, { cpu: 0.25, duration_seconds: 4 }, 1)]);
  assert.is(prices.cpu, 60 / 6);
});

test('a bundle of several resources pays each in proportion to its value at the previous prices', () => {
  const previous: Prices = { cpu: 1, memory: 3, tokens: 1, attention: 1 };
  const bundle = { cpu: 0.5, memory: 0.5 };
  const { prices, updates } = discoverPrices(previous, [winner(40, bundle)]);
  assert.equal(prices, { cpu: 2, memory: 6, tokens: 1, attention: 1 });
  assert.equal(updates.map(({ resource }) => resource), ['cpu', 'memory']);
  assert.is(quoteBundle(prices, { ...winner(40, bundle).bundle }), 40);
});

test('discovered prices are clamped', () => {
  assert.is(discoverPrices(flat, [winner(0, { cpu: 1 })]).prices.cpu, PRICE_FLOOR);
  assert.is(discoverPrices(flat, [winner(1e9, { cpu: 0.01, duration_seconds: 1 })]).prices.cpu, PRICE_CEILING);
});

test('without winners nothing changes and nothing is published', () => {
  assert.equal(discoverPrices(flat, []), { prices: flat, updates: [] });
});

test('a previous price of 0 still gets a share of a bundle it is part of', () => {
  const { prices } = discoverPrices({ ...flat, cpu: 0 }, [winner(20, { cpu: 1, memory: 1 })]);
  assert.ok(prices.cpu > 0 && prices.memory > 0);
  assert.is(roundCredits((prices.cpu + prices.memory) * 10), 20);
});

const pricesArb = fc.record({
  cpu: fc.double({ min: PRICE_FLOOR, max: PRICE_CEILING, noNaN: true }),
  memory: fc.double({ min: PRICE_FLOOR, max: PRICE_CEILING, noNaN: true }),
  tokens: fc.double({ min: PRICE_FLOOR, max: PRICE_CEILING, noNaN: true }),
  attention: fc.double({ min: PRICE_FLOOR, max: PRICE_CEILING, noNaN: true }),
});
const fractionArb = fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 1, noNaN: true }));
const winnerArb = fc
  .record({
    amount: fc.double({ min: 0, max: 10_000, noNaN: true }),
    cpu: fractionArb,
    memory: fractionArb,
    tokens: fractionArb,
    attention: fc.constant(0),
    duration_seconds: fc.integer({ min: 1, max: 3600 }),
  })
  .map(({ amount, ...bundle }) => winner(amount, bundle));
const PROPERTY_RUNS = { seed: 20_260_101, numRuns: 200 };

test('property: discovered prices stay within bounds; unused resources keep their price unpublished', () => {
  fc.assert(
    fc.property(pricesArb, fc.array(winnerArb, { maxLength: 8 }), (previous, winners) => {
      const { prices, updates } = discoverPrices(previous, winners);
      return RESOURCES.every((resource) => {
        const used = winners.some(({ bundle }) => bundle[resource] > 0);
        const update = updates.find((u) => u.resource === resource);
        if (!used) return prices[resource] === previous[resource] && update === undefined;
        return (
          prices[resource] >= PRICE_FLOOR &&
          prices[resource] <= PRICE_CEILING &&
          update !== undefined &&
          update.old_price === previous[resource] &&
          update.new_price === prices[resource]
        );
      });
    }),
    PROPERTY_RUNS,
  );
});

test('property: a single winner’s bundle quotes at the new prices to what it paid, unless clamped', () => {
  // The amount is the bundle's value at the previous prices scaled by a factor, so that most runs are not clamped.
  const factorArb = fc.double({ min: 0.05, max: 20, noNaN: true });
  let unclamped = 0;
  fc.assert(
    fc.property(pricesArb, winnerArb, factorArb, (previous, { bundle }, factor) => {
      const won = winner(quoteBundle(previous, bundle) * factor, bundle);
      const { prices, updates } = discoverPrices(previous, [won]);
      const clamped = updates.some(({ new_price }) => new_price === PRICE_FLOOR || new_price === PRICE_CEILING);
      if (clamped || updates.length === 0) return true;
      unclamped += 1;
      return Math.abs(quoteBundle(prices, won.bundle) - roundCredits(won.amount)) <= 2e-6;
    }),
    PROPERTY_RUNS,
  );
  assert.ok(unclamped >= PROPERTY_RUNS.numRuns / 2, `only ${unclamped} runs were unclamped`);
});

test.run();
