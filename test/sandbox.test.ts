import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as t from 'io-ts';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSandboxed, type SandboxLimits } from '../harness/self-improvement/sandbox';

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

test.run();
