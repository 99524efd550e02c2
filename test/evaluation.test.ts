import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXml } from './fixtures/xml';
import { withoutTiming } from '../harness/evaluation';
import { withTemporaryDir } from './fixtures/temporary-dir';

/** run.ts --epochs, --max-concurrency, its log and --resume; score.ts and compare.ts on the logs. */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const COIN = ['--scenario', 'test/fixtures/epochs/coin.json', '--script', 'test/fixtures/epochs/coin.script.json'];

function command(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `harness/${script}`, ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const logOf = (stderr: string): string => {
  const match = /^log: (.+)$/m.exec(stderr);
  assert.ok(match, `no "log: PATH" in ${stderr}`);
  return resolve(REPO, match![1]!);
};
const linesOf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
/** A log's lines without what differs between two runs of the same samples: the clock's readings, and the run's id, folder, command line and process. */
const comparable = (file: string) =>
  linesOf(file)
    .map((line) => withoutTiming(line as { kind: string }))
    .map((line) => (line.kind === 'run' ? { ...line, run_id: '', traces: '', args: [], pid: 0 } : line));
const tracesOf = (log: string): Record<string, string> => {
  const folder = log.replace(/\.jsonl$/, '');
  return Object.fromEntries(readdirSync(folder).sort().map((name) => [name, readFileSync(join(folder, name), 'utf8')]));
};


test(
  '--epochs 4: pass^k and pass@k per scenario and overall, as computed by hand from the seeds 1-4 (pass, fail, pass, pass)',
  withTemporaryDir('evaluation-', (dir) => {
    const { status, stdout, stderr } = command('run.ts', ...COIN, '--epochs', '4', '--format', 'json', '--log-dir', dir);
    assert.is(status, 1, stderr);
    const report = JSON.parse(stdout);
    assert.equal(Object.keys(report), ['summary', 'results', 'scenarios']);
    assert.equal(report.results.map((result: { epoch: number; seed: number; passed: boolean }) => [result.epoch, result.seed, result.passed]), [
      [1, 1, true],
      [2, 2, false],
      [3, 3, true],
      [4, 4, true],
    ]);
    // c = 3 of n = 4: pass^k = C(3,k)/C(4,k) = 3/4, 3/6, 1/4, 0; pass@k = 1 - C(1,k)/C(4,k) = 3/4, 1, 1, 1.
    const expected = { '1': 0.75, '2': 0.5, '3': 0.25, '4': 0 };
    const at = { '1': 0.75, '2': 1, '3': 1, '4': 1 };
    assert.equal(report.scenarios, [{ id: 'fc_coin', domain: 'functional_competence', n: 4, successes: 3, pass_hat_k: expected, pass_at_k: at }]);
    assert.equal([report.summary.pass_hat_k, report.summary.pass_at_k], [expected, at]);
    assert.equal(report.summary.domains.functional_competence.pass_hat_k, expected);
    assert.ok(existsSync(logOf(stderr)));
  }),
);

test(
  '--epochs 4 as a table: pass^1 and pass^4 per scenario; --epochs 0 is bad input',
  withTemporaryDir('evaluation-', (dir) => {
    const table = command('run.ts', ...COIN, '--epochs', '4', '--log-dir', dir);
    assert.match(table.stdout, /ID +DOMAIN +PASSED +PASS\^1 +PASS\^4/);
    assert.match(table.stdout, /fc_coin +functional_competence +3\/4 +0\.75 +0 +epoch 2: required_events\[0\]/);
    const zero = command('run.ts', ...COIN, '--epochs', '0', '--log-dir', dir);
    assert.equal([zero.status, zero.stderr], [2, '--epochs: expected a positive integer, got 0\n']);
  }),
);

test(
  '--max-concurrency 1 and 6: the same report, traces and log',
  withTemporaryDir('evaluation-', (dir) => {
    const runs = ['1', '6'].map((n) => command('run.ts', '--domain', 'functional_competence', '--epochs', '2', '--format', 'json', '--max-concurrency', n, '--log-dir', join(dir, n)));
    const [one, six] = runs as [ReturnType<typeof command>, ReturnType<typeof command>];
    assert.is(one.status, 0, one.stderr);
    assert.is(six.stdout, one.stdout);
    assert.equal(JSON.parse(one.stdout).results.length, 10);
    assert.equal(comparable(logOf(six.stderr)), comparable(logOf(one.stderr)));
    assert.equal(tracesOf(logOf(six.stderr)), tracesOf(logOf(one.stderr)));
    assert.equal(Object.keys(tracesOf(logOf(one.stderr))).length, 10);
  }),
);

test(
  'kill -9 after the first sample line, then --resume: the report and the log of an uninterrupted run',
  withTemporaryDir('evaluation-', async (dir) => {
    const args = ['--domain', 'functional_competence', '--epochs', '3', '--format', 'json'];
    const whole = command('run.ts', ...args, '--log-dir', join(dir, 'whole'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/run.ts', ...args, '--log-dir', join(dir, 'killed')], { cwd: REPO, stdio: 'ignore' });
    const killedDir = join(dir, 'killed');
    const sampleLines = () => {
      const logs = existsSync(killedDir) ? readdirSync(killedDir).filter((name) => name.endsWith('.jsonl')) : [];
      return logs.length === 0 ? 0 : readFileSync(join(killedDir, logs[0]!), 'utf8').split('\n').filter((line) => line.includes('"kind":"sample"')).length;
    };
    let gone = false;
    const exited = new Promise((resolve) => child.on('exit', () => resolve((gone = true))));
    const deadline = Date.now() + 120_000;
    while (sampleLines() === 0 && !gone && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(sampleLines() > 0, 'the run wrote no sample line before it ended, or within two minutes');
    child.kill('SIGKILL');
    await exited;
    const log = join(killedDir, readdirSync(killedDir).find((name) => name.endsWith('.jsonl'))!);
    const before = sampleLines();
    assert.ok(before < 15, `the run finished before it was killed (${before} samples)`);
    assert.not.ok(readFileSync(log, 'utf8').includes('"kind":"summary"'));
    const resumed = command('run.ts', '--resume', log, '--format', 'json');
    assert.is(resumed.status, whole.status, resumed.stderr);
    assert.is(resumed.stdout, whole.stdout);
    assert.equal(comparable(log), comparable(logOf(whole.stderr)));
    assert.equal(tracesOf(log), tracesOf(logOf(whole.stderr)));
    const again = command('run.ts', '--resume', log, '--seed', '3');
    assert.is(again.status, 2);
    assert.match(again.stderr, /--resume repeats the run of .* with its own options; --seed cannot change it/);
  }),
);

test(
  'score.ts re-scores a log into a new one, as table, json and well-formed junit; a corrupted line is bad input naming it',
  withTemporaryDir('evaluation-', (dir) => {
    const run = command('run.ts', ...COIN, '--epochs', '3', '--format', 'json', '--log-dir', dir);
    const log = logOf(run.stderr);
    const json = command('score.ts', log, '--format', 'json', '--log-dir', join(dir, 'scored'));
    assert.is(json.status, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout), JSON.parse(run.stdout));
    const scoredLog = linesOf(logOf(json.stderr));
    assert.is(scoredLog[0]!.rescored_from, log);
    assert.equal(comparable(logOf(json.stderr)).slice(1), comparable(log).slice(1));
    const junit = command('score.ts', log, '--format', 'junit', '--log-dir', join(dir, 'scored'));
    const suites = parseXml(junit.stdout);
    assert.equal([suites.name, suites.attributes.tests, suites.attributes.failures], ['testsuites', '3', '1']);
    assert.match(junit.stdout, /name="fc_coin \[epoch 2\]"/);
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[2] = lines[2]!.slice(0, 40);
    const corrupted = join(dir, 'corrupted.jsonl');
    writeFileSync(corrupted, lines.join('\n'));
    const bad = command('score.ts', corrupted);
    assert.is(bad.status, 2);
    assert.match(bad.stderr, new RegExp(`^${corrupted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: malformed JSON at line 1, column \\d+: .+\n$`));
    writeFileSync(corrupted, lines.slice(1).join('\n'));
    assert.match(command('score.ts', corrupted).stderr, /corrupted\.jsonl:1: expected the \{"kind":"run", …\} line first, got a sample line/);
  }),
);

test(
  'compare.ts: runs × scenarios and the paired difference with its 95% interval; one log is bad input',
  withTemporaryDir('evaluation-', (dir) => {
    const first = logOf(command('run.ts', ...COIN, '--epochs', '4', '--log-dir', dir).stderr);
    const second = logOf(command('run.ts', ...COIN, '--epochs', '4', '--seed', '5', '--log-dir', dir).stderr);
    const html = join(dir, 'compare.html');
    const { status, stdout, stderr } = command('compare.ts', first, second, '--html', html);
    assert.is(status, 0, stderr);
    assert.match(stdout, /RUN +SCENARIO +RUNS +PASS\^1 +PASS\^K +JUDGE MEAN +TOKENS +COST USD/);
    assert.match(stdout, /fc_coin +4 +0\.75 +0 \(k=4\)/);
    // seeds 1-4: pass, fail, pass, pass; seeds 5-8: fail, fail, pass, fail.
    assert.match(stdout, /\n\S+ +\S+ +4 +0\.75 +0\.25 +-0\.5 +\[-1, 0\] +0 +2\n/);
    // The viewer, opened at the comparison of the two runs, with the comparison inline.
    const page = readFileSync(html, 'utf8');
    assert.match(page, /"start":"#\/compare\/[^,"]+,[^"]+"/);
    assert.match(page, /"pairs":\[\{"baseline":"[^"]+","candidate":"[^"]+","pairs":4,"improved":0,"regressed":2,/);
    const one = command('compare.ts', first);
    assert.equal([one.status, one.stderr], [2, 'expected two or more LOGs to compare, got 1 (see --help)\n']);
    const twice = command('compare.ts', first, second, first);
    assert.equal([twice.status, twice.stdout, twice.stderr], [2, '', `${first} is given twice: compare two different runs\n`]);
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, readFileSync(first));
    const copied = command('compare.ts', first, copy);
    assert.is(copied.status, 2);
    assert.match(copied.stderr, /^\S+ and \S+copy\.jsonl are the same run \(\S+\): compare two different runs\n$/);
  }),
);

test.run();
