import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, hasNatsServer, listening, pause, startedProcess, type Started, until as untilWithin } from './fixtures/nats-server';

/**
 * An arena's seeds on a real NATS server with JetStream (Debian's nats-server, started on a free port with a
 * temporary store) and worker processes: the report a local arena gives, byte for byte, with exec agents, a policy
 * and the rubric judge; an interrupted queued arena resumed from its log collects what the workers stored. Every
 * process is bounded by a deadline, so a broken queue fails the test instead of hanging it.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEADLINE_MS = 120_000;
const until = (what: string, check: () => boolean | Promise<boolean>, ms = DEADLINE_MS) => untilWithin(what, check, ms);

const processes = new Set<ChildProcess>();

/** With only PATH and HOME: nothing of this machine's environment (a key) reaches the arena. */
function started(command: string, args: readonly string[]): Started {
  return startedProcess(command, args, { cwd: REPO, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, deadlineMs: DEADLINE_MS, processes });
}

const tsx = (script: string, args: readonly string[]) => started(process.execPath, ['--import', 'tsx', script, ...args]);

async function withServer(run: (url: string, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arena-queue-'));
  const port = await freePort();
  const server = started('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'store')]);
  try {
    await until('the NATS server', () => listening(port), 10_000);
    await run(`nats://127.0.0.1:${port}`, dir);
  } finally {
    await Promise.all([...processes].filter((child) => child !== server.child).map((child) => (child.kill('SIGKILL'), new Promise((resolve) => child.once('exit', resolve)))));
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function worker(url: string): Promise<Started> {
  const process = tsx('harness/worker.ts', ['--queue', url]);
  await until('a worker to start', () => process.output().includes('code version') || process.child.exitCode !== null);
  return process;
}

const THRIFTY = (content: string) => `exec:node test/fixtures/agents/arena-exec.mjs thrifty '${content}'`;

function arenaArgs(dir: string): string[] {
  const rubric = join(dir, 'arena.rubric.json');
  const facts = (phrase: string) => ({ scores: 'facts', read: ['outputs'], facts: [{ fact: `says ${phrase}`, any_of: [phrase] }] });
  writeFileSync(rubric, JSON.stringify({ scenario_id: 'arena', criteria: { interesting: facts('insightful'), useful: facts('market'), understandable: facts('report') } }));
  const population = join(dir, 'study.json');
  writeFileSync(population, JSON.stringify({ groups: [{ policy: 'fixed_share', count: 2, params: { prompt_bid: 2 } }, { policy: 'saver', count: 2 }], human: { answers_per_cycle: 6 } }));
  return [
    '--population', population,
    '--agent', `alice=${THRIFTY('An insightful report on the market.')}`,
    '--agent', `bob=${THRIFTY('A dull report.')}`,
    '--agent', 'saver=policy:saver',
    '--cycles', '6', '--seeds', '1..4', '--format', 'json', '--judge', 'rubric', '--rubric', rubric,
  ];
}

if (hasNatsServer) {
  test('two workers run the seeds: the report is the local arena’s byte for byte, and the log does not keep the queue', () =>
    withServer(async (url, dir) => {
      const args = arenaArgs(dir);
      const local = tsx('harness/arena.ts', [...args, '--log-dir', join(dir, 'local')]);
      await Promise.all([worker(url), worker(url)]);
      const queued = tsx('harness/arena.ts', [...args, '--log-dir', join(dir, 'queued'), '--queue', url, '--csv', join(dir, 'queued.csv')]);
      assert.is(await queued.exited, 0, queued.output());
      assert.is(await local.exited, 0, local.output());
      assert.is(queued.stdout(), local.stdout());
      const report = JSON.parse(queued.stdout()) as { seeds: { seed: string }[]; leaderboard: { agent: string; credits_rewarded: { mean: number } }[] };
      assert.equal(report.seeds.map(({ seed }) => seed), ['1', '2', '3', '4']);
      const rewarded = (agent: string) => report.leaderboard.find((entry) => entry.agent === agent)!.credits_rewarded.mean;
      assert.ok(rewarded('alice') > rewarded('bob'), 'the judge ran on the workers too');
      const log = readFileSync(join(dir, 'queued', readdirSync(join(dir, 'queued'))[0]!), 'utf8');
      assert.not.match(log.split('\n')[0]!, '--queue');
    }));

  test('a queued arena stopped before its seeds came back: --resume LOG --queue collects them from the workers', () =>
    withServer(async (url, dir) => {
      const args = [...arenaArgs(dir), '--log-dir', join(dir, 'logs')];
      // No worker yet: the items wait on the server while the submitter is stopped.
      const first = tsx('harness/arena.ts', [...args, '--queue', url]);
      await until('the seeds to be queued', () => first.output().includes('seeds on the workers'));
      await pause(1000);
      first.child.kill('SIGKILL');
      await first.exited;
      const logFile = join(dir, 'logs', readdirSync(join(dir, 'logs'))[0]!);
      await worker(url);
      const resumed = tsx('harness/arena.ts', ['--resume', logFile, '--queue', url, '--format', 'json']);
      assert.is(await resumed.exited, 0, resumed.output());
      const local = tsx('harness/arena.ts', [...arenaArgs(dir), '--log-dir', join(dir, 'local')]);
      assert.is(await local.exited, 0, local.output());
      assert.is(resumed.stdout(), local.stdout());
      const kinds = readFileSync(logFile, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
      assert.equal(kinds, ['arena', 'seed', 'seed', 'seed', 'seed', 'summary']);
    }));

  test('--model-cache cannot go with --queue: the workers call the models', () =>
    withServer(async (url, dir) => {
      const outcome = tsx('harness/arena.ts', ['--agent', 'a=policy:saver', '--queue', url, '--model-cache', join(dir, 'cache'), '--log-dir', dir]);
      assert.is(await outcome.exited, 2);
      assert.is(outcome.output(), '--model-cache is a folder of this machine: it cannot go with --queue, whose workers call the models and the judge\n');
    }));
} else {
  console.log('arena-queue: skipped, nats-server is not installed (apt-get install -y nats-server)');
}

test.run();
