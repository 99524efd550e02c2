import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWith } from '../domain/codec/decode';
import { Scenario } from '../domain/benchmark/scenario';
import { DEFAULT_PRICES } from '../machines/world/config';
import { creditsFor } from '../harness/self-improvement/cost-model';
import type { MeasurementSpec } from '../harness/self-improvement/manifest';
import { DEFAULT_TRIALS, measurePerformance, trialsFor, type MeasurementRequest } from '../harness/self-improvement/measurement';
import { sandboxIsolation } from '../harness/self-improvement/sandbox';
import { createCodeWorkspace } from '../harness/self-improvement/workspace';

const root = mkdtempSync(join(tmpdir(), 'measurement-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

const SUM = file('sum.mjs', 'export function total(values) { return values.reduce((sum, value) => sum + value, 0); }\n');
const SUM_THROWS = file('sum-throws.mjs', 'export function total() { throw new Error("broken"); }\n');
const SUM_LOOPS = file('sum-loops.mjs', 'export function total() { while (true) {} }\n');
/** The score is the module's answer itself, so equal scores mean equal inputs; each value is billed 1,000 tokens. */
const WORKLOAD = file(
  'workload.mjs',
  `export function prepare({ random, context }) {
  return Array.from({ length: 5 }, () => Math.floor(random() * 100) * context.factor);
}
export function execute({ sum }, values) { return sum.total(values); }
export function assess(values, total) { return { score: total, tokens: values.length * 1000 }; }
`,
);

function scenario(validation: Record<string, unknown> = {}, initial_state: Record<string, unknown> = { factor: 1 }): Scenario {
  const decoded = decodeWith(Scenario, {
    task_id: 'm_001',
    domain: 'self_improvement',
    description: 'a fixture',
    initial_state: { agent_balance: 100, ...initial_state },
    validation: { success_condition: 'no_regression', ...validation },
  });
  if (isLeft(decoded)) throw new Error('the fixture scenario does not decode');
  return decoded.right;
}

const SPEC: MeasurementSpec = {
  target_module: 'sum',
  workload: WORKLOAD,
  metrics: { elapsed: 'time_ms', spent: 'cost_credits', answer: 'score' },
  trials: 4,
  context: ['factor'],
};

function measure(overrides: Partial<MeasurementRequest> = {}) {
  return measurePerformance({ spec: SPEC, baseline: { sum: SUM }, modified: { sum: SUM }, scenario: scenario(), ...overrides });
}

test('the cost model bills cpu-seconds and tokens as capacity-seconds at the given prices', () => {
  assert.is(creditsFor({ cpu_seconds: 1, tokens: 0 }, DEFAULT_PRICES), 0.1);
  assert.is(creditsFor({ cpu_seconds: 0, tokens: 1_000_000 }, DEFAULT_PRICES), 1);
  assert.is(creditsFor({ cpu_seconds: 2, tokens: 500_000 }, { ...DEFAULT_PRICES, cpu: 3, tokens: 4 }), 0.6 + 2);
});

test('the number of trials: the manifest’s, else the scenario’s num_trials, else the default', () => {
  const significance = { statistical_significance: { num_trials: 7, confidence_level: 0.95 } };
  assert.is(trialsFor(SPEC, scenario(significance)), 4);
  const { trials: _, ...unfixed } = SPEC;
  assert.is(trialsFor(unfixed, scenario(significance)), 7);
  assert.is(trialsFor(unfixed, scenario()), DEFAULT_TRIALS);
});

test('one record per metric and variant, baseline first, each with one sample per trial of the same inputs', () => {
  const { records, failures } = measure();
  assert.equal(failures, []);
  assert.equal(
    records.map(({ target_module, variant, metric, samples }) => [target_module, metric, variant, samples.length]),
    [
      ['sum', 'elapsed', 'baseline', 4],
      ['sum', 'elapsed', 'modified', 4],
      ['sum', 'spent', 'baseline', 4],
      ['sum', 'spent', 'modified', 4],
      ['sum', 'answer', 'baseline', 4],
      ['sum', 'answer', 'modified', 4],
    ],
  );
  const [baselineAnswers, modifiedAnswers] = records.filter((record) => record.metric === 'answer').map((record) => record.samples);
  assert.equal(baselineAnswers, modifiedAnswers);
  assert.ok(new Set(baselineAnswers).size > 1, `every trial got the same input: ${baselineAnswers}`);
});

test('cost is billed from the tokens the workload reports and the cpu time used, at the prices given', () => {
  const tokensOnly = { ...DEFAULT_PRICES, cpu: 0, tokens: 2 };
  const spent = measure({ prices: tokensOnly }).records.filter((record) => record.metric === 'spent');
  assert.equal(spent.map((record) => record.samples), [Array(4).fill(5_000 * 2 / 1_000_000), Array(4).fill(5_000 * 2 / 1_000_000)]);
});

test('the workload receives the initial_state fields the manifest names, and their absence is a failure', () => {
  const answers = (factor: number) =>
    measure({ scenario: scenario({}, { factor }) }).records.find((record) => record.metric === 'answer')?.samples ?? [];
  assert.equal(answers(10), answers(1).map((answer) => answer * 10));
  const missing = measure({ scenario: scenario({}, {}) });
  assert.equal(missing, {
    records: [],
    failures: ['measurement of sum: $.initial_state.factor: expected a value for the workload, got nothing'],
  });
});

test('a variant that throws is reported and measured no further; the other variant is still measured', () => {
  const { records, failures } = measure({ modified: { sum: SUM_THROWS } });
  assert.equal(failures, ['modified variant of sum: trial 0: Error: broken']);
  assert.equal(records.map((record) => record.variant), ['baseline', 'baseline', 'baseline']);
});

test('a variant that loops forever ends the measurement as a failure with the reason', () => {
  const { records, failures } = measure({ modified: { sum: SUM_LOOPS }, limits: { time_limit_ms: 500, memory_limit_mb: 64 } });
  assert.equal(records, []);
  assert.equal(failures, ['measurement of sum: timeout after 500 ms']);
});

test('a workspace where no change was applied measures the baseline as the modified variant', () => {
  const folder = join(root, 'self_improvement', 'm_001.workspace');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'sum.mjs'), 'export function total(values) { return values.length; }\n');
  writeFileSync(join(folder, 'tests.mjs'), 'export const tests = {};\n');
  const manifest = { modules: { sum: 'sum.mjs' }, tests: 'tests.mjs', measurement: { target_module: 'sum', workload: WORKLOAD, metrics: { answer: 'score' }, trials: 2, context: ['factor'] } };
  writeFileSync(join(folder, 'workspace.json'), JSON.stringify(manifest));
  const workspace = createCodeWorkspace(scenario(), { root });
  if (isLeft(workspace)) throw new Error(workspace.left.join('\n'));
  try {
    assert.equal(workspace.right.measure(), {
      records: [
        { target_module: 'sum', variant: 'baseline', metric: 'answer', samples: [5, 5], isolation: sandboxIsolation() },
        { target_module: 'sum', variant: 'modified', metric: 'answer', samples: [5, 5], isolation: sandboxIsolation() },
      ],
      failures: [],
    });
  } finally {
    workspace.right.dispose();
  }
});

test.run();
