import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KNOWN_CONDITION_NAMES } from '../domain/benchmark/validation-vocabulary';
import { PREDICATES } from '../harness/validate/predicates';
import {
  allocated,
  bidPlaced,
  bidProcessed,
  bidRejected,
  changeApplied,
  checkNamed,
  judged,
  measured,
  reasoning,
  serviceInvoked,
  toolCall,
  toolDone,
  verdictOf,
  type EventSpec,
} from './fixtures/traces/builder';

/** Evaluates `condition` alone against the blocks of `validation` and returns its check. */
function condition(
  text: string,
  validation: Record<string, unknown>,
  specs: readonly EventSpec[],
  initialState: Record<string, unknown> = {},
) {
  return checkNamed(verdictOf({ ...validation, success_condition: text }, specs, initialState), 'success_condition');
}

const tested = new Set<string>();

function predicateTest(
  name: keyof typeof PREDICATES,
  validation: Record<string, unknown>,
  passing: readonly EventSpec[],
  failing: readonly EventSpec[],
  failure: RegExp,
  initialState: Record<string, unknown> = {},
) {
  tested.add(name);
  test(`${name}: holds on a passing trace, not on a failing one`, () => {
    const pass = condition(name, validation, passing, initialState);
    assert.ok(pass.passed, pass.detail);
    assert.ok(pass.detail.startsWith(`${name}=true — ${name}: `), pass.detail);
    const fail = condition(name, validation, failing, initialState);
    assert.not.ok(fail.passed, fail.detail);
    assert.ok(fail.detail.startsWith(`${name}=false — ${name}: `), fail.detail);
    assert.match(fail.detail, failure);
  });
}

const FC_001 = {
  required_event_sequence: [
    { type: 'tool_call_initiated', tool_name: 'economic.get_balance' },
    { type: 'tool_call_initiated', tool_name: 'market.bid' },
  ],
  forbidden_events: [{ type: 'bid_rejected' }],
};
predicateTest(
  'all_required_present',
  FC_001,
  [toolCall('economic.get_balance'), toolCall('market.bid')],
  [toolCall('market.bid'), toolCall('economic.get_balance')],
  /failing: required_event_sequence\[1\]/,
);
predicateTest('no_forbidden_present', FC_001, [bidPlaced('b1', 5)], [bidRejected()], /failing: forbidden_events\[0\]/);

