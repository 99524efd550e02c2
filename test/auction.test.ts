import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { clearAuction, FULL_SUPPLY, type Bid, type ClearingResult, type LosingReason, type Supply } from '../domain/economy/auction';
import { balanceOf, burnMany, totalSupply, type Balances } from '../domain/economy/ledger';
import { roundCredits } from '../domain/economy/credits';
import { RESOURCES, type ResourceBundle } from '../domain/economy/resources';

let nextSequence = 0;
function bid(bid_id: string, agent_id: string, amount: number, fractions: Partial<ResourceBundle>): Bid {
  const bundle = { cpu: 0, memory: 0, tokens: 0, attention: 0, duration_seconds: 60, ...fractions };
  return { bid_id, agent_id, amount, bundle, sequence: nextSequence++ };
}

const rich: Balances = { alice: 1000, bob: 1000, carol: 1000 };
const idsOf = (bids: readonly Bid[]) => bids.map(({ bid_id }) => bid_id);
const reasonsOf = (result: ClearingResult) => Object.fromEntries(result.losers.map(({ bid_id }, k) => [bid_id, result.reasons[k]]));

test('the highest bid wins contested capacity, and pays its own amount', () => {
  const result = clearAuction([bid('low', 'alice', 10, { cpu: 0.6 }), bid('high', 'bob', 20, { cpu: 0.6 })], rich);
  assert.equal(idsOf(result.winners), ['high']);
  assert.is(result.winners[0]!.amount, 20);
  assert.equal(reasonsOf(result), { low: 'outbid' });
});

test('equal amounts are served in placement order', () => {
  const first = bid('first', 'alice', 10, { cpu: 0.6 });
  const second = bid('second', 'bob', 10, { cpu: 0.6 });
  assert.equal(idsOf(clearAuction([second, first], rich).winners), ['first']);
});

test('bids that fit together all win, in clearing order', () => {
  const result = clearAuction([bid('a', 'alice', 5, { cpu: 0.5 }), bid('b', 'bob', 9, { cpu: 0.5, tokens: 1 })], rich);
  assert.equal(idsOf(result.winners), ['b', 'a']);
  assert.equal(result.losers, []);
  assert.equal(result.remaining, { cpu: 0, memory: 1, tokens: 0, attention: 1 });
});

test('a bundle is all or nothing: one resource short loses the whole bid', () => {
  const result = clearAuction([bid('big', 'alice', 20, { memory: 0.7 }), bid('mixed', 'bob', 10, { cpu: 0.1, memory: 0.4 })], rich);
  assert.equal(idsOf(result.winners), ['big']);
  assert.equal(reasonsOf(result), { mixed: 'outbid' });
  assert.ok(Math.abs(result.remaining.memory - 0.3) < 1e-9);
});

test('a lower bid that still fits wins after a higher one lost', () => {
  const result = clearAuction(
    [bid('top', 'alice', 30, { cpu: 0.8 }), bid('blocked', 'bob', 20, { cpu: 0.5 }), bid('small', 'carol', 10, { cpu: 0.2 })],
    rich,
  );
  assert.equal(idsOf(result.winners), ['top', 'small']);
  assert.equal(reasonsOf(result), { blocked: 'outbid' });
});

test('a bundle larger than the whole supply loses for insufficient capacity, not outbid', () => {
  const half: Supply = { cpu: 0.5, memory: 1, tokens: 1, attention: 1 };
  const result = clearAuction([bid('huge', 'alice', 100, { cpu: 0.6 }), bid('fits', 'bob', 1, { cpu: 0.5 })], rich, half);
  assert.equal(idsOf(result.winners), ['fits']);
  assert.equal(reasonsOf(result), { huge: 'insufficient_capacity' });
});

test("an agent cannot win more than its balance across its bids; others' bids are unaffected", () => {
  const result = clearAuction(
    [bid('a1', 'alice', 60, { cpu: 0.1 }), bid('a2', 'alice', 50, { cpu: 0.1 }), bid('a3', 'alice', 40, { cpu: 0.1 }), bid('b1', 'bob', 55, { cpu: 0.1 })],
    { alice: 100, bob: 1000 },
  );
  assert.equal(idsOf(result.winners), ['a1', 'b1', 'a3']);
  assert.equal(reasonsOf(result), { a2: 'insufficient_balance' });
});

test('an agent without an account cannot win, not even with a bid of 0', () => {
  const result = clearAuction([bid('ghost', 'nobody', 1, { cpu: 0.1 }), bid('free', 'nobody', 0, { cpu: 0.1 })], rich);
  assert.equal(result.winners, []);
  assert.equal(reasonsOf(result), { ghost: 'insufficient_balance', free: 'insufficient_balance' });
});

