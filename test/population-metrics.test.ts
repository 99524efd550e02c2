import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { gini, median, type CycleIndicators } from '../domain/population/metrics';
import { runStudy } from '../harness/simulation/run-study';
import { decodeStudy } from '../harness/simulation/study';

test('gini: 0 for equal balances, towards 1 when one agent holds everything, 0 for nobody', () => {
  assert.is(gini([5, 5, 5, 5]), 0);
  assert.is(gini([0, 0, 0, 100]), 0.75);
  assert.is(gini([]), 0);
  assert.is(gini([0, 0]), 0);
  assert.ok(Math.abs(gini([1, 2, 3]) - 2 / 9) < 1e-12);
});

test('median: the middle value, or the mean of the two middle ones', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([]), 0);
});

/** The first cycle whose books do not balance, or undefined when every cycle's do. */
function unbalancedCycle(rows: readonly CycleIndicators[]): number | undefined {
  let previous = 0;
  for (const row of rows) {
    const expected = previous - row.credits_burned + row.credits_rewarded + row.credits_endowed;
    if (Math.abs(expected - row.credits_total) > 1e-6) return row.cycle;
    previous = row.credits_total;
  }
  return undefined;
}

const policy = fc.constantFrom('fixed_share', 'price_aware', 'saver', 'random', 'service_provider');
const group = fc.record({
  policy,
  count: fc.integer({ min: 1, max: 5 }),
  balance: fc.integer({ min: 0, max: 200 }),
  params: fc.record({ budget_fraction: fc.double({ min: 0.01, max: 1, noNaN: true }), prompt_bid: fc.integer({ min: 0, max: 5 }) }),
});
const config = fc.record({
  groups: fc.array(group, { minLength: 1, maxLength: 3 }).map((groups) => groups.map((each, index) => ({ ...each, name: `g${index}` }))),
  cycles: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  supply: fc.record({ cpu: fc.double({ min: 0.05, max: 1, noNaN: true }), attention: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
  human: fc.record({
    answers_per_cycle: fc.integer({ min: 0, max: 4 }),
    reward_probability: fc.double({ min: 0, max: 1, noNaN: true }),
    scores: fc.record({ mean: fc.double({ min: 0, max: 10, noNaN: true }), spread: fc.double({ min: 0, max: 10, noNaN: true }) }),
  }),
});

test('the books balance in every cycle of random populations: total = previous - burned + rewarded + endowed', async () => {
  await fc.assert(
    fc.asyncProperty(config, async (raw) => {
      const population = decodeStudy(raw);
      if (isLeft(population)) throw new Error(population.left.join('\n'));
      const run = await runStudy(population.right);
      if (isLeft(run)) throw new Error(run.left);
      // A run ends early when every agent has died.
      assert.ok(run.right.rows.length >= 2 && run.right.rows.length <= raw.cycles + 1);
      assert.is(unbalancedCycle(run.right.rows), undefined);
    }),
    { numRuns: 25, seed: 15 },
  );
});

test('the books check catches a cycle whose burned credits were miscounted', async () => {
  const population = decodeStudy({ groups: [{ policy: 'fixed_share', count: 4 }], cycles: 3 });
  if (isLeft(population)) throw new Error(population.left.join('\n'));
  const run = await runStudy(population.right);
  if (isLeft(run)) throw new Error(run.left);
  const rows = run.right.rows;
  assert.ok(rows[2]!.credits_burned > 0);
  const miscounted = rows.map((row) => (row.cycle === 2 ? { ...row, credits_burned: row.credits_burned - 0.01 } : row));
  assert.is(unbalancedCycle(miscounted), 2);
});

test.run();
