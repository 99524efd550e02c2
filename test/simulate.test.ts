import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  assert.equal(Object.keys(totals), ['agents', 'groups', 'cycles_run', 'seed', 'alive', 'dormant', 'dead', 'total_credits', 'prices', 'events', 'trace']);
  assert.equal([totals.agents, totals.cycles_run, totals.seed, totals.trace], [8, 4, 1, null]);
});

test('--agents N is the default study economy in its proportions: the human rewards it; --policy P is one group of P', () => {
  const economy = JSON.parse(simulate('--agents', '8', '--cycles', '4', '--seed', '1').stdout.trimEnd().split('\n').pop()!);
  assert.equal(economy.groups, { fixed_share: 2, price_aware: 2, saver: 2, random: 2 });
  assert.ok(economy.total_credits > 800, `the simulated human's rewards outweigh what was burned: ${economy.total_credits}`);
  const single = simulate('--agents', '8', '--cycles', '4', '--seed', '1', '--policy', 'fixed_share');
  assert.is(single.status, 0, single.stderr);
  const drained = JSON.parse(single.stdout.trimEnd().split('\n').pop()!);
  assert.equal(drained.groups, { fixed_share: 8 });
  assert.ok(drained.total_credits < 800, 'a lone fixed-share group is never rewarded: it only burns');
  const unknown = simulate('--agents', '3', '--cycles', '1', '--seed', '1', '--policy', 'hoarder');
  assert.equal([unknown.status, unknown.stderr], [2, '--policy: expected fixed_share | price_aware | saver | random | service_provider, got "hoarder"\n']);
  const alone = simulate('--policy', 'saver', '--cycles', '1', '--seed', '1');
  assert.equal([alone.status, alone.stderr], [2, '--agents is required (see --help)\n']);
});

test('--policy fixed_share runs the world an explicit one-group config runs, event for event; the economy another', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  try {
    const config = join(dir, 'one-group.json');
    writeFileSync(config, JSON.stringify({ groups: [{ policy: 'fixed_share', count: 5 }], cycles: 3, seed: 9 }));
    const [shorthand, explicit, economy] = ['policy', 'config', 'economy'].map((name) => join(dir, `${name}.jsonl`));
    assert.is(simulate('--agents', '5', '--policy', 'fixed_share', '--cycles', '3', '--seed', '9', '--trace-out', shorthand!).status, 0);
    assert.is(simulate('--config', config, '--trace-out', explicit!).status, 0);
    assert.is(simulate('--agents', '5', '--cycles', '3', '--seed', '9', '--trace-out', economy!).status, 0);
    const [a, b, c] = [shorthand, explicit, economy].map((file) => readFileSync(file!, 'utf8'));
    assert.is(a, b);
    assert.is.not(c, a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('more agents than a study holds: refused at once in one line, from the flag and from a file', () => {
  const flag = simulate('--agents', '100000000', '--cycles', '1', '--seed', '1');
  assert.equal([flag.status, flag.stdout, flag.stderr], [2, '', '--agents: expected at most 16,777,216 (the most a study holds), got 100,000,000\n']);
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  try {
    const config = join(dir, 'huge.json');
    writeFileSync(config, JSON.stringify({ groups: [{ policy: 'saver', count: 10_000_000 }, { policy: 'random', count: 10_000_000 }] }));
    const file = simulate('--config', config);
    assert.equal([file.status, file.stderr], [2, `${config}: $.groups: 20,000,000 agents in all, more than a study holds (16,777,216)\n`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
