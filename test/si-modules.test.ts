import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWith, formatIssue } from '../domain/codec/decode';
import { mean } from '../domain/benchmark/statistics';
import type { Scenario } from '../domain/benchmark/scenario';
import { Script } from '../harness/scenarios/scripts';
import type { CodeWorkspace } from '../machines/world/config';
import { PROJECT_SCENARIOS_DIR, scriptFileOf } from '../harness/scenarios/companions';
import { loadScenarioFile } from '../harness/scenarios/constructor';
import { workspaceSpecOf } from '../harness/self-improvement/manifest';
import type { Measurement, PerformanceRecord } from '../harness/self-improvement/measurement';
import { createCodeWorkspace, type SelfImprovementWorkspace } from '../harness/self-improvement/workspace';

/**
 * The self-improvement scenarios' real modules, suites and workloads, driven by the code actions of
 * their scripts. Timings are never asserted here (they are measured by the replay); what is asserted is
 * deterministic: which patches apply, which tests pass, correctness, quality and return on credits.
 */

const IDS = ['si_001', 'si_002', 'si_003', 'si_004', 'si_005'] as const;
type Id = (typeof IDS)[number];
const KINDS = ['reference', 'counter'] as const;
type Kind = (typeof KINDS)[number];

function scenarioOf(id: Id): Scenario {
  const loaded = loadScenarioFile(join(PROJECT_SCENARIOS_DIR, 'self_improvement', `${id}.json`));
  if (isLeft(loaded)) throw new Error(`${id} does not load`);
  return loaded.right.scenario;
}

function scriptOf(id: Id, kind: Kind): Script {
  const file = scriptFileOf({ domain: 'self_improvement', id }, kind);
  const decoded = decodeWith(Script, JSON.parse(readFileSync(file, 'utf8')));
  if (isLeft(decoded)) throw new Error(`${file}: ${decoded.left.map(formatIssue).join('; ')}`);
  return decoded.right;
}

/** A scenario that asks for fewer trials, so that measuring the timed workloads stays short. */
function withTrials(scenario: Scenario, num_trials: number): Scenario {
  return { ...scenario, validation: { ...scenario.validation, statistical_significance: { num_trials, confidence_level: 0.95 } } };
}

function open(scenario: Scenario): SelfImprovementWorkspace {
  const workspace = createCodeWorkspace(scenario);
  if (isLeft(workspace)) throw new Error(workspace.left.join('\n'));
  return workspace.right;
}

interface CodeOutcome {
  readonly tool_name: string;
  readonly outcome: Either<string, unknown>;
}

/** Performs the script's code.propose, code.apply and test.run calls, in order, on the workspace. */
function playCodeActions(workspace: SelfImprovementWorkspace, script: Script): CodeOutcome[] {
  const agent_id = 'agent_under_test';
  return script.turns.flatMap((turn) =>
    turn.actions.flatMap((action): CodeOutcome[] => {
      if (action.kind !== 'tool') return [];
      // The engine decodes these arguments (machines/tools/code.ts); here a wrong one fails the workspace call.
      const args = { agent_id, ...action.arguments };
      switch (action.tool_name) {
        case 'code.propose':
          return [{ tool_name: action.tool_name, outcome: workspace.propose(args as Parameters<CodeWorkspace['propose']>[0]) }];
        case 'code.apply':
          return [{ tool_name: action.tool_name, outcome: workspace.apply(args as Parameters<CodeWorkspace['apply']>[0]) }];
        case 'test.run':
          return [{ tool_name: action.tool_name, outcome: workspace.runTests(args as Parameters<CodeWorkspace['runTests']>[0]) }];
        default:
          return [];
      }
    }),
  );
}

interface Played {
  readonly outcomes: readonly CodeOutcome[];
  readonly measurement: Measurement;
}

const played = new Map<string, Played>();

/**
 * The script's code actions performed on a fresh workspace, then the measurement (with few trials, to
 * keep the timed workloads short); once per script, shared by the tests below.
 */
function afterScript(id: Id, kind: Kind): Played {
  const key = `${id}.${kind}`;
  const known = played.get(key);
  if (known !== undefined) return known;
  const workspace = open(withTrials(scenarioOf(id), 3));
  try {
    const result = { outcomes: playCodeActions(workspace, scriptOf(id, kind)), measurement: workspace.measure() };
    played.set(key, result);
    return result;
  } finally {
    workspace.dispose();
  }
}

function samples(records: readonly PerformanceRecord[], metric: string, variant: 'baseline' | 'modified'): number[] {
  return records.find((record) => record.metric === metric && record.variant === variant)?.samples ?? [];
}

const testRuns = (outcomes: readonly CodeOutcome[]) => outcomes.filter(({ tool_name }) => tool_name === 'test.run').map(({ outcome }) => outcome);

test('every self-improvement scenario finds its workspace by id, and its manifest is sound', () => {
  for (const id of IDS) {
    const spec = workspaceSpecOf({ domain: 'self_improvement', id });
    assert.ok(!isLeft(spec), `${id}: ${isLeft(spec) ? spec.left.join('; ') : ''}`);
  }
});

