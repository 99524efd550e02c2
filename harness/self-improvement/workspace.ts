import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StructuredPatch } from 'diff';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Prices } from '../../domain/economy/pricing';
import { scenarioId, type Scenario } from '../../domain/benchmark/scenario';
import type { CodeWorkspace } from '../../machines';
import { workspaceSpecOf, type ModuleFiles, type WorkspaceSpec } from './manifest';
import { measurePerformance, type Measurement } from './measurement';
import { applyModulePatch, parseModulePatch } from './patch';
import { DEFAULT_SANDBOX_LIMITS, runSandboxed, type SandboxLimits } from './sandbox';

/**
 * The code workspace of one self-improvement run (the engine's `CodeWorkspace`): a fresh temporary
 * folder holding a copy of each module of the scenario's workspace. Proposals are checked and numbered
 * (`change-1`, `change-2`, … in proposal order); applying one patches the copy; tests run in the sandbox
 * against the copies. The scenario's own files stay untouched: they are the baseline the measurement
 * compares the copies with. `dispose()` removes the folder at the end of the run.
 */

export interface WorkspaceOptions {
  /** The scenarios root whose `<domain>/<id>.workspace/` holds the workspace; the project's by default. */
  readonly root?: string;
  readonly test_limits?: SandboxLimits;
  readonly measurement_limits?: SandboxLimits;
}

/** One test's result; `reason` says why a failed test failed. */
export const TestResult = t.intersection([t.type({ name: t.string, passed: t.boolean }), t.partial({ reason: t.string })], 'TestResult');
export type TestResult = t.TypeOf<typeof TestResult>;

export interface SelfImprovementWorkspace extends CodeWorkspace {
  /** The temporary folder holding the run's copies of the modules. */
  readonly folder: string;
  /** Each test's result with its reason: what `runTests` reports, in full. */
  runSuite(tests?: readonly string[]): Either<string, TestResult[]>;
  /** Baseline against the current modules (the baseline again when no change was applied); no records when the manifest plans no measurement. */
  measure(prices?: Prices): Measurement;
  dispose(): void;
}

interface Change {
  readonly target_module: string;
  /** Absent when the proposal came without a diff. */
  readonly patch: StructuredPatch | undefined;
  readonly applied: boolean;
}

const SUITE_RUNNER = fileURLToPath(new URL('./suite-runner.mjs', import.meta.url));

const SuiteReport = t.union([
  t.type({ kind: t.literal('ran'), results: t.array(TestResult) }),
  t.type({ kind: t.literal('unknown_tests'), unknown: t.array(t.string), known: t.array(t.string) }),
]);

function listed(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

function openWorkspace(scenario: Scenario, spec: WorkspaceSpec, options: WorkspaceOptions): SelfImprovementWorkspace {
  const folder = mkdtempSync(join(tmpdir(), `${scenarioId(scenario)}-workspace-`));
  const current: ModuleFiles = Object.fromEntries(
    Object.entries(spec.modules).map(([name, baseline]) => {
      const copy = join(folder, basename(baseline));
      copyFileSync(baseline, copy);
      return [name, copy];
    }),
  );
  const changes = new Map<string, Change>();

  const runSuite = (tests?: readonly string[]): Either<string, TestResult[]> => {
    const report = runSandboxed(
      {
        file: SUITE_RUNNER,
        export: 'runSuite',
        argument: { suite: spec.tests, modules: current, ...(tests === undefined ? {} : { tests }) },
        readable: [spec.tests, ...Object.values(current)],
      },
      SuiteReport,
      options.test_limits ?? DEFAULT_SANDBOX_LIMITS,
    );
    if (isLeft(report)) return left(`test run failed: ${report.left}`);
    if (report.right.kind === 'unknown_tests') {
      return left(`unknown test(s) ${listed(report.right.unknown)}; the suite has ${listed(report.right.known)}`);
    }
    return right(report.right.results);
  };

  return {
    folder,
    propose({ target_module, diff }) {
      const file = current[target_module];
      if (file === undefined) return left(`unknown module ${JSON.stringify(target_module)}; the workspace has ${listed(Object.keys(current))}`);
      const patch = diff === undefined ? right(undefined) : parseModulePatch(diff, basename(file));
      if (isLeft(patch)) return patch;
      const change_id = `change-${changes.size + 1}`;
      changes.set(change_id, { target_module, patch: patch.right, applied: false });
      return right({ change_id });
    },
    apply({ change_id }) {
      const change = changes.get(change_id);
      if (change === undefined) return left(`unknown change ${JSON.stringify(change_id)}; proposed: ${listed([...changes.keys()])}`);
      if (change.applied) return left(`${change_id} is already applied`);
      if (change.patch === undefined) return left(`${change_id} has no diff to apply`);
      const file = current[change.target_module]!;
      const patched = applyModulePatch(readFileSync(file, 'utf8'), change.patch, basename(file));
      if (isLeft(patched)) return patched;
      writeFileSync(file, patched.right);
      changes.set(change_id, { ...change, applied: true });
      return right({ target_module: change.target_module });
    },
    runTests({ tests }) {
      const results = runSuite(tests);
      if (isLeft(results)) return results;
      const failed_tests = results.right.filter((result) => !result.passed).map((result) => result.name);
      return right({ test_results: failed_tests.length === 0 ? 'all_passed' : 'some_failed', failed_tests });
    },
    runSuite,
    measure(prices) {
      if (spec.measurement === undefined) return { records: [], failures: [] };
      return measurePerformance({
        spec: spec.measurement,
        baseline: spec.modules,
        modified: current,
        scenario,
        ...(prices === undefined ? {} : { prices }),
        ...(options.measurement_limits === undefined ? {} : { limits: options.measurement_limits }),
      });
    },
    dispose() {
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The workspace of `scenario`'s run, found by its id; Left with every problem of its manifest. */
export function createCodeWorkspace(scenario: Scenario, options: WorkspaceOptions = {}): Either<string[], SelfImprovementWorkspace> {
  const spec = workspaceSpecOf({ domain: scenario.domain, id: scenarioId(scenario) }, options.root);
  return isLeft(spec) ? spec : right(openWorkspace(scenario, spec.right, options));
}
