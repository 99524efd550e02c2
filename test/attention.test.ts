import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { answerOrder, type Prompt } from '../domain/economy/attention';

const prompt = (prompt_id: string, bid_amount: number, sequence: number): Prompt => ({
  prompt_id,
  agent_id: `agent_of_${prompt_id}`,
  bid_amount,
  sequence,
});

test('the highest attention bid is answered first', () => {
  const order = answerOrder([prompt('cheap', 5, 0), prompt('dear', 50, 1), prompt('middle', 20, 2)]);
  assert.equal(order.map(({ prompt_id }) => prompt_id), ['dear', 'middle', 'cheap']);
});

test('equal bids are answered in the order they were submitted', () => {
  const order = answerOrder([prompt('later', 10, 7), prompt('earlier', 10, 3)]);
  assert.equal(order.map(({ prompt_id }) => prompt_id), ['earlier', 'later']);
});

test('the pending prompts are left as they were', () => {
  const pending = [prompt('a', 1, 0), prompt('b', 2, 1)];
  answerOrder(pending);
  assert.equal(pending.map(({ prompt_id }) => prompt_id), ['a', 'b']);
});

test('property: the order does not depend on the order prompts are handed over in', () => {
  const promptsArb = fc
    .array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 })
    .map((bids) => bids.map((bid, i) => prompt(`p${i}`, bid, i)));
  const withShuffleArb = promptsArb.chain((prompts) =>
    fc.tuple(fc.constant(prompts), fc.shuffledSubarray(prompts, { minLength: prompts.length, maxLength: prompts.length })),
  );
  fc.assert(
    fc.property(withShuffleArb, ([prompts, shuffled]) => {
      const order = answerOrder(prompts);
      const sorted = order.every(
        (p, i) => i === 0 || order[i - 1]!.bid_amount > p.bid_amount || (order[i - 1]!.bid_amount === p.bid_amount && order[i - 1]!.sequence < p.sequence),
      );
      return sorted && JSON.stringify(order) === JSON.stringify(answerOrder(shuffled));
    }),
    { seed: 20_260_101, numRuns: 200 },
  );
});

test.run();
