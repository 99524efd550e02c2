import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTemporaryDir } from './fixtures/temporary-dir';

/**
 * Ctrl-C on a study or a sweep: the child gets SIGINT once it has shown some finished work, and must write what finished
 * (metrics rows, a report marked interrupted, sweep points), say so, and exit 130. Nothing here waits on a clock: the
 * child is signalled when its output shows progress, and its runs are long enough not to end first.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LONG_TIME = 120_000;

interface Ended {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs simulate.ts, sends SIGINT once `ready()` holds (checked as output arrives and every 50 ms), and waits for the end. */
async function interrupted(args: readonly string[], ready: (stdout: string) => boolean): Promise<Ended> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'harness/simulate.ts', ...args], { cwd: REPO });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void ended.then(() => (done = true));
  const deadline = Date.now() + LONG_TIME;
  while (!done && !ready(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (done) throw new Error(`the run ended before it was interrupted: ${stderr}`);
  child.kill('SIGINT');
  const status = await ended;
  return { status, stdout, stderr };
}


test(
  'a study: the metrics file holds every finished cycle, the report says it was interrupted, the totals too; exit 130',
  withTemporaryDir('interrupt-', async (dir) => {
    const [metrics, html] = [join(dir, 'metrics.csv'), join(dir, 'study.html')];
    const run = await interrupted(['--agents', '12', '--cycles', '1000000', '--seed', '1', '--metrics-out', metrics, '--html', html], (out) => /^cycle 3:/m.test(out));
    assert.is(run.status, 130, run.stderr);
    const totals = JSON.parse(run.stdout.trimEnd().split('\n').pop()!);
    assert.is(totals.interrupted, true);
    const cycles = run.stdout.split('\n').filter((line) => line.startsWith('cycle ')).length;
    assert.is(totals.cycles_run, cycles);
    const rows = readFileSync(metrics, 'utf8').trimEnd().split('\n');
    assert.is(rows.length, 1 + 1 + cycles, 'the header, cycle 0 and each cycle printed');
    assert.is(rows.at(-1)!.split(',')[0], String(cycles));
    const page = readFileSync(html, 'utf8');
    assert.match(page, new RegExp(`<p id="interrupted" class="stopped" data-cycles-run="${cycles}" data-cycles-planned="1000000">`));
    assert.match(page, /<h1>Population study of 12 agents in the default groups, seed 1 \(interrupted\)<\/h1>/);
    assert.match(run.stderr, new RegExp(`interrupted after cycle ${cycles} of 1000000; wrote what finished to ${metrics.replace(/[.]/g, '\\.')}, `));
  }),
);

test(
  'a sweep: the points that finished are in the sweep file in grid order, the one under way is dropped; exit 130',
  withTemporaryDir('interrupt-', async (dir) => {
    const out = join(dir, 'sweep.csv');
    const lines = () => (existsSync(out) ? readFileSync(out, 'utf8').trimEnd().split('\n') : []);
    const args = ['--agents', '6', '--sweep', 'cycles=2,3,1000000', '--seeds', '1..1', '--workers', '1', '--sweep-out', out];
    const run = await interrupted(args, () => lines().length >= 3);
    assert.is(run.status, 130, run.stderr);
    assert.equal(lines().map((line) => line.split(',').slice(0, 3).join(',')), ['cycles,seed,cycle', '2,1,2', '3,1,3']);
    assert.equal(JSON.parse(run.stdout), { ...JSON.parse(run.stdout), points: 3, finished: 2, interrupted: true });
    assert.match(run.stderr, /interrupted: 2 of 3 runs finished; .*sweep\.csv holds them\n$/);
  }),
);

test.run();