test('fractions that add up to the supply fit despite floating-point sums', () => {
  const result = clearAuction(
    [bid('a', 'alice', 3, { cpu: 0.3 }), bid('b', 'bob', 2, { cpu: 0.6 }), bid('c', 'carol', 1, { cpu: 0.1 })],
    rich,
  );
  assert.equal(idsOf(result.winners), ['a', 'b', 'c']);
  assert.is(result.remaining.cpu, 0);
});

test('clearing leaves the input bids in their order', () => {
  const bids = [bid('x', 'alice', 1, { cpu: 0.1 }), bid('y', 'bob', 2, { cpu: 0.1 })];
  clearAuction(bids, rich);
  assert.equal(idsOf(bids), ['x', 'y']);
  assert.equal(FULL_SUPPLY, { cpu: 1, memory: 1, tokens: 1, attention: 1 });
});

// Random bid books: few agents and coarse fractions, so that bids contend for room and for balance.

const AGENTS = ['alice', 'bob', 'carol', 'dave'];
const fractionArb = fc.oneof(fc.constantFrom(0, 0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const bundleArb = fc.record({
  cpu: fractionArb,
  memory: fractionArb,
  tokens: fractionArb,
  attention: fc.constantFrom(0, 0.5, 1),
  duration_seconds: fc.integer({ min: 1, max: 600 }),
});
const offerArb = fc.record({
  agent_id: fc.constantFrom(...AGENTS, 'ghost'),
  amount: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 200, noNaN: true })),
  bundle: bundleArb,
});
/** Distinct sequences, deliberately not in the order of the array. */
const bookArb = fc
  .array(offerArb, { maxLength: 40 })
  .chain((offers) =>
    fc.shuffledSubarray([...offers.keys()], { minLength: offers.length, maxLength: offers.length }).map((sequences) =>
      offers.map((offer, i): Bid => ({ ...offer, bid_id: `bid_${i}`, sequence: sequences[i]! })),
    ),
  );
const balancesArb = fc
  .tuple(...AGENTS.map(() => fc.integer({ min: 0, max: 400 })))
  .map((amounts): Balances => Object.fromEntries(AGENTS.map((agent, i) => [agent, amounts[i]!])));
const supplyArb = fc.oneof(
  fc.constant(FULL_SUPPLY),
  fc.record({ cpu: fractionArb, memory: fractionArb, tokens: fractionArb, attention: fractionArb }),
);

const TOLERANCE = 1e-9;
const PROPERTY_RUNS = { seed: 20_260_101, numRuns: 200 };
const clearingOrder = (a: Bid, b: Bid) => b.amount - a.amount || a.sequence - b.sequence;

function allocatedBy(bids: readonly Bid[]): Record<string, number> {
  return Object.fromEntries(RESOURCES.map((resource) => [resource, bids.reduce((sum, b) => sum + b.bundle[resource], 0)]));
}

function spentBy(bids: readonly Bid[], agentId: string): number {
  return bids.filter((b) => b.agent_id === agentId).reduce((sum, b) => sum + b.amount, 0);
}

test('property: every bid is decided once, and no resource is allocated beyond its supply', () => {
  fc.assert(
    fc.property(bookArb, balancesArb, supplyArb, (bids, balances, supply) => {
      const result = clearAuction(bids, balances, supply);
      const decided = [...idsOf(result.winners), ...idsOf(result.losers)].sort();
      if (JSON.stringify(decided) !== JSON.stringify(idsOf(bids).sort())) return false;
      const allocated = allocatedBy(result.winners);
      return RESOURCES.every(
        (resource) =>
          allocated[resource]! <= supply[resource] + TOLERANCE &&
          Math.abs(result.remaining[resource] - Math.max(0, supply[resource] - allocated[resource]!)) < 1e-6,
      );
    }),
    PROPERTY_RUNS,
  );
});

test('property: the winners are a greedy walk and every losing reason is true', () => {
  fc.assert(
    fc.property(bookArb, balancesArb, supplyArb, (bids, balances, supply) => {
      const result = clearAuction(bids, balances, supply);
      const winnersBefore = (b: Bid) => result.winners.filter((w) => clearingOrder(w, b) < 0);
      const fitsAfter = (b: Bid, taken: Record<string, number>, available: Supply) =>
        RESOURCES.every((resource) => taken[resource]! + b.bundle[resource] <= available[resource] + TOLERANCE);
      const affordableAfter = (b: Bid) =>
        b.agent_id in balances && spentBy(winnersBefore(b), b.agent_id) + b.amount <= balances[b.agent_id]! + 1e-6;
      const winnersInOrder = [...result.winners].sort(clearingOrder);
      if (winnersInOrder.some((w, i) => w !== result.winners[i])) return false;
      const winnersValid = result.winners.every((w) => fitsAfter(w, allocatedBy(winnersBefore(w)), supply) && affordableAfter(w));
      const losersValid = result.losers.every((b, k) => {
        const exceedsSupply = !fitsAfter(b, allocatedBy([]), supply);
        switch (result.reasons[k]) {
          case 'insufficient_capacity':
            return exceedsSupply;
          case 'insufficient_balance':
            return !exceedsSupply && !affordableAfter(b);
          case 'outbid':
            return !exceedsSupply && affordableAfter(b) && !fitsAfter(b, allocatedBy(winnersBefore(b)), supply);
        }
      });
      return winnersValid && losersValid;
    }),
    PROPERTY_RUNS,
  );
});

