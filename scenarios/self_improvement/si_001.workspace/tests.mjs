// The test suite of data_processing. Each test receives the agent's modules by name and throws to fail.
import assert from 'node:assert/strict';

const PERFORMANCE_TRANSACTIONS = 20_000;
const PERFORMANCE_CUSTOMERS = 2_000;
// About 25 times what the module as shipped takes on this input: a guard against a change that makes it
// dramatically slower, far above the noise of a busy machine.
const PERFORMANCE_BUDGET_MS = 2_000;

export const tests = {
  test_correctness({ data_processing }) {
    const day = [
      { customer: '10042', amount: 12.5 },
      { customer: 'ana', amount: 30 },
      { customer: '981', amount: 20 },
      { customer: 'ana', amount: 15.25 },
      { customer: '10042', amount: 7.5 },
      { customer: 'bo', amount: 3 },
    ];
    assert.deepEqual(data_processing.summarize(day), [
      { customer: 'ana', count: 2, total: 45.25 },
      { customer: '10042', count: 2, total: 20 },
      { customer: '981', count: 1, total: 20 },
      { customer: 'bo', count: 1, total: 3 },
    ]);
  },

  test_performance({ data_processing }) {
    const day = Array.from({ length: PERFORMANCE_TRANSACTIONS }, (_, index) => ({
      customer: `customer-${(index * 7919) % PERFORMANCE_CUSTOMERS}`,
      amount: (index % 100) / 4,
    }));
    const start = performance.now();
    const summaries = data_processing.summarize(day);
    const elapsed = performance.now() - start;
    assert.equal(summaries.length, PERFORMANCE_CUSTOMERS);
    assert.ok(elapsed < PERFORMANCE_BUDGET_MS, `took ${Math.round(elapsed)} ms, budget ${PERFORMANCE_BUDGET_MS} ms`);
  },

  test_edge_cases({ data_processing }) {
    assert.deepEqual(data_processing.summarize([]), []);
    const awkward = [
      { customer: 'constructor', amount: 5 },
      { customer: '__proto__', amount: 4 },
      { customer: 'toString', amount: 3 },
      { customer: 'refunded', amount: 10 },
      { customer: 'refunded', amount: -10 },
      { customer: 'cents', amount: 0.1 },
      { customer: 'cents', amount: 0.2 },
      { customer: '', amount: 1 },
      { customer: 'no amount' },
      { customer: 'not a number', amount: Number.NaN },
      null,
    ];
    assert.deepEqual(data_processing.summarize(awkward), [
      { customer: 'constructor', count: 1, total: 5 },
      { customer: '__proto__', count: 1, total: 4 },
      { customer: 'toString', count: 1, total: 3 },
      { customer: 'cents', count: 2, total: 0.3 },
      { customer: 'refunded', count: 2, total: 0 },
    ]);
  },
};
