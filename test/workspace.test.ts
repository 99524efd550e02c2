import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rightOf } from './fixtures/either';
import { decodeWith } from '../domain/codec/decode';
import { Scenario } from '../domain/benchmark/scenario';
import type { SandboxLimits } from '../harness/self-improvement/sandbox';
import { createCodeWorkspace, type SelfImprovementWorkspace } from '../harness/self-improvement/workspace';

const root = mkdtempSync(join(tmpdir(), 'workspace-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const COUNTER = 'export function next(n) {\n  return n + 1;\n}\n';
const TESTS = `import assert from 'node:assert/strict';
export const tests = {
  test_increments: ({ counter }) => assert.equal(counter.next(1), 2),
  test_from_zero: ({ counter }) => assert.equal(counter.next(0), 1),
};
`;
const MANIFEST = { modules: { counter: 'counter.mjs' }, tests: 'tests.mjs' };

function scenarioNamed(id: string): Scenario {
  const decoded = decodeWith(Scenario, {
    task_id: id,
    domain: 'self_improvement',
    description: 'a fixture',
    initial_state: { agent_balance: 100 },
    validation: { success_condition: 'change_applied' },
  });
  if (isLeft(decoded)) throw new Error('the fixture scenario does not decode');
  return decoded.right;
}

/** A scenario whose workspace folder holds `files` (name → text; objects are written as JSON). */
function scenarioWith(id: string, files: Record<string, unknown>): Scenario {
  const folder = join(root, 'self_improvement', `${id}.workspace`);
  mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(folder, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return scenarioNamed(id);
}

const TEST_LIMITS: SandboxLimits = { time_limit_ms: 5_000, memory_limit_mb: 64 };
const FIXTURE_FILES = { 'workspace.json': MANIFEST, 'counter.mjs': COUNTER, 'tests.mjs': TESTS };

function open(id: string, test_limits = TEST_LIMITS) {
  const workspace = createCodeWorkspace(scenarioWith(id, FIXTURE_FILES), { root, test_limits });
  if (isLeft(workspace)) throw new Error(workspace.left.join('\n'));
  return workspace.right;
}

/** Runs `body` on a fresh workspace of the fixture module, disposing of it afterwards. */
function withWorkspace(id: string, body: (workspace: SelfImprovementWorkspace) => void, test_limits = TEST_LIMITS): void {
  const workspace = open(id, test_limits);
  try {
    body(workspace);
  } finally {
    workspace.dispose();
  }
}

function failureOf<A>(result: Either<string, A>): string {
  if (!isLeft(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`);
  return result.left;
}

const successOf = <A>(result: Either<string, A>): A => rightOf(result);

function counterDiff(changed: string, file = 'counter.mjs'): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, COUNTER, changed);
}

const AGENT = 'agent_1';
const propose = (workspace: SelfImprovementWorkspace, diff?: string, target_module = 'counter') =>
  workspace.propose({ agent_id: AGENT, target_module, change_description: 'a change', ...(diff === undefined ? {} : { diff }) });

/** Proposes and applies a change that turns the fixture module into `changed`. */
function applyChange(workspace: SelfImprovementWorkspace, changed: string): void {
  const proposed = successOf(propose(workspace, counterDiff(changed)));
  successOf(workspace.apply({ agent_id: AGENT, change_id: proposed.change_id }));
}

test('a scenario without a workspace folder is refused with the path expected', () => {
  const result = createCodeWorkspace(scenarioNamed('ws_missing'), { root });
  assert.ok(isLeft(result));
  assert.match(String(result.left), /scenario ws_missing has no self-improvement workspace: expected .*ws_missing\.workspace\/workspace\.json/);
});

test('every problem of a manifest is reported with its file and JSON path', () => {
  const unknownKey = createCodeWorkspace(scenarioWith('ws_bad_key', { 'workspace.json': { ...MANIFEST, module: {} } }), { root });
  assert.ok(isLeft(unknownKey));
  assert.match(unknownKey.left.join('\n'), /ws_bad_key\.workspace\/workspace\.json: \$\.module/);
  const manifest = {
    modules: { counter: 'counter.mjs', copy: 'other/counter.mjs' },
    tests: 'missing-tests.mjs',
    measurement: { target_module: 'nothing', workload: 'counter.mjs', metrics: {} },
  };
  const problems = createCodeWorkspace(scenarioWith('ws_bad_paths', { 'workspace.json': manifest, 'counter.mjs': COUNTER }), { root });
  assert.ok(isLeft(problems));
  const text = problems.left.join('\n');
  assert.match(text, /\$\.modules\.copy: no such file .*other\/counter\.mjs/);
  assert.match(text, /\$\.modules: expected distinct file names, got counter\.mjs twice/);
  assert.match(text, /\$\.tests: no such file .*missing-tests\.mjs/);
  assert.match(text, /\$\.measurement\.target_module: expected one of counter, copy, got "nothing"/);
});

test('changes are numbered in proposal order; a proposal must name a module and carry a diff for it', () => {
  withWorkspace('ws_propose', (workspace) => {
    assert.equal(propose(workspace, counterDiff(COUNTER.replace('+ 1', '+ 2'))), { _tag: 'Right', right: { change_id: 'change-1' } });
    assert.equal(propose(workspace), { _tag: 'Right', right: { change_id: 'change-2' } });
    assert.is(failureOf(propose(workspace, undefined, 'parser')), 'unknown module "parser"; the workspace has counter');
    assert.is(failureOf(propose(workspace, 'just some words')), 'the diff has no hunks (expected a unified diff with @@ … @@ hunks)');
    assert.match(failureOf(propose(workspace, '--- a/counter.mjs\n+++ b/counter.mjs\n@@ -1,2 +1,2 @@\n-x\n')), /^the diff does not parse: /);
    assert.is(failureOf(propose(workspace, counterDiff('', 'tests.mjs'))), 'the diff patches tests.mjs, expected counter.mjs');
    assert.equal(propose(workspace, counterDiff('x', 'counter.mjs').replace(/a\/|b\//g, '')), { _tag: 'Right', right: { change_id: 'change-3' } });
  });
});

test('applying a change patches the run copy, never the scenario baseline', () => {
  withWorkspace('ws_apply', (workspace) => {
    const changed = COUNTER.replace('n + 1', '1 + n');
    propose(workspace, counterDiff(changed));
    assert.equal(workspace.apply({ agent_id: AGENT, change_id: 'change-1' }), { _tag: 'Right', right: { target_module: 'counter' } });
    assert.is(readFileSync(join(workspace.folder, 'counter.mjs'), 'utf8'), changed);
    assert.is(readFileSync(join(root, 'self_improvement', 'ws_apply.workspace', 'counter.mjs'), 'utf8'), COUNTER);
    assert.is(failureOf(workspace.apply({ agent_id: AGENT, change_id: 'change-1' })), 'change-1 is already applied');
  });
});

test('a change that cannot be applied is a failure with the reason', () => {
  withWorkspace('ws_apply_fails', (workspace) => {
    propose(workspace);
    propose(workspace, createTwoFilesPatch('a/counter.mjs', 'b/counter.mjs', 'export const other = 1;\n', 'export const other = 2;\n'));
    assert.is(failureOf(workspace.apply({ agent_id: AGENT, change_id: 'change-9' })), 'unknown change "change-9"; proposed: change-1, change-2');
    assert.is(failureOf(workspace.apply({ agent_id: AGENT, change_id: 'change-1' })), 'change-1 has no diff to apply');
    assert.is(
      failureOf(workspace.apply({ agent_id: AGENT, change_id: 'change-2' })),
      'the diff does not apply to the current counter.mjs: hunk 1 (@@ -1,1 +1,1 @@) does not match its text (context or removed lines differ)',
    );
    assert.is(readFileSync(join(workspace.folder, 'counter.mjs'), 'utf8'), COUNTER);
  });
});

test('tests run against the current module: all passed, or the names of those that failed', () => {
  withWorkspace('ws_tests', (workspace) => {
    assert.equal(workspace.runTests({ agent_id: AGENT }), { _tag: 'Right', right: { test_results: 'all_passed', failed_tests: [] } });
    applyChange(workspace, 'export function next(n) {\n  return n === 0 ? 1 : n;\n}\n');
    assert.equal(workspace.runTests({ agent_id: AGENT }), {
      _tag: 'Right',
      right: { test_results: 'some_failed', failed_tests: ['test_increments'] },
    });
    assert.equal(workspace.runTests({ agent_id: AGENT, tests: ['test_from_zero'] }), {
      _tag: 'Right',
      right: { test_results: 'all_passed', failed_tests: [] },
    });
    const [increments] = successOf(workspace.runSuite());
    assert.match(increments?.reason ?? '', /^AssertionError/);
    assert.is(
      failureOf(workspace.runTests({ agent_id: AGENT, tests: ['test_speed'] })),
      'unknown test(s) test_speed; the suite has test_increments, test_from_zero',
    );
  });
});

test('a module that no longer loads fails every test with the reason', () => {
  withWorkspace('ws_syntax', (workspace) => {
    applyChange(workspace, 'export function next(n) {\n  return n +;\n}\n');
    const suite = successOf(workspace.runSuite());
    assert.equal(suite.map(({ name, passed }) => ({ name, passed })), [
      { name: 'test_increments', passed: false },
      { name: 'test_from_zero', passed: false },
    ]);
    assert.match(suite[0]?.reason ?? '', /^the modules do not load: SyntaxError/);
  });
});

test('a module that loops forever makes the test run a failed execution at the time limit, and the workspace goes on', () => {
  withWorkspace('ws_loop', (workspace) => {
    applyChange(workspace, 'export function next(n) {\n  while (true) {}\n}\n');
    assert.is(failureOf(workspace.runTests({ agent_id: AGENT })), 'test run failed: timeout after 500 ms');
    assert.equal(propose(workspace), { _tag: 'Right', right: { change_id: 'change-2' } });
  }, { time_limit_ms: 500, memory_limit_mb: 64 });
});

test('a module that allocates without bound makes the test run a failed execution at the memory limit', () => {
  withWorkspace('ws_hoard', (workspace) => {
    applyChange(workspace, 'export function next(n) {\n  const hoard = [];\n  while (true) hoard.push(new Array(100_000).fill(n));\n}\n');
    assert.is(failureOf(workspace.runTests({ agent_id: AGENT })), 'test run failed: memory limit of 64 MB exceeded');
  });
});

test('dispose removes the run folder', () => {
  const workspace = open('ws_dispose');
  assert.ok(existsSync(join(workspace.folder, 'counter.mjs')));
  workspace.dispose();
  assert.not.ok(existsSync(workspace.folder));
});

test('a workspace without a measurement plan measures nothing', () => {
  withWorkspace('ws_no_measurement', (workspace) => {
    assert.equal(workspace.measure(), { records: [], failures: [] });
  });
});

test.run();
