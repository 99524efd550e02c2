import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import { NO_USAGE } from '../harness/agents';
import { readRunLog, sampleLineOf, withoutTiming } from '../harness/evaluation';
import { runChecksOf, type ScenarioVerdict } from '../harness/validate';
import { scenarioOf, serviceInvoked, traceOf } from './fixtures/traces/builder';
import { validateTrace } from '../harness/validate/validate';

/**
 * One verdict from validation to screen: the log line stores the verdict the run made, whole, and
 * every output renders it as stored; nothing re-validates the trace to count or re-make its checks.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const COIN = ['--scenario', 'test/fixtures/epochs/coin.json', '--script', 'test/fixtures/epochs/coin.script.json'];

function command(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `harness/${script}`, ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SCENARIO = scenarioOf({
  required_events: [{ type: 'service_invoked', service_name: 'a' }, { type: 'service_invoked', service_name: 'b' }],
  success_condition: 'all_required_present',
});
const TRACE = traceOf(serviceInvoked('a'));

test('the line stores the verdict the run made, with its run checks counted as the run counted them, not as re-validation would', () => {
  // Re-validating this trace gives three checks; the run's verdict has two run checks and one rule check.
  assert.is(validateTrace(SCENARIO, TRACE).checks.length, 3);
  const verdict: ScenarioVerdict = {
    id: 'test',
    domain: 'functional_competence',
    passed: false,
    checks: [
      { name: 'agent', passed: false, detail: 'turn 1: the model was unreachable' },
      { name: 'run', passed: false, detail: 'cycle 2 did not complete' },
      { name: 'success_condition', passed: true, detail: 'as stored' },
    ],
    run_checks: 2,
    judge_score: 2.5,
  };
  const line = sampleLineOf({ verdict, trace: TRACE }, { epoch: 2, seed: 7 }, { file: 'test.e2.jsonl', sha256: 'x' }, 1234);
  assert.equal(line.verdict, { ...verdict, epoch: 2, seed: 7, usage: NO_USAGE });
  assert.equal(runChecksOf(line.verdict).map((check) => check.name), ['agent', 'run']);
  assert.is(line.duration_ms, 1234);
  assert.equal(withoutTiming(line), { kind: 'sample', verdict: line.verdict, trace: line.trace });
});

test('a verdict edited in the log is what --resume renders as table, JSON, JUnit and viewer; an older log is refused naming its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-stored-'));
  try {
    const run = command('run.ts', ...COIN, '--epochs', '1', '--format', 'json', '--log-dir', dir);
    assert.is(run.status, 0, run.stderr);
    const log = resolve(REPO, /^log: (.+)$/m.exec(run.stderr)![1]!);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown> & { kind: string; verdict: ScenarioVerdict });
    const sample = lines.find((line) => line.kind === 'sample')!;
    // A verdict re-validation of its trace could never give: the trace passes its one rule.
    sample.verdict = { ...sample.verdict, passed: false, checks: [{ name: 'stored_only', passed: false, detail: 'kept as the log has it' }], run_checks: 1 };
    writeFileSync(log, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));

    const json = command('run.ts', '--resume', log, '--format', 'json');
    assert.is(json.status, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout).results[0].checks, [{ name: 'stored_only', passed: false, detail: 'kept as the log has it' }]);
    assert.match(command('run.ts', '--resume', log).stdout, /fc_coin +functional_competence +FAIL[\s\S]*stored_only/);
    assert.match(command('run.ts', '--resume', log, '--format', 'junit').stdout, /stored_only: kept as the log has it/);
    const html = join(dir, 'view.html');
    assert.is(command('run.ts', '--resume', log, '--format', 'json', '--html', html).status, 1);
    assert.ok(readFileSync(html, 'utf8').includes('kept as the log has it'));
    const read = readRunLog(log);
    assert.ok(!isLeft(read) && read.right.samples[0]!.verdict.passed === false);

    // A sample line of the older shape: the verdict's fields spread over the line.
    const { verdict, ...rest } = sample;
    const older = { ...rest, id: verdict.id, domain: verdict.domain, epoch: 1, seed: 1, verdict: { passed: verdict.passed, checks: verdict.checks }, replay_checks: 0, usage: verdict.usage, errors: [] };
    writeFileSync(log, [lines[0], older].map((line) => `${JSON.stringify(line)}\n`).join(''));
    const refused = command('score.ts', log);
    assert.is(refused.status, 2);
    assert.is(refused.stderr, `${log}:2: a sample line of an older log (its verdict spread over the line): expected the verdict whole under "verdict"; score or view it with the version that wrote it (its run line names it)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
