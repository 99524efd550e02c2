import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import { runStudy } from '../harness/simulation/run-study';
import { decodeStudy, type RawConfig } from '../harness/simulation/study';
import { pointLines, runSweep, sweepHeader, sweepPoints, type SweepPoint } from '../harness/simulation/sweep';
import { openSweepFile } from '../harness/simulation/csv-file';
import { DEFAULT_GROUPS, defaultGroupsOf } from '../domain/population/config';
import type { CycleIndicators } from '../domain/population/metrics';

const ROW: CycleIndicators = {
  cycle: 0, alive: 2, dormant: 0, dead: 0, bids: 0, wins: 0, rejections: 0, prompts: 0, rewards: 0,
  credits_total: 200, credits_burned: 0, credits_rewarded: 0, credits_endowed: 200,
  price_cpu: 1, price_memory: 1, price_tokens: 1, price_attention: 1,
  balance_min: 100, balance_median: 100, balance_max: 100, gini: 0, groups: {},
};

const REPO = fileURLToPath(new URL('..', import.meta.url));

function simulate(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'harness/simulate.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The sweep file's text for the points' rows, the last cycle of each. */
function sweepCsv(points: readonly SweepPoint[], rows: readonly (readonly CycleIndicators[] | undefined)[], groupNames: readonly string[]): string {
  const lines = points.flatMap((point, index) => pointLines(point, rows[index]!, groupNames, false));
  return `${[sweepHeader(points, groupNames), ...lines].join('\n')}\n`;
}

async function rows(config: RawConfig) {
  const population = decodeStudy(config);
  if (isLeft(population)) throw new Error(population.left.join('\n'));
  const run = await runStudy(population.right);
  if (isLeft(run)) throw new Error(run.left);
  return run.right.rows;
}

test('the default economy: rewards from the first cycles, some agents dormant and some dead within 120 cycles', async () => {
  const run = await rows({ cycles: 120 });
  assert.ok(run.slice(1, 4).some((row) => row.rewards > 0), 'a reward in cycles 1-3');
  assert.ok(run.some((row) => row.dormant > 0), 'someone went dormant');
  const last = run[run.length - 1]!;
  assert.ok(last.dead > 0 && last.alive > 0, `some died, some live: ${last.dead} dead, ${last.alive} alive`);
  assert.ok(new Set([last.price_cpu, last.price_memory, last.price_tokens, last.price_attention]).size > 1, 'the resources are priced apart');
});

test('a human who reads nothing rewards nothing: no credit enters', async () => {
  const run = await rows({ cycles: 10, human: { answers_per_cycle: 0 } });
  assert.is(run.reduce((sum, row) => sum + row.credits_rewarded, 0), 0);
});

test('the same config and seed give the same metrics file, byte for byte; another seed another file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const config = join(dir, 'study.json');
    writeFileSync(config, JSON.stringify({ groups: [{ policy: 'random', count: 6 }, { policy: 'price_aware', count: 6 }], cycles: 6 }));
    const files = ['a', 'b', 'c'].map((name) => join(dir, `${name}.csv`));
    const seeds = ['1', '1', '2'];
    files.forEach((file, index) => assert.is(simulate('--config', config, '--seed', seeds[index]!, '--metrics-out', file).status, 0));
    const [a, b, c] = files.map((file) => readFileSync(file, 'utf8'));
    assert.is(a, b);
    assert.is.not(a, c);
    const [header, ...lines] = a!.trimEnd().split('\n');
    assert.match(header!, /^cycle,alive,dormant,dead,bids,wins,rejections,.*,gini,alive_random,mean_balance_random,alive_price_aware,mean_balance_price_aware$/);
    assert.is(lines.length, 7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad config file: every problem with its JSON path, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ groups: [{ policy: 'saverr', count: 0 }], human: { scores: { mean: 11 } }, cyles: 3 }));
    const { status, stderr } = simulate('--config', config);
    assert.is(status, 2);
    assert.equal(stderr.trimEnd().split('\n'), [
      `${config}: $.groups[0].policy: expected fixed_share | price_aware | saver | random | service_provider, got "saverr"`,
      `${config}: $.groups[0].count: expected a positive integer, got 0`,
      `${config}: $.human.scores.mean: expected a score from 0 to 10, got 11`,
      `${config}: $.cyles: expected no other key (known keys: groups, supply, human, spawn_costs, max_actions_per_turn, cycles, seed), got 3`,
    ]);
    const swept = simulate('--agents', '2', '--policy', 'fixed_share', '--cycles', '1', '--seed', '1', '--sweep', 'budget_fraction=0.1,2', '--sweep-out', join(dir, 's.csv'));
    assert.equal([swept.status, swept.stderr.trim()], [2, 'the sweep point budget_fraction=2 seed=1: $.groups[0].params.budget_fraction: expected a fraction from 0 to 1, got 2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no groups is no study: refused with the field path, as every bad field is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const config = join(dir, 'empty.json');
    writeFileSync(config, JSON.stringify({ groups: [] }));
    const { status, stderr } = simulate('--config', config);
    assert.equal([status, stderr], [2, `${config}: $.groups: expected at least one group, got []\n`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--agents N shares N among the default groups in their proportions, by largest remainders, always N in all', () => {
  const counts = (total: number) => Object.fromEntries(defaultGroupsOf(total).map((group) => [group.policy, group.count]));
  assert.equal(counts(100), Object.fromEntries(DEFAULT_GROUPS.map((group) => [group.policy, group.count])));
  assert.equal(counts(8), { fixed_share: 2, price_aware: 2, saver: 2, random: 2 });
  assert.equal(counts(7), { fixed_share: 2, price_aware: 2, saver: 2, random: 1 });
  assert.equal(counts(1), { fixed_share: 1 });
  assert.equal(counts(400), { fixed_share: 100, price_aware: 100, saver: 100, random: 80, service_provider: 20 });
  for (let total = 1; total <= 300; total++) assert.is(defaultGroupsOf(total).reduce((sum, group) => sum + group.count, 0), total);
  assert.equal(defaultGroupsOf(8)[0]!.params, { prompt_bid: 2 }, 'each group keeps its parameters');
});

test('a sweep of the shorthand needs only --seeds; --workers above the runs is capped and said; an axis twice is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const out = join(dir, 'sweep.csv');
    const swept = simulate('--agents', '6', '--cycles', '2', '--sweep', 'budget_fraction=0.02,0.05', '--seeds', '1..2', '--workers', '999', '--sweep-out', out);
    assert.is(swept.status, 0, swept.stderr);
    assert.is(swept.stderr, '--workers 999: 4 runs to do, so 4 workers\n');
    assert.equal(JSON.parse(swept.stdout).workers, 4);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(',')), ['0.02,1,2', '0.02,2,2', '0.05,1,2', '0.05,2,2']);
    const twice = simulate('--agents', '6', '--cycles', '2', '--sweep', 'budget_fraction=0.02', '--sweep', 'budget_fraction=0.05', '--seeds', '1..2', '--sweep-out', out);
    assert.equal([twice.status, twice.stderr], [2, "--sweep budget_fraction is given twice: give all its values in one --sweep 'budget_fraction=v1,v2,…'\n"]);
    const unseeded = simulate('--agents', '6', '--cycles', '2', '--sweep', 'budget_fraction=0.02', '--sweep-out', out);
    assert.equal([unseeded.status, unseeded.stderr], [2, '--seed is required (see --help)\n']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--sweep-every-cycle: every cycle of every point and seed, from cycle 0, in grid order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const out = join(dir, 'sweep.csv');
    const swept = simulate('--agents', '4', '--cycles', '3', '--sweep', 'budget_fraction=0.02,0.05', '--seed', '5', '--workers', '2', '--sweep-out', out, '--sweep-every-cycle');
    assert.is(swept.status, 0, swept.stderr);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.match(lines[0]!, /^budget_fraction,seed,cycle,alive,/);
    assert.equal(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(',')), [
      ...['0', '1', '2', '3'].map((cycle) => `0.02,5,${cycle}`),
      ...['0', '1', '2', '3'].map((cycle) => `0.05,5,${cycle}`),
    ]);
    const lastOnly = simulate('--agents', '4', '--cycles', '3', '--sweep', 'budget_fraction=0.02,0.05', '--seed', '5', '--sweep-out', join(dir, 'last.csv'));
    assert.is(lastOnly.status, 0);
    assert.equal(readFileSync(join(dir, 'last.csv'), 'utf8').trimEnd().split('\n').slice(1), [lines[4], lines[8]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the sweep file keeps grid order when points finish out of order, and keeps a finished point past an unfinished one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'study-'));
  try {
    const points = sweepPoints({ groups: [{ policy: 'saver', count: 2 }] }, [{ param: 'cycles', values: [1, 2, 3] }], ['1']);
    if (isLeft(points)) throw new Error(points.left.join('\n'));
    const row = (cycle: number) => ({ ...ROW, cycle });
    const file = join(dir, 'sweep.csv');
    const sweep = openSweepFile(file, points.right, ['saver'], false);
    sweep.add(2, [row(3)]);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 1, 'point 3 waits for points 1 and 2');
    sweep.add(0, [row(1)]);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => line.split(',')[0]), ['cycles', '1']);
    sweep.close();
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => line.split(',')[0]), ['cycles', '1', '3']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a sweep gives the same rows on one worker as on two', async () => {
  const base = { groups: [{ policy: 'fixed_share', count: 5, params: { prompt_bid: 1 } }, { policy: 'saver', count: 5 }], cycles: 6 };
  const points = sweepPoints(base, [{ param: 'budget_fraction', values: [0.02, 0.2] }], ['1', '2']);
  if (isLeft(points)) throw new Error(points.left.join('\n'));
  const [one, two] = [await runSweep(points.right, 1), await runSweep(points.right, 2)];
  if (isLeft(one) || isLeft(two)) throw new Error(`a sweep failed: ${isLeft(one) ? one.left : ''} ${isLeft(two) ? two.left : ''}`);
  const groups = ['fixed_share', 'saver'];
  const csv = sweepCsv(points.right, one.right.rows, groups);
  assert.is(sweepCsv(points.right, two.right.rows, groups), csv);
  const lines = csv.trimEnd().split('\n');
  assert.is(lines.length, 5);
  assert.equal(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(',')), ['0.02,1,6', '0.02,2,6', '0.2,1,6', '0.2,2,6']);
  assert.is.not(lines[1]!.split(',').slice(3).join(','), lines[3]!.split(',').slice(3).join(','), 'the swept budget changes the outcome');
});