test('each baseline module passes its own suite', () => {
  for (const id of ['si_001', 'si_004', 'si_005'] as const) {
    const workspace = open(scenarioOf(id));
    try {
      assert.equal(workspace.runTests({ agent_id: 'agent_under_test' }), { _tag: 'Right', right: { test_results: 'all_passed', failed_tests: [] } }, id);
    } finally {
      workspace.dispose();
    }
  }
});

test('each script decodes, names its scenario, and a counter names the checks it must fail', () => {
  for (const id of IDS) {
    for (const kind of KINDS) {
      const script = scriptOf(id, kind);
      assert.is(script.scenario_id, id);
      assert.is(script.kind, kind);
      assert.is((script.expected_failures ?? []).length > 0, kind === 'counter', `${id} ${kind}: expected_failures`);
    }
  }
});

function proposedDiffs(id: Id, kind: Kind): unknown[] {
  return scriptOf(id, kind).turns.flatMap((turn) =>
    turn.actions.flatMap((action) => (action.kind === 'tool' && action.tool_name === 'code.propose' ? [action.arguments?.diff] : [])),
  );
}

test('si_002 and si_003 apply the fix si_001 proposes ({{from_si_001}}, {{from_si_002}}), each script self-contained', () => {
  const fix = proposedDiffs('si_001', 'reference');
  assert.is(fix.length, 1);
  assert.equal(proposedDiffs('si_002', 'reference'), fix);
  assert.equal(proposedDiffs('si_003', 'reference'), fix);
  assert.not.equal(proposedDiffs('si_003', 'counter'), fix);
});

test('every change a script proposes is accepted and applies to the module', () => {
  for (const id of IDS) {
    for (const kind of KINDS) {
      const changes = afterScript(id, kind).outcomes.filter(({ tool_name }) => tool_name !== 'test.run');
      assert.ok(changes.length > 0, `${id} ${kind} proposes nothing`);
      for (const { tool_name, outcome } of changes) assert.ok(!isLeft(outcome), `${id} ${kind} ${tool_name}: ${isLeft(outcome) ? outcome.left : ''}`);
    }
  }
});

test('si_002: the reference change keeps the suite green; the counter change breaks correctness and edge cases', () => {
  assert.equal(testRuns(afterScript('si_002', 'reference').outcomes), [{ _tag: 'Right', right: { test_results: 'all_passed', failed_tests: [] } }]);
  assert.equal(testRuns(afterScript('si_002', 'counter').outcomes), [
    { _tag: 'Right', right: { test_results: 'some_failed', failed_tests: ['test_correctness', 'test_edge_cases'] } },
  ]);
});

test('si_003: both changes keep the report correct; every metric is measured for both variants', () => {
  for (const kind of KINDS) {
    const { outcomes, measurement } = afterScript('si_003', kind);
    assert.equal(testRuns(outcomes), [{ _tag: 'Right', right: { test_results: 'all_passed', failed_tests: [] } }], kind);
    assert.equal(measurement.failures, []);
    assert.equal(
      measurement.records.map(({ metric, variant, samples: measured }) => `${metric}/${variant}/${measured.length}`),
      ['execution_time_ms', 'cost_credits', 'correctness_score'].flatMap((metric) => [`${metric}/baseline/3`, `${metric}/modified/3`]),
    );
    assert.equal(samples(measurement.records, 'correctness_score', 'modified'), [1, 1, 1], kind);
  }
});

test('si_004: the adaptive strategy returns 0.5 credits per credit spent, the lower fixed bid only 80/450', () => {
  const reference = afterScript('si_004', 'reference').measurement;
  assert.equal(samples(reference.records, 'roi_per_credit_spent', 'baseline'), [80 / 600]);
  assert.equal(samples(reference.records, 'roi_per_credit_spent', 'modified'), [0.5]);
  const counter = afterScript('si_004', 'counter').measurement;
  assert.equal(samples(counter.records, 'roi_per_credit_spent', 'modified'), [80 / 450]);
});

test('si_005: the cascade loses no quality on any trial; the quick-only pipeline loses quality', () => {
  const reference = afterScript('si_005', 'reference').measurement.records;
  const baselineQuality = samples(reference, 'maximize_quality', 'baseline');
  const cascadeQuality = samples(reference, 'maximize_quality', 'modified');
  assert.is(cascadeQuality.length, 3);
  cascadeQuality.forEach((quality, trial) => assert.ok(quality >= baselineQuality[trial]!, `trial ${trial}: ${quality} < ${baselineQuality[trial]}`));
  const quickQuality = samples(afterScript('si_005', 'counter').measurement.records, 'maximize_quality', 'modified');
  assert.ok(mean(quickQuality) < mean(baselineQuality), `quick-only quality ${mean(quickQuality)} is not below ${mean(baselineQuality)}`);
});

test.run();
