import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { balanceOf, emptyLedger, openAccount, totalSupply, type Ledger } from '../domain/economy/ledger';
import { HumanScores, REWARD_PER_POINT, reward, rewardCredits } from '../domain/economy/rewards';

const opened = openAccount(emptyLedger, 'alice', 100);
if (isLeft(opened)) throw new Error('setup: could not open an account');
const ledger: Ledger = opened.right;

test('a reward is 50 credits per point over the three scores', () => {
  assert.is(REWARD_PER_POINT, 50);
  assert.is(rewardCredits({ interesting: 7, useful: 8, understandable: 9 }), 1200);
  assert.is(rewardCredits({ interesting: 0, useful: 0, understandable: 0 }), 0);
  assert.is(rewardCredits({ interesting: 0.5, useful: 0, understandable: 10 }), 525);
});

test('a reward credits the agent and raises the supply by exactly the credits', () => {
  const result = reward(ledger, 'alice', { interesting: 2, useful: 3, understandable: 4 });
  assert.ok(isRight(result));
  if (isLeft(result)) return;
  assert.is(result.right.credits, 450);
  assert.equal(result.right.scores, { interesting: 2, useful: 3, understandable: 4 });
  assert.is(balanceOf(result.right.ledger, 'alice'), 550);
  assert.is(totalSupply(result.right.ledger), 550);
});

test('scores outside 0–10, missing or of the wrong type are refused with their paths', () => {
  const result = reward(ledger, 'alice', { interesting: 11, useful: -1, understandable: '5' });
  assert.ok(isLeft(result));
  if (isRight(result)) return;
  assert.equal(result.left, {
    kind: 'invalid_scores',
    issues: [
      'scores.interesting: expected a score from 0 to 10, got 11',
      'scores.useful: expected a score from 0 to 10, got -1',
      'scores.understandable: expected a score from 0 to 10, got "5"',
    ],
  });
  const missing = reward(ledger, 'alice', { interesting: 1, useful: 1 });
  assert.ok(isLeft(missing) && missing.left.kind === 'invalid_scores');
  assert.ok(isLeft(reward(ledger, 'alice', { interesting: Number.NaN, useful: 1, understandable: 1 })));
  assert.ok(isLeft(reward(ledger, 'alice', null)));
});

test('a reward to an unknown account is refused', () => {
  assert.equal(reward(ledger, 'bob', { interesting: 1, useful: 1, understandable: 1 }), {
    _tag: 'Left',
    left: { kind: 'unknown_account', agent_id: 'bob' },
  });
});

test('the boundaries 0 and 10 are valid scores', () => {
  assert.ok(HumanScores.is({ interesting: 0, useful: 10, understandable: 10 }));
  assert.not.ok(HumanScores.is({ interesting: 0, useful: 10.01, understandable: 10 }));
});

test('property: any valid scores raise the supply by exactly 50 × their sum', () => {
  const score = fc.double({ min: 0, max: 10, noNaN: true });
  fc.assert(
    fc.property(score, score, score, (interesting, useful, understandable) => {
      const result = reward(ledger, 'alice', { interesting, useful, understandable });
      if (isLeft(result)) return false;
      const expected = 50 * (interesting + useful + understandable);
      const raised = totalSupply(result.right.ledger) - totalSupply(ledger);
      return Math.abs(raised - result.right.credits) < 1e-9 && Math.abs(result.right.credits - expected) <= 5e-7;
    }),
    { seed: 20_260_101, numRuns: 200 },
  );
});

test.run();
