import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { RESULTS_STREAM, WORK_STREAM, WORKERS_CONSUMER } from '../harness/queue/streams';
import { RUN_HEADER, SAMPLE_HEADER } from '../harness/queue/live-events';
import { withoutTiming } from '../harness/evaluation';
import { freePort, hasNatsServer, listening, pause, startedProcess, type Started, until as untilWithin } from './fixtures/nats-server';

/**
 * Sweeps on a real NATS server with JetStream (Debian's nats-server), started by each test on a free port with a
 * temporary store, and worker processes: the rows a local sweep gives, nothing lost or stored twice when a worker,
 * the submitter or the server dies mid-run, a worker of another code version refusing, and each bad input one
 * line with exit 2. Every process is bounded by a deadline, so a broken queue fails the test instead of hanging it.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEADLINE_MS = 90_000;

const hasServer = hasNatsServer;
const until = (what: string, check: () => boolean | Promise<boolean>, ms = DEADLINE_MS) => untilWithin(what, check, ms);

const processes = new Set<ChildProcess>();

function started(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Started {
  return startedProcess(command, args, { cwd: REPO, env: { ...process.env, ...env }, deadlineMs: DEADLINE_MS, processes });
}

const tsx = (script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) => started(process.execPath, ['--import', 'tsx', script, ...args], env);

async function stopped(process: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill(signal);
  await process.exited;
}

class Server {
  private process: Started | undefined;
  readonly url: string;

  constructor(
    readonly port: number,
    readonly store: string,
    private readonly extra: readonly string[] = [],
  ) {
    this.url = `nats://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.process = started('nats-server', ['-a', '127.0.0.1', '-p', String(this.port), ...(this.extra.includes('--no-js') ? [] : ['-js', '-sd', this.store]), ...this.extra.filter((arg) => arg !== '--no-js')]);
    await until('the NATS server', () => listening(this.port), 10_000);
    return this;
  }

  async stop(): Promise<void> {
    if (this.process !== undefined) await stopped(this.process);
  }
}

async function withServer(run: (server: Server, dir: string) => Promise<void>, extra: readonly string[] = []): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'queue-'));
  const server = await new Server(await freePort(), join(dir, 'store'), extra).start();
  try {
    await run(server, dir);
  } finally {
    await Promise.all([...processes].map((child) => (child.kill('SIGKILL'), new Promise((resolve) => child.once('exit', resolve)))));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function worker(server: Server, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const process = tsx('harness/worker.ts', ['--queue', server.url], env);
  await until('a worker to start', () => process.output().includes('code version') || process.child.exitCode !== null);
  return process;
}

const SWEEP = ['--sweep', 'budget_fraction=0.02,0.2', '--seeds', '1..3'];

function studyFile(dir: string, cycles: number): string {
  const file = join(dir, `study-${cycles}.json`);
  writeFileSync(file, JSON.stringify({ cycles }));
  return file;
}

/** The CSV a local sweep of the same points writes. */
async function localCsv(dir: string, config: string): Promise<string> {
  const out = join(dir, 'local.csv');
  const local = tsx('harness/simulate.ts', ['--config', config, ...SWEEP, '--sweep-out', out]);
  assert.is(await local.exited, 0, local.output());
  return readFileSync(out, 'utf8');
}

const submit = (server: Server, dir: string, config: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}) =>
  tsx('harness/simulate.ts', ['--config', config, ...SWEEP, '--sweep-out', join(dir, 'queued.csv'), '--queue', server.url, ...extra], env);

const runIdOf = (output: string) => /^run: (\S+)$/m.exec(output)?.[1];

