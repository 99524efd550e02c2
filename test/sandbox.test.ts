import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import * as t from 'io-ts';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSandboxed, sandboxIsolation, type SandboxLimits } from '../harness/self-improvement/sandbox';

const folder = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
test.after(() => rmSync(folder, { recursive: true, force: true }));

const QUICK: SandboxLimits = { time_limit_ms: 3_000, memory_limit_mb: 64 };

/** Writes a task file exporting `run(argument)` with the given body and calls it in the sandbox. */
function runTask<A>(name: string, body: string, codec: t.Decoder<unknown, A>, argument: unknown = null, limits = QUICK): Either<string, A> {
  const file = join(folder, `${name}.mjs`);
  writeFileSync(file, `export async function run(argument) {\n${body}\n}\n`);
  return runSandboxed({ file, export: 'run', argument, readable: [] }, codec, limits);
}

function reasonOf<A>(result: Either<string, A>): string {
  if (!isLeft(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`);
  return result.left;
}

test('the exported function is called with the argument and its result is decoded', () => {
  const result = runTask('double', 'return { doubled: argument.n * 2 };', t.type({ doubled: t.number }), { n: 21 });
  assert.equal(result, { _tag: 'Right', right: { doubled: 42 } });
});

test('a result of the wrong shape is a failure naming the path and what was expected', () => {
  const reason = reasonOf(runTask('shape', 'return { doubled: "42" };', t.type({ doubled: t.number })));
  assert.match(reason, '$.value.doubled: expected number');
});

test('an infinite loop ends as a failed execution when the time limit is reached', () => {
  const reason = reasonOf(runTask('loop', 'while (true) {}', t.unknown, null, { time_limit_ms: 500, memory_limit_mb: 64 }));
  assert.is(reason, 'timeout after 500 ms');
});

test('a runaway allocation ends as a failed execution when the memory limit is reached', () => {
  const body = 'const hoard = []; while (true) hoard.push(new Array(100_000).fill(hoard.length));';
  const reason = reasonOf(runTask('hoard', body, t.unknown, null, { time_limit_ms: 20_000, memory_limit_mb: 48 }));
  assert.is(reason, 'memory limit of 48 MB exceeded');
});

test('a thrown error is a failed execution with its message', () => {
  const reason = reasonOf(runTask('throws', 'throw new RangeError("bad input");', t.unknown));
  assert.is(reason, 'RangeError: bad input');
});

test('a process that exits without answering is a failed execution saying so', () => {
  const reason = reasonOf(runTask('exits', 'process.exit(3);', t.unknown));
  assert.match(reason, 'ended (exit code 3) without answering');
});

test('output printed by agent code does not disturb the answer', () => {
  const result = runTask('chatty', 'console.log("{not json"); console.error("noise"); return 7;', t.number);
  assert.equal(result, { _tag: 'Right', right: 7 });
});

test('a timer left running does not keep the sandbox alive after it answered', () => {
  const result = runTask('timer', 'setInterval(() => {}, 10); return "done";', t.string, null, { time_limit_ms: 5_000, memory_limit_mb: 64 });
  assert.ok(isRight(result));
});

test('agent code may not write files, start processes or read the harness environment', () => {
  const target = join(folder, 'written.txt');
  const body = `
    const { writeFileSync } = await import('node:fs');
    const attempt = (action) => { try { action(); return 'allowed'; } catch (error) { return error.code; } };
    const { execSync } = await import('node:child_process');
    return {
      write: attempt(() => writeFileSync(argument, 'x')),
      spawn: attempt(() => execSync('true')),
      environment: Object.keys(process.env).length,
    };`;
  const result = runTask('escape', body, t.type({ write: t.string, spawn: t.string, environment: t.number }), target);
  assert.equal(result, { _tag: 'Right', right: { write: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', environment: 0 } });
  assert.not.ok(existsSync(target));
});

test('agent code may read only the paths it is given', () => {
  const secret = join(folder, 'secret.txt');
  writeFileSync(secret, 'the judge key');
  writeFileSync(join(folder, 'reader.mjs'), `export async function run(file) {
    const { readFileSync } = await import('node:fs');
    try { return readFileSync(file, 'utf8'); } catch (error) { return error.code; }
  }\n`);
  const read = (readable: string[]) =>
    runSandboxed({ file: join(folder, 'reader.mjs'), export: 'run', argument: secret, readable }, t.string, QUICK);
  assert.equal(read([]), { _tag: 'Right', right: 'ERR_ACCESS_DENIED' });
  assert.equal(read([secret]), { _tag: 'Right', right: 'the judge key' });
  assert.equal(read([secret, join(folder, '.', 'secret.txt')]), { _tag: 'Right', right: 'the judge key' }, 'a path given twice');
});

/** Answers `connected`, or the error code of the attempt to open a TCP connection to 127.0.0.1:`port`. */
const CONNECTOR = `export async function run(port) {
  const { connect } = await import('node:net');
  return await new Promise((resolve) => {
    try {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => { socket.destroy(); resolve('connected'); });
      socket.once('error', (error) => resolve(error.code ?? error.message));
      socket.setTimeout(2000, () => { socket.destroy(); resolve('timed out'); });
    } catch (error) {
      resolve(error.code ?? error.message);
    }
  });
}
`;

/** Runs `attempt` with the port of a TCP server listening on 127.0.0.1, and closes the server. */
async function withListener<A>(attempt: (port: number) => Promise<A>): Promise<A> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await attempt((server.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const connector = join(folder, 'connector.mjs');
writeFileSync(connector, CONNECTOR);
const connectSandboxed = (port: number, isolation = sandboxIsolation()) =>
  runSandboxed({ file: connector, export: 'run', argument: port, readable: [] }, t.string, QUICK, isolation);

/** Node's permission model governs sockets only in versions that have `--allow-net`. */
const PERMISSION_MODEL_BLOCKS_NETWORK = process.allowedNodeEnvironmentFlags.has('--allow-net');

test('outside the sandbox the connecting module reaches the server on 127.0.0.1', async () => {
  const { run } = (await import(pathToFileURL(connector).href)) as { run: (port: number) => Promise<string> };
  assert.is(await withListener(run), 'connected');
});

if (sandboxIsolation() === 'permission-model' && !PERMISSION_MODEL_BLOCKS_NETWORK) {
  const reason = `network namespaces are unavailable here and Node ${process.version}'s permission model has no --allow-net`;
  console.warn(`sandbox.test.ts: skipped "agent code cannot open a connection": ${reason}`);
  test.skip(`agent code cannot open a connection, even to 127.0.0.1 (${reason})`, () => {});
} else {
  test('agent code cannot open a connection, even to 127.0.0.1', async () => {
    const result = await withListener(async (port) => connectSandboxed(port));
    assert.ok(isRight(result), JSON.stringify(result));
    assert.is.not(result.right, 'connected');
    assert.match(result.right, /^E[A-Z_]+$/, 'an error code');
  });
}

test('as root with unshare at hand, the sandbox isolates by network namespace', () => {
  const unshareWorks = spawnSync('unshare', ['--net', 'true']).status === 0;
  if (process.getuid?.() === 0 && unshareWorks) assert.is(sandboxIsolation(), 'network-namespace');
  else assert.ok(['network-namespace', 'permission-model'].includes(sandboxIsolation()));
});

test('the fallback, the permission model alone, still runs agent code and still confines it', async () => {
  const triple = join(folder, 'triple.mjs');
  writeFileSync(triple, 'export function run(n) { return n * 3; }\n');
  assert.equal(runSandboxed({ file: triple, export: 'run', argument: 4, readable: [] }, t.number, QUICK, 'permission-model'), { _tag: 'Right', right: 12 });
  // Says what the fallback leaves open, so that a run recording `permission-model` is read for what it is.
  const result = await withListener(async (port) => connectSandboxed(port, 'permission-model'));
  assert.ok(isRight(result), JSON.stringify(result));
  assert.is(result.right === 'connected', !PERMISSION_MODEL_BLOCKS_NETWORK);
});

test.run();