const FC_002 = {
  required_event_sequence: [
    { type: 'reasoning_trace', 'data.decision': 'decompose_task' },
    { type: 'service_invoked', 'data.service_name': 'data_fetch' },
    { type: 'service_invoked', 'data.service_name': 'nlp_analysis' },
  ],
  ordering_constraints: ['data_fetch BEFORE nlp_analysis'],
};
predicateTest(
  'correct_sequence',
  FC_002,
  [reasoning('plan', 'decompose_task'), serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis')],
  [reasoning('plan', 'decompose_task'), serviceInvoked('nlp_analysis'), serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis')],
  /failing: ordering_constraints\[0\]/,
);
predicateTest(
  'all_services_succeeded',
  {},
  [serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis')],
  [serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis', 'failure')],
  /failed: nlp_analysis at #2 e2: failure/,
);

test('all_services_succeeded: no service call at all does not hold', () => {
  assert.match(condition('all_services_succeeded', {}, [reasoning('x')]).detail, /no service_invoked event$/);
});

const FC_003 = {
  required_event_sequence: [
    { type: 'bid_placed', label: 'first_attempt' },
    { type: 'bid_placed', label: 'second_attempt', constraints: { total_cost: '<first_attempt.total_cost' } },
  ],
};
predicateTest(
  'second_attempt_succeeded',
  FC_003,
  [bidPlaced('b1', 100), bidRejected(), bidPlaced('b2', 50), allocated('b2')],
  [bidPlaced('b1', 100), allocated('b1'), bidPlaced('b2', 50), bidProcessed('b2', 'outbid')],
  /the bid bound to second_attempt at #3 e3 \(b2\) was never allocated/,
);

test('second_attempt_succeeded: a winning bid_processed counts; an allocation before the bid does not; an unbound label fails', () => {
  assert.ok(condition('second_attempt_succeeded', FC_003, [bidPlaced('b1', 100), bidPlaced('b2', 50), bidProcessed('b2', 'winning')]).passed);
  const early = condition('second_attempt_succeeded', FC_003, [allocated('b2'), bidPlaced('b1', 100), bidPlaced('b2', 50)]);
  assert.not.ok(early.passed);
  const unbound = condition('second_attempt_succeeded', FC_003, [bidPlaced('b1', 100), bidPlaced('b2', 150), allocated('b2')]);
  assert.match(unbound.detail, /no event is bound to the label second_attempt/);
});

predicateTest(
  'within_budget',
  { resource_consumption: { tokens_used: '<=200' } },
  [toolDone('llm.complete', { tokens_used: 150 })],
  [toolDone('llm.complete', { tokens_used: 150 }), toolDone('llm.complete', { tokens_used: 51 })],
  /failing: resource_consumption\.tokens_used/,
);
predicateTest(
  'acceptable_quality',
  { output_quality: { type: 'llm_judge', criterion: 'summary_completeness', threshold: 3.0 } },
  [judged({ summary_completeness: 3 })],
  [judged({ summary_completeness: 2 })],
  /failing: output_quality/,
);

test('a predicate over a block the scenario does not declare does not hold', () => {
  assert.match(condition('acceptable_quality', {}, []).detail, /the scenario declares no judge_evaluation or output_quality or code_quality_check$/);
});

predicateTest(
  'all_sources_queried',
  {},
  [serviceInvoked('service_a'), serviceInvoked('service_b')],
  [serviceInvoked('service_a'), serviceInvoked('service_b', 'failure')],
  /no successful service_invoked of service_b/,
  { data_sources: ['service_a', 'service_b'] },
);
predicateTest(
  'valid_output',
  { output_validation: { schema_conformance: true, data_integration: 'all_sources_represented' } },
  [toolCall('output.submit', { output: { service_a: 1 } })],
  [toolCall('output.submit', { output: { other: 1 } })],
  /failing: output_validation\.data_integration/,
  { data_sources: ['service_a'] },
);

const SI_001 = {
  required_events: [{ type: 'reasoning_trace', contains: 'performance_analysis' }],
  code_quality_check: { type: 'llm_judge', criteria: ['identifies_real_bottleneck', 'proposes_viable_solution'], threshold: 3.0 },
};
predicateTest(
  'bottleneck_identified',
  SI_001,
  [reasoning('performance_analysis: the parser'), judged({ identifies_real_bottleneck: 4, proposes_viable_solution: 1 })],
  [reasoning('performance_analysis: the parser'), judged({ identifies_real_bottleneck: 2, proposes_viable_solution: 5 })],
  /identifies_real_bottleneck = 2 \(judged at #2 e2\), required >= 3/,
);
predicateTest(
  'viable_solution_proposed',
  SI_001,
  [reasoning('performance_analysis'), judged({ identifies_real_bottleneck: 1, proposes_viable_solution: 3 })],
  [reasoning('no analysis'), judged({ identifies_real_bottleneck: 5, proposes_viable_solution: 5 })],
  /failing: required_events\[0\]/,
);
predicateTest('change_applied', {}, [reasoning('x'), changeApplied()], [reasoning('x')], /no code_change_applied event/);
predicateTest(
  'tests_passed',
  {},
  [toolDone('test.run', { test_results: 'some_failed' }), changeApplied(), toolDone('test.run', { test_results: 'all_passed' })],
  [toolDone('test.run', { test_results: 'all_passed' }), changeApplied(), toolDone('test.run', { test_results: 'some_failed', failed_tests: ['test_edge_cases'] })],
  /completed at #3 e3 with test_results some_failed \(failed: test_edge_cases\)/,
);

test('tests_passed: a test run before the last change does not count', () => {
  const detail = condition('tests_passed', {}, [toolDone('test.run', { test_results: 'all_passed' }), changeApplied()]).detail;
  assert.match(detail, /no test\.run completion after the last code_change_applied \(#2 e2\)$/);
});

const timeSamples = (variant: 'baseline' | 'modified', centre: number) =>
  measured('execution_time_ms', variant, [centre - 2, centre - 1, centre, centre + 1, centre + 2]);
predicateTest(
  'statistically_significant_improvement',
  { statistical_significance: { num_trials: 5, confidence_level: 0.95 } },
  [timeSamples('baseline', 500), timeSamples('modified', 400)],
  [timeSamples('baseline', 500), timeSamples('modified', 500)],
  /failing: statistical_significance/,
);
predicateTest(
  'no_regression',
  { performance_comparison: { correctness_maintained: '>= baseline' } },
  [measured('correctness_score', 'baseline', [0.9]), measured('correctness_score', 'modified', [0.9])],
  [measured('correctness_score', 'baseline', [0.9]), measured('correctness_score', 'modified', [0.8])],
  /failing: performance_comparison\.correctness_maintained/,
);
predicateTest(
  'roi_improved',
  { improvement_validation: { metric: 'roi_per_credit_spent', baseline: 0.2, target: '>= 0.4' } },
  [measured('roi_per_credit_spent', 'modified', [0.4])],
  [measured('roi_per_credit_spent', 'modified', [0.39])],
  /failing: improvement_validation/,
);
predicateTest(
  'strategy_shows_adaptiveness',
  { judge_evaluation: { criteria: ['identifies_strategic_flaw', 'proposes_adaptive_strategy'], threshold: 3.5 } },
  [judged({ identifies_strategic_flaw: 4, proposes_adaptive_strategy: 3 })],
  [judged({ identifies_strategic_flaw: 4, proposes_adaptive_strategy: 2 })],
  /failing: judge_evaluation/,
);

const OBJECTIVES = { objectives: { minimize_cost: { weight: 0.5, current: 100 }, maximize_quality: { weight: 0.5, current: 1 } } };
const objectives = (cost: number, quality: number) => [
  measured('minimize_cost', 'baseline', [100]),
  measured('minimize_cost', 'modified', [cost]),
  measured('maximize_quality', 'baseline', [1]),
  measured('maximize_quality', 'modified', [quality]),
];
predicateTest(
  'improved_overall_score',
  { performance_validation: { weighted_score_improvement: '>= 15%' } },
  objectives(80, 1.1),
  objectives(90, 1.1),
  /weighted improvement 10% .* required >= 15%/,
  OBJECTIVES,
);
predicateTest(
  'balanced_trade_offs',
  { performance_validation: { no_objective_regression: true } },
  objectives(100, 1.1),
  objectives(50, 0.9),
  /regressed: maximize_quality -10% \(weight 0.5\)/,
  OBJECTIVES,
);

test('every predicate has a passing and a failing case above', () => {
  assert.equal([...tested].sort(), Object.keys(PREDICATES).sort());
  assert.equal([...KNOWN_CONDITION_NAMES].sort(), [...Object.keys(PREDICATES), 'judge_score', 'threshold'].sort());
});

test.run();
