import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function simulate(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'harness/simulate.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('prints a line per cycle and ends with one JSON line of totals', () => {
  const { status, stdout } = simulate('--agents', '8', '--cycles', '4', '--seed', '1');
  assert.is(status, 0, stdout);
  const lines = stdout.trimEnd().split('\n');
  assert.is(lines.length, 5);
  lines.slice(0, 4).forEach((line, index) => {
    const number = '[\\d.]+';
    assert.match(
      line,
      new RegExp(
        `^cycle ${index + 1}: bids \\d+, wins \\d+, prices cpu ${number} memory ${number} tokens ${number} attention ${number}, ` +
          `burned ${number}, rewarded ${number}, credits ${number}, alive \\d+ \\(dormant \\d+\\), dead \\d+, gini ${number}$`,
      ),
    );
  });
  const totals = JSON.parse(lines[4]!) as Record<string, unknown>;
  assert.equal(Object.keys(totals), ['agents', 'cycles_run', 'seed', 'alive', 'dormant', 'dead', 'total_credits', 'prices', 'events', 'trace']);
  assert.equal([totals.agents, totals.cycles_run, totals.seed, totals.trace], [8, 4, '1', null]);
  assert.ok((totals.total_credits as number) < 800, 'credits were burned');
});

test('--trace-out streams every event to the file, and the same seed gives the same file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  try {
    const traces = ['a.jsonl', 'b.jsonl'].map((name) => join(dir, name));
    const outputs = traces.map((trace) => simulate('--agents', '5', '--cycles', '3', '--seed', '9', '--trace-out', trace));
    for (const { status } of outputs) assert.is(status, 0);
    const totals = JSON.parse(outputs[0]!.stdout.trimEnd().split('\n').pop()!) as { events: number };
    const [first, second] = traces.map((trace) => readFileSync(trace, 'utf8'));
    assert.is(first!.trimEnd().split('\n').length, totals.events);
    assert.is(second, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input: a one-line message naming the flag, exit 2', () => {
  const missing = simulate('--agents', '3', '--cycles', '2');
  assert.equal([missing.status, missing.stderr.trim()], [2, '--seed is required (see --help)']);
  const zero = simulate('--agents', '0', '--cycles', '2', '--seed', '1');
  assert.equal([zero.status, zero.stderr.trim()], [2, '--agents: expected a positive integer, got 0']);
  const unwritable = simulate('--agents', '1', '--cycles', '1', '--seed', '1', '--trace-out', '/nonexistent/dir/t.jsonl');
  assert.is(unwritable.status, 2);
  assert.is(unwritable.stderr, '--trace-out: cannot write to /nonexistent/dir/t.jsonl: no such folder /nonexistent/dir\n');
});

test.run();