test('property: the winners can pay, and burning them costs the losers nothing', () => {
  fc.assert(
    fc.property(bookArb, balancesArb, (bids, balances) => {
      const ledger = { balances, escrow: Object.fromEntries(AGENTS.map((agent) => [agent, 0])) };
      const { winners } = clearAuction(bids, balances);
      const burned = burnMany(ledger, winners.map(({ agent_id, amount }) => ({ agent_id, amount })));
      if (isLeft(burned)) return false;
      const totalPaid = winners.reduce((sum, w) => sum + w.amount, 0);
      return (
        Math.abs(totalSupply(ledger) - totalSupply(burned.right) - totalPaid) <= 1e-6 * (winners.length + 1) &&
        AGENTS.every((agent) => Math.abs(balanceOf(ledger, agent) - balanceOf(burned.right, agent) - spentBy(winners, agent)) <= 1e-6 * (winners.length + 1))
      );
    }),
    PROPERTY_RUNS,
  );
});

test('property: clearing is deterministic and independent of the order the bids come in', () => {
  const shuffledBookArb = bookArb.chain((bids) =>
    fc.tuple(fc.constant(bids), fc.shuffledSubarray(bids, { minLength: bids.length, maxLength: bids.length })),
  );
  fc.assert(
    fc.property(shuffledBookArb, balancesArb, ([bids, shuffled], balances) => {
      const once = JSON.stringify(clearAuction(bids, balances));
      return once === JSON.stringify(clearAuction(bids, balances)) && once === JSON.stringify(clearAuction(shuffled, balances));
    }),
    PROPERTY_RUNS,
  );
});

// The clearing against a plain reference: a comparator sort and a walk, as the rules read.

/** Highest amount first; equal amounts by sequence; equal sequences in input order (the sort is stable). */
function referenceClearing(bids: readonly Bid[], balances: Balances, supply: Supply): ClearingResult {
  const ordered = [...bids].sort((a, b) => b.amount - a.amount || a.sequence - b.sequence);
  const fits = (b: Bid, available: Supply) => RESOURCES.every((resource) => b.bundle[resource] <= available[resource] + 1e-9);
  const remaining = { ...supply };
  const spent = new Map<string, number>();
  const winners: Bid[] = [];
  const losers: Bid[] = [];
  const reasons: LosingReason[] = [];
  const lose = (b: Bid, reason: LosingReason) => losers.push(b) && reasons.push(reason);
  for (const b of ordered) {
    const spentAfter = roundCredits((spent.get(b.agent_id) ?? 0) + b.amount);
    const affordable = Object.hasOwn(balances, b.agent_id) && spentAfter <= balances[b.agent_id]!;
    if (!fits(b, supply)) lose(b, 'insufficient_capacity');
    else if (!affordable) lose(b, 'insufficient_balance');
    else if (!fits(b, remaining)) lose(b, 'outbid');
    else {
      winners.push(b);
      spent.set(b.agent_id, spentAfter);
      for (const resource of RESOURCES) remaining[resource] = Math.max(0, remaining[resource] - b.bundle[resource]);
    }
  }
  return { winners, losers, reasons, remaining };
}

