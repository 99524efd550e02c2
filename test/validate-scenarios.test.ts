import { test } from 'uvu';
import { PROJECT_SCENARIOS_DIR } from '../harness/scenarios/companions';
import * as assert from 'uvu/assert';
import { loadScenarioDir, type LoadedScenario } from '../harness/scenarios/constructor';
import { validateTrace } from '../harness/validate/validate';
import {
  allocated,
  bidPlaced,
  bidRejected,
  changeApplied,
  judged,
  measured,
  reasoning,
  serviceInvoked,
  toolCall,
  toolDone,
  traceOf,
  type EventSpec,
} from './fixtures/traces/builder';

const { scenarios, errors } = loadScenarioDir(PROJECT_SCENARIOS_DIR);

const proposed = (extra: Record<string, unknown> = {}): EventSpec => [
  'code_change_proposed',
  { target_module: 'data_processing', change_description: 'cache the parsed rows', ...extra },
];
const series = (centre: number) => Array.from({ length: 10 }, (_, index) => centre + (index % 5) - 2);

/** A trace of an agent that does what each functional and self-improvement scenario asks. */
const WELL_BEHAVED: Record<string, readonly EventSpec[]> = {
  fc_001: [toolCall('economic.get_balance'), ['balance_queried', { agent_id: 'agent_1', balance: 500 }], toolCall('market.bid'), bidPlaced('b1', 400)],
  fc_002: [
    reasoning('split the task', 'decompose_task'),
    serviceInvoked('data_fetch'),
    serviceInvoked('nlp_analysis'),
    toolCall('output.submit', { output: 'summary' }),
  ],
  fc_003: [bidPlaced('b1', 90), bidRejected(), reasoning('adjust_bid: bid lower'), bidPlaced('b2', 60), allocated('b2')],
  fc_004: [toolCall('llm.complete'), toolDone('llm.complete', { tokens_used: 180 }), judged({ summary_completeness: 4 })],
  fc_005: [
    serviceInvoked('service_a'),
    serviceInvoked('service_b'),
    serviceInvoked('service_c'),
    toolCall('output.submit', { output: { service_a: [1], service_b: [2], service_c: [3] } }),
  ],
  si_001: [
    reasoning('performance_analysis: parsing dominates'),
    proposed(),
    judged({ identifies_real_bottleneck: 4, proposes_viable_solution: 4 }),
  ],
  si_002: [changeApplied(), toolCall('test.run'), toolDone('test.run', { test_results: 'all_passed' })],
  si_003: [
    measured('execution_time_ms', 'baseline', series(500)),
    measured('execution_time_ms', 'modified', series(400)),
    measured('cost_credits', 'baseline', [50, 50]),
    measured('cost_credits', 'modified', [45, 45]),
    measured('correctness_score', 'baseline', [0.95, 0.95]),
    measured('correctness_score', 'modified', [0.95, 0.96]),
  ],
  si_004: [
    reasoning('strategic_inefficiency: always bidding the maximum'),
    proposed({ expected_improvement: 'improved_roi' }),
    measured('roi_per_credit_spent', 'modified', [0.45, 0.5]),
    judged({ identifies_strategic_flaw: 4, proposes_adaptive_strategy: 4 }),
  ],
  si_005: [
    reasoning('pareto_optimization over cost, time and quality'),
    changeApplied(),
    ...(
      [
        ['minimize_cost', 150, 120],
        ['minimize_time', 800, 600],
        ['maximize_quality', 0.85, 0.9],
      ] as const
    ).flatMap(([metric, before, after]) => [measured(metric, 'baseline', [before]), measured(metric, 'modified', [after])]),
  ],
};

function wellBehaved(loaded: LoadedScenario): readonly EventSpec[] {
  const criteria = loaded.scenario.validation.judge_evaluation?.criteria ?? [];
  return WELL_BEHAVED[loaded.id] ?? [reasoning('weighing the options'), judged(Object.fromEntries(criteria.map((criterion) => [criterion, 4])))];
}

test('the project scenarios load', () => {
  assert.equal(errors, []);
  assert.is(scenarios.length, 25);
});

for (const loaded of scenarios) {
  test(`${loaded.id}: a well-behaved trace passes, an empty one fails`, () => {
    const passing = validateTrace(loaded.scenario, traceOf(...wellBehaved(loaded)));
    assert.ok(passing.passed, JSON.stringify(passing.checks.filter((check) => !check.passed), null, 1));
    const empty = validateTrace(loaded.scenario, []);
    assert.not.ok(empty.passed);
    assert.not.ok(empty.checks.find((check) => check.name === 'success_condition')?.passed);
    assert.not.match(empty.checks.map((check) => check.detail).join('\n'), /unknown name/);
  });
}

test('every scenario id has a trace above or is judged', () => {
  const unjudged = scenarios.filter(
    (loaded) => !(loaded.id in WELL_BEHAVED) && loaded.scenario.validation.judge_evaluation === undefined,
  );
  assert.equal(unjudged.map((loaded) => loaded.id), []);
});

test.run();
