import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkNamed, measured, serviceInvoked, toolCall, toolDone, verdictOf, type EventSpec } from './fixtures/traces/builder';

const ALWAYS = 'no_forbidden_present OR NOT no_forbidden_present';

test('resource_consumption: tokens_used summed from tool_call_completed against the constraint', () => {
  const validation = { resource_consumption: { tokens_used: '<=200' }, success_condition: 'within_budget' };
  const calls = (...tokens: number[]) => tokens.map((tokens_used) => toolDone('llm.complete', { tokens_used }));
  const passing = verdictOf(validation, [...calls(120, 80), toolDone('test.run')]);
  assert.ok(passing.passed);
  assert.is(checkNamed(passing, 'resource_consumption.tokens_used').detail, 'tokens_used = 200, required <= 200');
  const failing = verdictOf(validation, calls(120, 81));
  assert.not.ok(failing.passed);
  assert.is(checkNamed(failing, 'resource_consumption.tokens_used').detail, 'tokens_used = 201, required <= 200');
});

test('resource_consumption: an unknown metric or a non-numeric bound fails with a reason', () => {
  const unknown = verdictOf({ resource_consumption: { tokens_spent: '<=1' }, success_condition: ALWAYS }, []);
  assert.match(checkNamed(unknown, 'resource_consumption.tokens_spent').detail, /^unknown metric; known: tokens_used/);
  const percent = verdictOf({ resource_consumption: { tokens_used: '<=10%' }, success_condition: ALWAYS }, []);
  assert.is(checkNamed(percent, 'resource_consumption.tokens_used').detail, 'expected a number to compare with, got <= 10%');
});

const FC_005 = {
  output_validation: { schema_conformance: true, data_integration: 'all_sources_represented' },
  success_condition: 'valid_output',
};
const SOURCES = { data_sources: ['service_a', 'service_b', 'service_c'] };

test('output_validation: a JSON object (or a string parsing to one) representing every data source', () => {
  const asObject = toolCall('output.submit', { output: { service_a: { rows: 3 }, summary: 'merged SERVICE_B and service_c' } });
  assert.ok(verdictOf(FC_005, [asObject], SOURCES).passed);
  const asString = toolCall('output.submit', { output: JSON.stringify({ sources: ['service_a', 'service_b', 'service_c'] }) });
  assert.ok(verdictOf(FC_005, [asString], SOURCES).passed);
});

test('output_validation: unstructured output, a missing source or no output fails', () => {
  const text = verdictOf(FC_005, [toolCall('output.submit', { output: 'service_a service_b service_c' })], SOURCES);
  assert.not.ok(checkNamed(text, 'output_validation.schema_conformance').passed);
  assert.match(checkNamed(text, 'output_validation.schema_conformance').detail, /is not a JSON object: "service_a service_b service_c"/);

  const partial = verdictOf(FC_005, [toolCall('output.submit', { output: { service_a: 1, service_b: 2 } })], SOURCES);
  assert.ok(checkNamed(partial, 'output_validation.schema_conformance').passed);
  const integration = checkNamed(partial, 'output_validation.data_integration');
  assert.not.ok(integration.passed);
  assert.match(integration.detail, /does not represent service_c/);

  const nothing = verdictOf(FC_005, [serviceInvoked('service_a')], SOURCES);
  assert.not.ok(nothing.passed);
  assert.match(checkNamed(nothing, 'output_validation.schema_conformance').detail, /^no output was submitted/);
});

test('output_validation: data_sources missing from initial_state is named by its path', () => {
  const verdict = verdictOf(FC_005, [toolCall('output.submit', { output: {} })], { data_sources: 'service_a' });
  assert.is(
    checkNamed(verdict, 'output_validation.data_integration').detail,
    '$.initial_state.data_sources: expected an array of service names, got "service_a"',
  );
});

const SI_003 = {
  performance_comparison: {
    execution_time_improvement: '>= 10%',
    cost_improvement: '>= 5%',
    correctness_maintained: '>= baseline',
  },
  statistical_significance: { num_trials: 10, confidence_level: 0.95 },
  success_condition: 'statistically_significant_improvement AND no_regression',
};

const around = (centre: number, count = 10) => Array.from({ length: count }, (_, index) => centre + (index % 5) - 2);

function si003Trace(modifiedTime: number, modifiedCost: number, modifiedCorrectness: number, count = 10): EventSpec[] {
  return [
    measured('execution_time_ms', 'baseline', around(500, count)),
    measured('execution_time_ms', 'modified', around(modifiedTime, count)),
    measured('cost_credits', 'baseline', [50, 50]),
    measured('cost_credits', 'modified', [modifiedCost, modifiedCost]),
    measured('correctness_score', 'baseline', [0.95, 0.95]),
    measured('correctness_score', 'modified', [modifiedCorrectness, modifiedCorrectness]),
  ];
}

