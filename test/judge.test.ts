import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verdictOf } from '../harness/judges/judge';

test('a verdict scores the mean of its criteria and passes at the threshold, not below', () => {
  const scores = [
    { criterion: 'a', score: 4, justification: '' },
    { criterion: 'b', score: 2, justification: '' },
  ];
  assert.equal(verdictOf(scores, 3, 'ok'), { criteria: scores, overall_score: 3, pass: true, feedback: 'ok' });
  assert.is(verdictOf(scores, 3.01, 'ok').pass, false);
});

test.run();
