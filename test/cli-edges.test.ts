import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The edges a new user meets first, end to end through the entry points: what a number flag
 * accepts and what it says when it refuses.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** The counts of a JSON report's summary (which also has usage and pass^k). */
function totals(stdout: string) {
  const { total, passed, failed } = (JSON.parse(stdout) as { summary: { total: number; passed: number; failed: number } }).summary;
  return { total, passed, failed };
}

function command(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `harness/${script}`, ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a negative number is a value, not an option: refused saying what was expected, or accepted as a seed', () => {
  const agents = command('simulate.ts', '--agents', '-5', '--cycles', '1', '--seed', '1');
  assert.equal([agents.status, agents.stderr], [2, '--agents: expected a positive integer, got -5\n']);
  const balance = command('simulate.ts', '--agents', '1', '--cycles', '1', '--seed', '1', '--balance', '-0.5');
  assert.equal([balance.status, balance.stderr], [2, '--balance: expected a non-negative number, got -0.5\n']);
  const seeded = command('simulate.ts', '--agents', '2', '--cycles', '1', '--seed', '-3');
  assert.is(seeded.status, 0, seeded.stderr);
  assert.match(seeded.stdout, /"seed":-3,/);
  const run = command('run.ts', '--scenario', 'fc_001', '--seed', '-3', '--format', 'json');
  assert.is(run.status, 0, run.stderr);
  assert.equal(totals(run.stdout), { total: 1, passed: 1, failed: 0 });
});

test('--seed is a whole number in every command', () => {
  for (const [script, args] of [['simulate.ts', ['--agents', '1', '--cycles', '1']], ['run.ts', ['--scenario', 'fc_001']]] as const) {
    const { status, stdout, stderr } = command(script, ...args, '--seed', 'abc');
    assert.equal([status, stdout, stderr], [2, '', '--seed: expected a whole number, got "abc"\n'], script);
  }
});

test('--trace takes the scenario by id as every other --scenario does', () => {
  const { status, stdout, stderr } = command('run.ts', '--scenario', 'fc_001', '--trace', 'test/fixtures/traces/fc_001.pass.jsonl');
  assert.is(status, 0, stderr);
  assert.match(stdout, /^ID +DOMAIN +VERDICT\nfc_001 +functional_competence +PASS\n/);
});

test('a folder given for a scenario, a file given for a folder: a sentence saying what to give, exit 2', () => {
  for (const args of [['--scenario', 'scenarios/functional_competence'], ['--scenario', 'scenarios/functional_competence', '--trace', 'test/fixtures/traces/fc_001.pass.jsonl']]) {
    const { status, stderr } = command('run.ts', ...args);
    assert.equal(
      [status, stderr],
      [2, '--scenario: scenarios/functional_competence is a folder; --scenario takes a scenario id or file (to run a folder of scenarios: --scenarios-dir scenarios/functional_competence)\n'],
    );
  }
  const file = 'scenarios/functional_competence/fc_001.json';
  const build = command('build.ts', file);
  assert.equal([build.status, build.stderr], [2, `${file} is a file; build.ts checks a folder of scenarios (to check one scenario file: run.ts --scenario ${file})\n`]);
  assert.not.match(build.stderr, /E[A-Z]+:/);
});

test('every command\'s --help: the same Usage: line, a -h line and an Exit status: section', () => {
  for (const script of ['run.ts', 'build.ts', 'simulate.ts', 'bench.ts', 'paths.ts']) {
    const { status, stdout } = command(script, '--help');
    assert.is(status, 0, script);
    assert.ok(stdout.startsWith(`Usage: npx tsx harness/${script}`), `${script}: ${stdout.slice(0, 80)}`);
    assert.match(stdout, /\n {2}-h, --help +print this help\n/, script);
    assert.match(stdout, /\n\nExit status: 0 /, script);
  }
});

test('a file flag says FILE and a folder flag says DIR: run writes traces to --trace-dir DIR, simulate to --trace-out FILE', () => {
  assert.match(command('run.ts', '--help').stdout, /--trace-dir DIR +also write each scenario's trace to the folder DIR/);
  assert.match(command('simulate.ts', '--help').stdout, /--trace-out FILE +stream every event to the file FILE/);
  const dir = mkdtempSync(join(tmpdir(), 'cli-edges-'));
  try {
    const traces = join(dir, 'traces');
    const { status, stderr } = command('run.ts', '--scenario', 'fc_001', '--trace-dir', traces);
    assert.is(status, 0, stderr);
    assert.ok(existsSync(join(traces, 'fc_001.jsonl')));
    const both = command('run.ts', '--scenario', 'fc_001', '--trace-dir', traces, '--trace-out', traces);
    assert.equal([both.status, both.stderr], [2, '--trace-out is another name for --trace-dir: give one of them\n']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that stops early (| head) ends the command quietly, not with a stack trace', () => {
  const result = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx harness/run.ts --scenario fc_001 | true`], { cwd: REPO, encoding: 'utf8' });
  assert.is(result.status, 0);
  assert.match(result.stderr, /^log: \S+\.jsonl\n$/);
});

test('the table says what ran before it and what to try next after it; the JSON report stays JSON', () => {
  const table = command('run.ts', '--scenario', 'fc_001', '--seed', '4');
  assert.is(table.status, 0, table.stderr);
  const lines = table.stdout.trimEnd().split('\n');
  assert.is(lines[0], 'Ran 1 scenario from scenarios; agent: the reference scripts (the harness checking itself); judge: rubric; seed: 4.');
  assert.match(lines[1]!, /^ID +DOMAIN +VERDICT/);
  assert.is(lines.at(-2), '1 scenario: 1 passed, 0 failed');
  assert.match(lines.at(-1)!, /^Next: --help lists every option; --html report\.html writes a report to read in a browser; --agent openai:MODEL, exec:CMD or mcp:CMD puts your own agent under test\.$/);
  const json = command('run.ts', '--scenario', 'fc_001', '--format', 'json');
  assert.equal(totals(json.stdout), { total: 1, passed: 1, failed: 0 });
});

test.run();