test('performance_comparison: relative improvements in the better direction, and against baseline', () => {
  const passing = verdictOf(SI_003, si003Trace(420, 45, 0.96));
  assert.ok(passing.passed, JSON.stringify(passing.checks, null, 1));
  assert.is(
    checkNamed(passing, 'performance_comparison.execution_time_improvement').detail,
    'execution_time_ms: baseline median 500 (n=10), modified median 420 (n=10); improvement 16% (95% interval 15.6313% to 16.3673%) (lower is better), required >= 10% over the whole interval',
  );
  const failing = verdictOf(SI_003, si003Trace(460, 48, 0.9));
  assert.not.ok(failing.passed);
  assert.match(checkNamed(failing, 'performance_comparison.execution_time_improvement').detail, /improvement 8% .* required >= 10% over the whole interval/);
  assert.match(checkNamed(failing, 'performance_comparison.cost_improvement').detail, /improvement 4% /);
  assert.is(
    checkNamed(failing, 'performance_comparison.correctness_maintained').detail,
    'correctness_score: baseline median 0.95 (n=2), modified median 0.9 (n=2); modified − baseline -0.05, required >= baseline over the whole interval',
  );
});

/** Timings of an unchanged program on a busy machine: two trials of the baseline ran while something else took the cores. */
const QUIET = [150, 152, 148, 151, 149, 150, 153, 147, 151, 149];
const TWO_SPIKES = [150, 152, 148, 151, 149, 400, 150, 390, 151, 149];