/** How many results the server holds for the run: one per point, however often a point was run. */
async function storedResults(server: Server, runId: string): Promise<number> {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(RESULTS_STREAM, { subjects_filter: `syntropism.results.${runId}.>` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  } finally {
    await nc.close();
  }
}

if (hasServer) {
  test('three workers write the rows a local sweep writes, each point stored once', () =>
    withServer(async (server, dir) => {
      const config = studyFile(dir, 4);
      await Promise.all([worker(server), worker(server), worker(server)]);
      const queued = submit(server, dir, config);
      assert.is(await queued.exited, 0, queued.output());
      assert.is(readFileSync(join(dir, 'queued.csv'), 'utf8'), await localCsv(dir, config));
      const summary = JSON.parse(queued.output().split('\n').find((line) => line.startsWith('{'))!) as { points: number; workers: number; queued: number };
      assert.equal([summary.points, summary.queued], [6, 6]);
      assert.ok(summary.workers >= 1 && summary.workers <= 3, `workers seen: ${summary.workers}`);
      assert.is(await storedResults(server, runIdOf(queued.output())!), 6);
    }));

  test('a result published twice is stored once: the results stream refuses the second', () =>
    withServer(async (server) => {
      const submitter = tsx('harness/worker.ts', ['--queue', server.url]);
      await until('the streams', () => submitter.output().includes('code version'));
      await stopped(submitter);
      const nc = await connect({ servers: server.url });
      try {
        const js = jetstream(nc);
        await js.publish('syntropism.results.R.0', 'first', { msgID: 'R.0' });
        const again = await js.publish('syntropism.results.R.0', 'first', { msgID: 'R.0' });
        assert.ok(again.duplicate, 'the same message id is a duplicate');
        const other = await js.publish('syntropism.results.R.0', 'second', { msgID: 'R.0.later' }).then(() => 'stored', (error: Error) => error.message);
        assert.match(other, /maximum messages per subject/);
        await js.publish('syntropism.results.R.1', 'another point', { msgID: 'R.1' });
        assert.is(await storedResults(server, 'R'), 2);
      } finally {
        await nc.close();
      }
    }));

  test('a worker killed mid-item: its item goes to another after the ack wait, nothing lost or stored twice', () =>
    withServer(async (server, dir) => {
      const config = studyFile(dir, 40);
      const first = await worker(server);
      const queued = submit(server, dir, config, ['--queue-ack-wait', '2']);
      await until('the first worker to start an item', () => first.output().includes('started (delivery 1'));
      await stopped(first, 'SIGKILL');
      const second = await worker(server);
      assert.is(await queued.exited, 0, queued.output());
      assert.match(second.output(), /started \(delivery 2 of 3\)/);
      assert.is(readFileSync(join(dir, 'queued.csv'), 'utf8'), await localCsv(dir, config));
      assert.is(await storedResults(server, runIdOf(queued.output())!), 6);
    }));

  test('a submitter killed mid-run is resumed: what finished is collected, only what is missing queued again', () =>
    withServer(async (server, dir) => {
      const config = studyFile(dir, 20);
      const only = await worker(server);
      const queued = submit(server, dir, config);
      await until('a first result', () => /ran in/.test(only.output()));
      await stopped(queued, 'SIGKILL');
      await stopped(only);
      const runId = runIdOf(queued.output())!;
      // Items lost from the work stream (purged by an operator, say) are what a resume must queue again.
      const nc = await connect({ servers: server.url });
      await (await jetstreamManager(nc)).streams.purge(WORK_STREAM);
      await nc.close();
      const done = await storedResults(server, runId);
      assert.ok(done >= 1 && done < 6, `results before the resume: ${done}`);
      await worker(server);
      const resumed = tsx('harness/simulate.ts', ['--resume', runId, '--queue', server.url]);
      assert.is(await resumed.exited, 0, resumed.output());
      const summary = JSON.parse(resumed.output().split('\n').find((line) => line.startsWith('{'))!) as { queued: number };
      assert.is(summary.queued, 6 - done);
      assert.is(readFileSync(join(dir, 'queued.csv'), 'utf8'), await localCsv(dir, config));
      assert.is(await storedResults(server, runId), 6);
    }));

  test('a server restarted mid-run (file storage) loses nothing', () =>
    withServer(async (server, dir) => {
      const config = studyFile(dir, 20);
      const workers = await Promise.all([worker(server), worker(server)]);
      const queued = submit(server, dir, config);
      await until('a first result', () => workers.some((one) => /ran in/.test(one.output())));
      await server.stop();
      await pause(500);
      await server.start();
      assert.is(await queued.exited, 0, queued.output());
      assert.is(readFileSync(join(dir, 'queued.csv'), 'utf8'), await localCsv(dir, config));
      assert.is(await storedResults(server, runIdOf(queued.output())!), 6);
    }));

  test('a worker of another code version refuses the items, and the sweep stops with its reason', () =>
    withServer(async (server, dir) => {
      const stale = await worker(server, { SYNTROPISM_CODE_VERSION: 'an-older-checkout' });
      const queued = submit(server, dir, studyFile(dir, 2), ['--queue-ack-wait', '2']);
      assert.is(await queued.exited, 1, queued.output());
      assert.match(queued.output(), /sweep stopped: point \d: refused by worker \S+: the item was made by code version \w+, this worker runs an-older-checkout/);
      assert.match(stale.output(), /refused by worker/);
      assert.not.match(stale.output(), /started \(delivery/);
    }));

  test('bad input before anything is queued: a server that cannot be reached, one without JetStream, refused credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-'));
    try {
      const config = studyFile(dir, 2);
      const nobody = new Server(await freePort(), join(dir, 'none'));
      const unreachable = submit(nobody, dir, config);
      assert.is(await unreachable.exited, 2);
      assert.is(unreachable.output().trim(), `--queue ${nobody.url}: cannot reach the NATS server (connection refused)`);
      await withServer(async (server) => {
        const refused = submit(server, dir, config);
        assert.is(await refused.exited, 2);
        assert.is(refused.output().trim(), `--queue ${server.url}: the server has no JetStream (start it with nats-server -js -sd DIR)`);
      }, ['--no-js']);
      await withServer(
        async (server) => {
          const wrong = submit(server, dir, config, [], { NATS_USER: 'alice', NATS_PASSWORD: 'not-the-password' });
          assert.is(await wrong.exited, 2);
          assert.match(wrong.output().trim(), /^--queue nats:\/\/127\.0\.0\.1:\d+: the server refused the credentials \(see --queue-creds/);
          assert.not.match(wrong.output(), /not-the-password/);
          const inUrl = tsx('harness/worker.ts', ['--queue', server.url.replace('nats://', 'nats://alice:not-the-password@')]);
          assert.is(await inUrl.exited, 2);
          assert.not.match(inUrl.output(), /not-the-password/);
          const right = submit(server, dir, config, ['--queue-ack-wait', '1'], { NATS_USER: 'alice', NATS_PASSWORD: 'secret' });
          await until('the right credentials to be taken', () => runIdOf(right.output()) !== undefined);
        },
        ['--user', 'alice', '--pass', 'secret'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad input: a stream left by an older version, a run id the server does not know; nothing queued', () =>
    withServer(async (server, dir) => {
      const nc = await connect({ servers: server.url });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: WORK_STREAM, subjects: ['syntropism.work.>'], retention: RetentionPolicy.Workqueue, description: 'syntropism-queue/0 work items' });
        const old = submit(server, dir, studyFile(dir, 2));
        assert.is(await old.exited, 2);
        assert.match(old.output().trim(), /^--queue nats:\/\/127\.0\.0\.1:\d+: stream SYNTROPISM_WORK was left by another version of the harness \("syntropism-queue\/0 work items", expected "syntropism-queue\/1 work items"\)/);
        assert.is((await jsm.streams.info(WORK_STREAM)).state.messages, 0);
        await jsm.streams.delete(WORK_STREAM);
        const unknown = tsx('harness/simulate.ts', ['--resume', '20260101T000000Z-abcdef', '--queue', server.url]);
        assert.is(await unknown.exited, 2);
        assert.is(unknown.output().trim(), `--resume 20260101T000000Z-abcdef: ${server.url} has no such run (its results are kept 7 days)`);
      } finally {
        await nc.close();
      }
    }));
  /** A run log with what differs between two runs of the same samples taken out: the clock's readings, the run's id, the process that wrote it and the log folder. */
  const comparableLog = (file: string, logDir: string) =>
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.stringify(withoutTiming(JSON.parse(line) as { kind: string })))
      .join('\n')
      .replace(/"(run_id|traces)":"[^"]*"/g, '"$1":"…"')
      .replace(/"pid":\d+/g, '"pid":0')
      .replaceAll(JSON.stringify(logDir), '"LOG_DIR"');

  /** The events published under `prefix`, as they arrive. */
  async function liveEvents(server: Server, prefix: string) {
    const nc = await connect({ servers: server.url });
    const received: { subject: string; body: string; run?: string; sample?: string }[] = [];
    nc.subscribe(`${prefix}.>`, {
      callback: (error, msg) => {
        if (error === null) received.push({ subject: msg.subject, body: msg.string(), run: msg.headers?.get(RUN_HEADER), sample: msg.headers?.get(SAMPLE_HEADER) });
      },
    });
    await nc.flush();
    return { received, close: () => nc.close() };
  }

  /** The consumer's ack wait, in nanoseconds. */
  async function workersAckWait(server: Server): Promise<number> {
    const nc = await connect({ servers: server.url });
    try {
      return (await (await jetstreamManager(nc)).consumers.info(WORK_STREAM, WORKERS_CONSUMER)).config.ack_wait ?? 0;
    } finally {
      await nc.close();
    }
  }

  /** A harness command whose stdout and stderr are a terminal (util-linux's script gives it one), exit status kept. */
  const onTerminal = (args: readonly string[]) =>
    started('script', ['-qec', [process.execPath, '--import', 'tsx', ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' '), '/dev/null']);

  test('bad input to run.ts: an ack wait that is not a positive number, an events prefix that is not a subject, an events server that cannot be reached, or not the queue server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-'));
    const refused = async (extra: readonly string[], message: string) => {
      const refusing = tsx('harness/run.ts', [...EVALUATION, '--log-dir', dir, ...extra]);
      assert.is(await refusing.exited, 2, refusing.output());
      assert.is(refusing.output().trim(), message);
    };
    try {
      const nobody = `nats://127.0.0.1:${await freePort()}`;
      await refused(['--queue', nobody, '--queue-ack-wait', '0'], '--queue-ack-wait: expected a positive number, got 0');
      await refused(['--publish-events', `${nobody},live events`], '--publish-events: the prefix "live events" is not a NATS subject (tokens of letters, digits, _ and -, joined by dots)');
      await refused(['--publish-events', nobody], `--publish-events ${nobody}: cannot reach the NATS server (connection refused)`);
      await refused(['--publish-events', 'nats://127.0.0.1:1', '--queue', nobody], `--publish-events nats://127.0.0.1:1: with --queue the workers publish the events on the queue's server: give ${nobody}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const logOf = (output: string) => /^log: (\S+)$/m.exec(output)?.[1];

  const EVALUATION = ['--scenario', 'fc_001', '--scenario', 'er_001', '--epochs', '2', '--agent', 'exec:node examples/agents/agent.mjs', '--format', 'json'];

  test('an evaluation on two workers writes the log, traces and report a local run writes; the workers publish its events live', () =>
    withServer(async (server, dir) => {
      await Promise.all([worker(server), worker(server)]);
      const events = await liveEvents(server, 'live.queued');
      const [localDir, queuedDir] = [join(dir, 'local'), join(dir, 'queued')];
      const local = tsx('harness/run.ts', [...EVALUATION, '--log-dir', localDir]);
      const queued = tsx('harness/run.ts', [...EVALUATION, '--log-dir', queuedDir, '--queue', server.url, '--queue-ack-wait', '7', '--publish-events', `${server.url},live.queued`]);
      const [localStatus, queuedStatus] = await Promise.all([local.exited, queued.exited]);
      assert.equal([localStatus, queuedStatus], [1, 1], `${local.output()}\n${queued.output()}`);
      const report = (output: string) => output.split('\n').filter((line) => !line.startsWith('log: ')).join('\n');
      assert.is(report(queued.output()), report(local.output()));
      const [localLog, queuedLog] = [logOf(local.output())!, logOf(queued.output())!];
      assert.is(comparableLog(queuedLog, queuedDir), comparableLog(localLog, localDir));
      const traces = (log: string) => readFileSync(log.replace(/\.jsonl$/, '/fc_001.e2.jsonl'), 'utf8');
      assert.is(traces(queuedLog), traces(localLog));
      assert.not.match(readFileSync(queuedLog, 'utf8'), /--queue|nats:/);
      assert.is(await workersAckWait(server), 7 * 1e9, 'the submitter set its --queue-ack-wait on the workers');
      // Each sample's events, published by the worker that ran it, in the order and with the bytes of its trace.
      const samples = ['fc_001.e1', 'fc_001.e2', 'er_001.e1', 'er_001.e2'];
      const sampleTraces = samples.map((sample) => readFileSync(queuedLog.replace(/\.jsonl$/, `/${sample}.jsonl`), 'utf8').trimEnd().split('\n'));
      await until('every event of the samples', () => events.received.length >= sampleTraces.flat().length, 10_000);
      await events.close();
      for (const [index, sample] of samples.entries()) {
        const ofSample = events.received.filter((event) => event.sample === sample);
        assert.equal(ofSample.map(({ body }) => body), sampleTraces[index], sample);
        assert.ok(ofSample.every(({ run }) => run === basename(queuedLog, '.jsonl')));
      }
      assert.is(events.received.length, sampleTraces.flat().length);
    }));

  test('an evaluation whose submitter was killed is resumed from its log on the queue', () =>
    withServer(async (server, dir) => {
      const logDir = join(dir, 'logs');
      const only = await worker(server);
      const first = tsx('harness/run.ts', [...EVALUATION, '--log-dir', logDir, '--queue', server.url]);
      await until('a first sample done', () => /ran in/.test(only.output()));
      await stopped(first, 'SIGKILL');
      const log = logOf(first.output())!;
      // On a terminal, as a user sees it: the progress line names the workers whose runs came back.
      const resumed = onTerminal(['harness/run.ts', '--resume', log, '--format', 'json', '--queue', server.url]);
      assert.is(await resumed.exited, 1, resumed.output());
      assert.match(resumed.output(), /\r\x1b\[K\d\/\d done, \d passed, \d failed, \d+s elapsed, 1 worker seen, ETA \d+s/);
      const summary = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!) as { summary: { total: number } };
      assert.is(summary.summary.total, 4);
      const runs = only.output().match(/started \(delivery 1/g) ?? [];
      assert.is(runs.length, 4, only.output());
    }));
  test('--publish-events: each event of a run, as it is recorded, on PREFIX.<event type>, in the order and with the bytes of its trace', () =>
    withServer(async (server, dir) => {
      const { received, close } = await liveEvents(server, 'live.test');
      try {
        const logDir = join(dir, 'logs');
        const run = tsx('harness/run.ts', ['--scenario', 'fc_001', '--log-dir', logDir, '--trace-dir', join(dir, 'traces'), '--format', 'json', '--publish-events', `${server.url},live.test`]);
        assert.is(await run.exited, 0, run.output());
        const trace = readFileSync(join(dir, 'traces', 'fc_001.jsonl'), 'utf8').trimEnd().split('\n');
        await until('every event of the trace', () => received.length >= trace.length, 10_000);
        assert.equal(received.map(({ body }) => body), trace);
        assert.equal(received.map(({ subject }) => subject), trace.map((line) => `live.test.${(JSON.parse(line) as { type: string }).type}`));
        const log = logOf(run.output())!;
        assert.ok(received.every(({ run, sample }) => run === basename(log, '.jsonl') && sample === 'fc_001.e1'), JSON.stringify(received[0]));
        assert.not.match(readFileSync(log, 'utf8'), /publish-events|nats:/);
      } finally {
        await close();
      }
    }));
} else {
  test('nats-server is installed (apt-get install nats-server; .ci/run does it)', () => {
    assert.unreachable('nats-server is missing: the queue tests need it');
  });
}

test.run();