test('a sweep thread, running the bundled worker, gives the row the study gives in this thread', async () => {
  const base = { groups: [{ policy: 'price_aware', count: 4 }, { policy: 'random', count: 4 }], cycles: 5 };
  const points = sweepPoints(base, [{ param: 'budget_fraction', values: [0.3] }], ['4']);
  if (isLeft(points)) throw new Error(points.left.join('\n'));
  const swept = await runSweep(points.right, 1);
  if (isLeft(swept)) throw new Error(swept.left);
  const here = await rows(points.right[0]!.config);
  assert.equal(swept.right, { rows: [here], interrupted: false });
  assert.is.not(JSON.stringify(here[here.length - 1]), JSON.stringify(here[0]), 'the row compared is not the world as created');
});

test('a point a sweep thread refuses is one line naming the point', async () => {
  const good = sweepPoints({ cycles: 2, groups: [{ policy: 'saver', count: 2 }] }, [], ['1']);
  if (isLeft(good)) throw new Error(good.left.join('\n'));
  const bad = { ...good.right[0]!, config: { cycles: 'many' } };
  const swept = await runSweep([good.right[0]!, bad], 2);
  if (!isLeft(swept)) return assert.unreachable('the bad point passed');
  assert.match(swept.left, /^point 2: \S.*cycles/);
  assert.not.match(swept.left, /\n/);
});

test.run();