test('performance_comparison: a few slow trials of one variant (machine noise) make no improvement', () => {
  const trace = [measured('execution_time_ms', 'baseline', TWO_SPIKES), measured('execution_time_ms', 'modified', QUIET)];
  const verdict = verdictOf({ performance_comparison: { execution_time_improvement: '>= 10%' }, success_condition: ALWAYS }, trace);
  const check = checkNamed(verdict, 'performance_comparison.execution_time_improvement');
  // The means would say 24% faster; the medians say the two are the same program.
  assert.not.ok(check.passed, check.detail);
  assert.match(check.detail, /^execution_time_ms: baseline median 150\.5 \(n=10\), modified median 150 \(n=10\); improvement 0\.3322% \(95% interval -?\d/);
});

test('performance_comparison: an improvement inside the noise is not shown; a clear one is', () => {
  const block = { performance_comparison: { execution_time_improvement: '>= 10%' }, success_condition: ALWAYS };
  const judged = (modified: number[]) => checkNamed(verdictOf(block, [measured('execution_time_ms', 'baseline', QUIET), measured('execution_time_ms', 'modified', modified)]), 'performance_comparison.execution_time_improvement');
  // A median 11.7% lower, but four trials in ten no faster than the baseline's: the interval reaches below 10%.
  const within = judged([128, 150, 129, 130, 149, 131, 151, 132, 148, 133]);
  assert.not.ok(within.passed, within.detail);
  assert.match(within.detail, /improvement 11\.6667% \(95% interval -?\d+(\.\d+)?% to/);
  const clear = judged([120, 122, 118, 121, 119, 120, 123, 117, 121, 119]);
  assert.ok(clear.passed, clear.detail);
});

test('performance_comparison: recorded samples give the same verdict, word for word, every time they are judged', () => {
  const trace = [measured('execution_time_ms', 'baseline', TWO_SPIKES), measured('execution_time_ms', 'modified', [140, 171, 133, 150, 162, 128, 155, 149, 137, 166])];
  const block = { performance_comparison: { execution_time_improvement: '>= 1%' }, success_condition: ALWAYS };
  const details = new Set(Array.from({ length: 10 }, () => JSON.stringify(checkNamed(verdictOf(block, trace), 'performance_comparison.execution_time_improvement'))));
  assert.is(details.size, 1);
});

test('performance_comparison: no samples for a variant fails and says which', () => {
  const verdict = verdictOf(SI_003, [measured('execution_time_ms', 'baseline', [1, 2])]);
  assert.is(
    checkNamed(verdict, 'performance_comparison.execution_time_improvement').detail,
    'no performance_measured samples of execution_time_ms for the modified variant',
  );
  assert.is(
    checkNamed(verdict, 'performance_comparison.cost_improvement').detail,
    'no performance_measured samples of cost_credits for the baseline variant',
  );
});

test('statistical_significance: one-sided Welch t-test with enough trials', () => {
  const significant = checkNamed(verdictOf(SI_003, si003Trace(420, 45, 0.96)), 'statistical_significance');
  assert.ok(significant.passed);
  assert.match(significant.detail, /Welch t = -\d+(\.\d+)?, one-sided p = \d\.\d\de-\d+, required p < 0\.05$/);

  const noise = checkNamed(verdictOf(SI_003, si003Trace(499, 45, 0.96)), 'statistical_significance');
  assert.not.ok(noise.passed);
  assert.match(noise.detail, /one-sided p = 0\.\d+, required p < 0\.05$/);

  const slower = checkNamed(verdictOf(SI_003, si003Trace(600, 45, 0.96)), 'statistical_significance');
  assert.not.ok(slower.passed);

  const fewTrials = checkNamed(verdictOf(SI_003, si003Trace(420, 45, 0.96, 9)), 'statistical_significance');
  assert.not.ok(fewTrials.passed);
  assert.match(fewTrials.detail, /expected at least 10 samples per variant$/);
});

const SI_004 = {
  improvement_validation: { metric: 'roi_per_credit_spent', baseline: 0.2, target: '>= 0.4' },
  success_condition: 'roi_improved',
};

test('improvement_validation: the modified mean of the metric against the target', () => {
  const passing = verdictOf(SI_004, [measured('roi_per_credit_spent', 'baseline', [0.2, 0.22]), measured('roi_per_credit_spent', 'modified', [0.4, 0.5])]);
  assert.ok(passing.passed);
  assert.is(
    checkNamed(passing, 'improvement_validation').detail,
    'roi_per_credit_spent: modified mean 0.45 (n=2), required >= 0.4 (measured baseline mean 0.21, declared baseline 0.2)',
  );
  const failing = verdictOf(SI_004, [measured('roi_per_credit_spent', 'modified', [0.3, 0.4])]);
  assert.not.ok(failing.passed);
  assert.match(checkNamed(failing, 'improvement_validation').detail, /modified mean 0\.35 .*no baseline samples measured/);
  const unmeasured = verdictOf(SI_004, []);
  assert.is(checkNamed(unmeasured, 'improvement_validation').detail, 'no performance_measured samples of roi_per_credit_spent for the modified variant');
});

const SI_005 = {
  performance_validation: { weighted_score_improvement: '>= 15%', no_objective_regression: true },
  success_condition: 'improved_overall_score AND balanced_trade_offs',
};
const OBJECTIVES = {
  objectives: {
    minimize_cost: { weight: 0.4, current: 150 },
    minimize_time: { weight: 0.3, current: 800 },
    maximize_quality: { weight: 0.3, current: 0.85 },
  },
};

function objectivesTrace(cost: number, time: number, quality: number): EventSpec[] {
  return [
    measured('minimize_cost', 'baseline', [150]),
    measured('minimize_cost', 'modified', [cost]),
    measured('minimize_time', 'baseline', [800]),
    measured('minimize_time', 'modified', [time]),
    measured('maximize_quality', 'baseline', [0.8]),
    measured('maximize_quality', 'modified', [quality]),
  ];
}

test('performance_validation: the weighted improvement and no objective regressing', () => {
  // 0.4 × 20% + 0.3 × 25% + 0.3 × 0% = 15.5%
  const passing = verdictOf(SI_005, objectivesTrace(120, 600, 0.8), OBJECTIVES);
  assert.ok(passing.passed, JSON.stringify(passing.checks, null, 1));
  assert.is(
    checkNamed(passing, 'performance_validation.weighted_score_improvement').detail,
    'weighted improvement 15.5% (minimize_cost 20% (weight 0.4), minimize_time 25% (weight 0.3), maximize_quality 0% (weight 0.3)), required >= 15%',
  );

  // 0.4 × 40% + 0.3 × 25% + 0.3 × −10% = 20.5%, but quality regressed
  const traded = verdictOf(SI_005, objectivesTrace(90, 600, 0.72), OBJECTIVES);
  assert.ok(checkNamed(traded, 'performance_validation.weighted_score_improvement').passed);
  const regression = checkNamed(traded, 'performance_validation.no_objective_regression');
  assert.not.ok(regression.passed);
  assert.is(regression.detail, 'regressed: maximize_quality -10% (weight 0.3)');
  assert.not.ok(traded.passed);

  const small = verdictOf(SI_005, objectivesTrace(140, 780, 0.81), OBJECTIVES);
  assert.not.ok(checkNamed(small, 'performance_validation.weighted_score_improvement').passed);
});

test('performance_validation: an objective without a direction or without samples fails', () => {
  const undirected = { objectives: { cost: { weight: 1, current: 1 } } };
  const verdict = verdictOf(SI_005, [measured('cost', 'baseline', [1]), measured('cost', 'modified', [1])], undirected);
  assert.is(
    checkNamed(verdict, 'performance_validation.no_objective_regression').detail,
    'objective cost: expected a name starting with minimize_ or maximize_',
  );
  const unmeasured = verdictOf(SI_005, [], OBJECTIVES);
  assert.match(
    checkNamed(unmeasured, 'performance_validation.weighted_score_improvement').detail,
    /^no performance_measured samples of minimize_cost for the baseline variant; /,
  );
});

test.run();