/** Amounts that tie, amounts one bit apart (they share all but the lowest bits), -0 beside 0, negatives, denormals. */
const contestedAmountArb = fc.oneof(
  fc.constantFrom(0, -0, 1, 5, 10, 10 * (1 + 2 ** -52), 10 * (1 + 2 ** -50), 10 * (1 - 2 ** -53), 12.34, 99.99, 1e-300, -5e-324, -3, -3 * (1 + 2 ** -52)),
  fc.integer({ min: 0, max: 20 }),
  fc.double({ min: 0, max: 200, noNaN: true }),
);
const wideFractionArb = fc.oneof(fractionArb, fc.constantFrom(1.2, 2), fc.double({ min: 0, max: 0.2, noNaN: true }));
const contestedOfferArb = fc.record({
  agent_id: fc.constantFrom(...AGENTS, 'ghost'),
  amount: contestedAmountArb,
  bundle: fc.record({ cpu: wideFractionArb, memory: wideFractionArb, tokens: wideFractionArb, attention: fc.constantFrom(0, 0.5, 1.5), duration_seconds: fc.constant(60) }),
});
/** Sequences rising with input order, shuffled, or drawn with repeats. */
const contestedBookArb = fc
  .tuple(fc.array(contestedOfferArb, { maxLength: 300 }), fc.constantFrom('rising', 'shuffled', 'repeated'))
  .chain(([offers, sequencing]) => {
    const sequences =
      sequencing === 'rising'
        ? fc.constant([...offers.keys()])
        : sequencing === 'shuffled'
          ? fc.shuffledSubarray([...offers.keys()], { minLength: offers.length, maxLength: offers.length })
          : fc.array(fc.integer({ min: 0, max: 5 }), { minLength: offers.length, maxLength: offers.length });
    return sequences.map((drawn) => offers.map((offer, i): Bid => ({ ...offer, bid_id: `bid_${i}`, sequence: drawn[i]! })));
  });

const decisions = (result: ClearingResult) => ({
  winners: idsOf(result.winners),
  losers: result.losers.map(({ bid_id }, k) => `${bid_id}:${result.reasons[k]}`),
  remaining: result.remaining,
});

test('property: clearing decides every bid as the plain reference does, in the same order', () => {
  fc.assert(
    fc.property(contestedBookArb, balancesArb, supplyArb, (bids, balances, supply) => {
      assert.equal(decisions(clearAuction(bids, balances, supply)), decisions(referenceClearing(bids, balances, supply)));
    }),
    { seed: 20_260_102, numRuns: 300 },
  );
});

test('the reference comparison fails when equal amounts are served out of placement order', () => {
  const swapped = (bids: readonly Bid[], balances: Balances, supply: Supply): ClearingResult => {
    const result = clearAuction(bids, balances, supply);
    return { ...result, losers: [...result.losers].reverse(), reasons: [...result.reasons].reverse() };
  };
  const bids = [0, 1, 2].map((sequence): Bid => ({ ...bid(`tie_${sequence}`, 'alice', 7, { cpu: 0.6 }), sequence: 2 - sequence }));
  assert.not.equal(decisions(swapped(bids, rich, FULL_SUPPLY)), decisions(referenceClearing(bids, rich, FULL_SUPPLY)));
  assert.equal(idsOf(clearAuction(bids, rich).winners), ['tie_2']);
  assert.equal(reasonsOf(clearAuction(bids, rich)), { tie_1: 'outbid', tie_0: 'outbid' });
  assert.equal(idsOf(clearAuction(bids, rich).losers), ['tie_1', 'tie_0']);
});

test('amounts one bit apart are not a tie: the larger wins whatever the placement order', () => {
  const larger = 10 * (1 + 2 ** -52);
  const book = [bid('earlier', 'alice', 10, { cpu: 0.6 }), bid('later', 'bob', larger, { cpu: 0.6 }), bid('tie', 'carol', 10, { cpu: 0.1 })];
  const result = clearAuction(book, rich);
  assert.equal(idsOf(result.winners), ['later', 'tie']);
  assert.equal(idsOf(result.losers), ['earlier']);
});

test('a large book with many equal amounts clears as the reference does', () => {
  const book = Array.from({ length: 5_000 }, (_, i): Bid => ({
    bid_id: `bid_${i}`,
    agent_id: `agent_${i % 97}`,
    amount: (i * 7919) % 50,
    bundle: { cpu: ((i * 31) % 10) / 1000, memory: ((i * 17) % 10) / 1000, tokens: 0, attention: 0, duration_seconds: 60 },
    sequence: (i * 4999) % 5_000,
  }));
  const balances = Object.fromEntries(Array.from({ length: 90 }, (_, a) => [`agent_${a}`, 40 + a]));
  const supply = { cpu: 0.5, memory: 0.4, tokens: 1, attention: 1 };
  assert.equal(decisions(clearAuction(book, balances, supply)), decisions(referenceClearing(book, balances, supply)));
});

test('every resource counts: a bundle short of any one of them loses', () => {
  for (const resource of RESOURCES) {
    const result = clearAuction([bid('first', 'alice', 2, { [resource]: 0.6 }), bid('second', 'bob', 1, { [resource]: 0.6 })], rich);
    assert.equal(reasonsOf(result), { second: 'outbid' }, resource);
    assert.ok(Math.abs(result.remaining[resource] - 0.4) < 1e-9, resource);
  }
});

test.run();
