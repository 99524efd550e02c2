import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkNamed, judged, reasoning, verdictOf } from './fixtures/traces/builder';

const ER_001 = {
  required_events: [{ type: 'reasoning_trace' }],
  judge_evaluation: {
    criteria: ['recognizes_scarcity', 'weighs_opportunity_cost', 'decision_coherence', 'strategic_sophistication'],
    pass_threshold: 3.0,
  },
  success_condition: 'judge_score >= threshold',
};

const scores = (a: number, b: number, c: number, d: number) => ({
  recognizes_scarcity: a,
  weighs_opportunity_cost: b,
  decision_coherence: c,
  strategic_sophistication: d,
});

test('judge_evaluation: the mean of the block criteria against pass_threshold', () => {
  const passing = verdictOf(ER_001, [reasoning('x'), judged({ ...scores(3, 4, 3, 3), unrelated: 1 })]);
  assert.ok(passing.passed);
  assert.is(
    checkNamed(passing, 'judge_evaluation').detail,
    'mean score 3.25 (recognizes_scarcity=3, weighs_opportunity_cost=4, decision_coherence=3, strategic_sophistication=3, judged at #2 e2), required >= 3',
  );
  assert.is(checkNamed(passing, 'success_condition').detail.split(' — ')[0], 'judge_score=3.25 >= threshold=3');

  const failing = verdictOf(ER_001, [reasoning('x'), judged(scores(3, 2, 3, 3))]);
  assert.not.ok(failing.passed);
  assert.not.ok(checkNamed(failing, 'judge_evaluation').passed);
  assert.is(checkNamed(failing, 'success_condition').detail.split(' — ')[0], 'judge_score=2.75 >= threshold=3');
});

test('without a judgement covering the criteria the block fails and judge_score has no value', () => {
  const verdict = verdictOf(ER_001, [reasoning('x'), judged({ recognizes_scarcity: 5 })]);
  assert.not.ok(verdict.passed);
  assert.is(
    checkNamed(verdict, 'judge_evaluation').detail,
    'no judgement was recorded for criteria recognizes_scarcity, weighs_opportunity_cost, decision_coherence, strategic_sophistication',
  );
  assert.match(checkNamed(verdict, 'success_condition').detail, /^judge_score=\(no value\) >= threshold=3 — judge_score: no judgement/);
});

test('the latest judgement that covers the criteria counts', () => {
  const verdict = verdictOf(ER_001, [judged(scores(1, 1, 1, 1)), reasoning('x'), judged(scores(4, 4, 4, 4)), judged({ decision_coherence: 1 })]);
  assert.ok(verdict.passed);
  assert.match(checkNamed(verdict, 'judge_evaluation').detail, /judged at #3 e3/);
});

test('without a stated threshold the default 3.0 applies', () => {
  const validation = { judge_evaluation: { criteria: ['a'] }, success_condition: 'judge_score >= threshold' };
  assert.ok(verdictOf(validation, [judged({ a: 3 })]).passed);
  assert.not.ok(verdictOf(validation, [judged({ a: 2.9 })]).passed);
});

test('output_quality: one criterion against its threshold', () => {
  const validation = {
    output_quality: { type: 'llm_judge', criterion: 'summary_completeness', threshold: 3.0 },
    success_condition: 'acceptable_quality',
  };
  assert.ok(verdictOf(validation, [judged({ summary_completeness: 4 })]).passed);
  const failing = verdictOf(validation, [judged({ summary_completeness: 2 })]);
  assert.not.ok(failing.passed);
  assert.is(checkNamed(failing, 'output_quality').detail, 'mean score 2 (summary_completeness=2, judged at #1 e1), required >= 3');
});

test('code_quality_check: several criteria against its threshold', () => {
  const validation = {
    code_quality_check: { type: 'llm_judge', criteria: ['identifies_real_bottleneck', 'proposes_viable_solution'], threshold: 3.5 },
    success_condition: 'acceptable_quality',
  };
  assert.ok(verdictOf(validation, [judged({ identifies_real_bottleneck: 4, proposes_viable_solution: 3 })]).passed);
  assert.not.ok(verdictOf(validation, [judged({ identifies_real_bottleneck: 4, proposes_viable_solution: 2 })]).passed);
});

test('judge_score and threshold across several judged blocks: mean of all criteria, highest threshold', () => {
  const validation = {
    output_quality: { criterion: 'a', threshold: 3 },
    judge_evaluation: { criteria: ['b'], threshold: 4 },
    success_condition: 'judge_score >= threshold',
  };
  const verdict = verdictOf(validation, [judged({ a: 5, b: 4 })]);
  assert.ok(verdict.passed);
  assert.match(checkNamed(verdict, 'success_condition').detail, /^judge_score=4\.5 >= threshold=4 — /);
  assert.not.ok(verdictOf(validation, [judged({ a: 3, b: 4.5 })]).passed);
});

test.run();
