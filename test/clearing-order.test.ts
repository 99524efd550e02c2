import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { descendingOrder } from '../domain/economy/clearing-order';
import { reusedArray } from '../domain/economy/reused-array';

/** Clearing order as the rules read: NaN above all, then highest amount first (-0 is 0), ties in the order given. */
function referenceOrder(amounts: readonly number[]): number[] {
  const rank = (a: number) => (a !== a ? Infinity : a);
  return [...amounts.keys()].sort((i, j) => {
    const a = amounts[i]!;
    const b = amounts[j]!;
    if (a !== a || b !== b) return a !== a && b !== b ? i - j : a !== a ? -1 : 1;
    return rank(b) - rank(a) || i - j;
  });
}

const orderOf = (amounts: readonly number[]) => Array.from(descendingOrder(Float64Array.from(amounts)));

const EDGES = [NaN, Infinity, 1e308, 100, 10 * (1 + 2 ** -52), 10, 5e-324, 0, -0, -5e-324, -3, -3 * (1 + 2 ** -52), -1e308, -Infinity];

test('every kind of amount takes the place a comparator sort gives it, ties in the order given', () => {
  const amounts = [...EDGES, ...[...EDGES].reverse(), 0, -0, NaN, 10];
  assert.equal(orderOf(amounts), referenceOrder(amounts));
  assert.equal(orderOf([0, -0, -0, 0]), [0, 1, 2, 3]);
  assert.equal(orderOf([-0, 5e-324]), [1, 0]);
});

test('the reference tells a swapped tie from clearing order', () => {
  const amounts = [7, 9, 7];
  assert.equal(referenceOrder(amounts), [1, 0, 2]);
  assert.not.equal(referenceOrder(amounts), [1, 2, 0]);
});

const amountArb = fc.oneof(fc.constantFrom(...EDGES), fc.integer({ min: -5, max: 5 }), fc.double());

test('property: a book of any amounts comes out as the comparator sort puts it', () => {
  fc.assert(
    fc.property(fc.array(amountArb, { maxLength: 300 }), (amounts) => {
      assert.equal(orderOf(amounts), referenceOrder(amounts));
    }),
    { seed: 20_261_207, numRuns: 300 },
  );
});

test('large books, sorted by wider digits, come out as the comparator sort puts them', () => {
  let state = 12_345;
  const draw = () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
  const size = 40_000;
  // Cents, so that every digit varies; whole numbers, whose low half is all zeros and is not sorted at all; and a few edges among them.
  const cents = Array.from({ length: size }, () => Math.round(draw() * 10_000) / 100);
  const wholes = Array.from({ length: size }, (_, i) => (i % 101 === 0 ? EDGES[i % EDGES.length]! : Math.round(draw() * 50) - 10));
  assert.equal(orderOf(cents), referenceOrder(cents));
  assert.equal(orderOf(wholes), referenceOrder(wholes));
  const small = cents.slice(0, 50);
  assert.equal(orderOf(small), referenceOrder(small), 'a small book after a large one reads none of what the large one left');
});

test('a reused array is a view of the length asked for, kept while it is large enough', () => {
  const made: number[] = [];
  const scratch = reusedArray((length) => (made.push(length), new Uint32Array(length)));
  const first = scratch(10);
  first.fill(3);
  assert.is(scratch(4).length, 4);
  assert.is(scratch(4)[0], 3, 'the same memory, not a fresh array');
  assert.is(scratch(12).length, 12);
  assert.equal(made, [0, 15]);
  assert.is(scratch(20)[0], 0, 'a fresh array when the kept one is too short');
  assert.equal(made, [0, 15, 30]);
});

test.run();
