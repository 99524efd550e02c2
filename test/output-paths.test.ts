import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandExit } from '../harness/cli/cli';
import { preparedOutput } from '../harness/cli/output-path';

/**
 * Every path a command writes is checked before any work starts: a path it cannot write is refused
 * at once, exit 2, in one line. Node 20's recursive mkdir loops forever on `/proc/x`, so each command
 * runs under a time limit: a regression shows as a failure, not as a hung test run.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** Far above what a refusal takes (well under a second plus tsx's start), far below a hang. */
const TIME_LIMIT_MS = 30_000;

function command(script: string, ...args: string[]) {
  // A model agent's endpoint that nothing listens on: a path refused up front never gets as far as calling it.
  const env = { ...process.env, AGENT_BASE_URL: 'http://127.0.0.1:9/v1' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', `harness/${script}`, ...args], { cwd: REPO, encoding: 'utf8', timeout: TIME_LIMIT_MS, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, timedOut: result.error !== undefined };
}

const SIMULATION = ['--agents', '1', '--cycles', '1', '--seed', '1'];

test('an output under /proc or /sys: every command refuses it at once, exit 2, one line', () => {
  const cases: [string, string[], string][] = [
    ['run.ts', ['--scenario', 'fc_001', '--trace-dir', '/proc/x'], '--trace-dir: cannot write to /proc/x: '],
    ['run.ts', ['--scenario', 'fc_001', '--trace-out', '/proc/x'], '--trace-out: cannot write to /proc/x: '],
    ['run.ts', ['--scenario', 'fc_001', '--html', '/sys/x/report.html'], '--html: cannot write to /sys/x/report.html: '],
    ['paths.ts', ['--skeletons', '/proc/x'], '--skeletons: cannot write to /proc/x: '],
    ['simulate.ts', [...SIMULATION, '--trace-out', '/proc/x'], '--trace-out: cannot write to /proc/x: '],
    ['build.ts', ['--out', '/proc/x'], '--out: cannot write to /proc/x: '],
  ];
  for (const [script, args, reason] of cases) {
    const { status, stdout, stderr, timedOut } = command(script, ...args);
    const what = `${script} ${args.join(' ')}`;
    assert.not.ok(timedOut, `${what} did not return`);
    assert.is(status, 2, what);
    assert.is(stdout, '', what);
    assert.ok(stderr.startsWith(reason), `${what}: ${stderr}`);
    assert.is(stderr.trimEnd().split('\n').length, 1, `${what}: ${stderr}`);
  }
});

function refusal(path: string, kind: 'file' | 'folder'): string {
  try {
    preparedOutput('--x', path, kind);
  } catch (error) {
    assert.instance(error, CommandExit);
    assert.is((error as CommandExit).exitCode, 2);
    return (error as CommandExit).message;
  }
  throw new Error(`${path} was not refused`);
}

test('a folder is made with its parents; a file needs its folder; neither may be the other kind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'output-paths-'));
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, '');
    assert.is(preparedOutput('--x', join(dir, 'b', 'c'), 'folder'), join(dir, 'b', 'c'));
    assert.ok(statSync(join(dir, 'b', 'c')).isDirectory());
    assert.is(preparedOutput('--x', join(dir, 'b', 'report.html'), 'file'), join(dir, 'b', 'report.html'));
    assert.is(preparedOutput('--x', file, 'file'), file);
    assert.is(preparedOutput('--x', '/dev/null', 'file'), '/dev/null');
    assert.is(refusal(join(dir, 'none', 'report.html'), 'file'), `--x: cannot write to ${join(dir, 'none', 'report.html')}: no such folder ${join(dir, 'none')}`);
    assert.not.ok(existsSync(join(dir, 'none')));
    assert.is(refusal(dir, 'file'), `--x: cannot write to ${dir}: it is a folder, not a file`);
    assert.is(refusal(file, 'folder'), `--x: cannot write to ${file}: it is a file, not a folder`);
    assert.is(refusal(join(file, 'sub'), 'folder'), `--x: cannot write to ${join(file, 'sub')}: ${file} is a file, not a folder`);
    assert.is(refusal('/dev/x', 'file'), '--x: cannot write to /dev/x: /dev holds devices, not a place for output');
    assert.is(refusal('', 'folder'), '--x: expected a folder path, got nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--model-cache is checked before any scenario runs: /proc, /sys, /dev, a file, and a replay from nowhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'output-paths-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const model = ['--agent', 'openai:m', '--scenario', 'fc_001', '--log-dir', join(dir, 'logs'), '--model-cache'];
    const cases: [string[], string][] = [
      [[...model, '/proc/x'], '--model-cache: cannot write to /proc/x: /proc is the kernel\'s virtual file system, not a place for output'],
      [[...model, '/sys/x'], '--model-cache: cannot write to /sys/x: /sys is the kernel\'s virtual file system, not a place for output'],
      [[...model, '/dev/x'], '--model-cache: cannot write to /dev/x: /dev holds devices, not a place for output'],
      [[...model, file], `--model-cache: cannot write to ${file}: it is a file, not a folder`],
      [[...model, join(dir, 'none'), '--model-cache-mode', 'replay'], `--model-cache: no such folder ${join(dir, 'none')}`],
      [[...model, file, '--model-cache-mode', 'replay'], `--model-cache: ${file} is a file, not a folder`],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr, timedOut } = command('run.ts', ...args);
      const what = `run.ts ${args.join(' ')}`;
      assert.not.ok(timedOut, `${what} did not return`);
      assert.equal([status, stdout, stderr], [2, '', `${message}\n`], what);
    }
    assert.not.ok(existsSync('/dev/x'), '/dev/x was created');
    // The log folder is made ready with the other outputs; no run has started, so no log is in it.
    assert.equal(existsSync(join(dir, 'logs')) ? readdirSync(join(dir, 'logs')) : [], [], 'the run started before the cache was checked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
