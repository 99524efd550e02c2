import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as t from 'io-ts';
import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/decode';
import { parseJsonText } from '../scenarios/json-file';

/**
 * Runs agent code in a child Node process, so that code which loops forever, exhausts memory or crashes
 * ends as a failed execution with a reason while the run goes on. The engine's world is synchronous,
 * hence `spawnSync`. The child calls one exported function of a trusted task file (the test runner, the
 * trials runner), which imports the agent's modules.
 *
 * Limits and isolation:
 * - time: the child is killed after `time_limit_ms` → `timeout after N ms`;
 * - memory: V8's old-space heap is capped at `memory_limit_mb` → `memory limit of N MB exceeded`.
 *   Memory outside the V8 heap (large Buffers and ArrayBuffers) is not counted;
 * - Node's permission model: the child may read only the runner's folder and the paths it is given, and
 *   may not write files, start processes or workers; it gets no environment variables, so the harness's
 *   secrets (the judge's API key) stay out of reach. This keeps honest agent code from damaging the run;
 *   it is not a security boundary against hostile code (the network, for one, stays open).
 */

export interface SandboxLimits {
  readonly time_limit_ms: number;
  readonly memory_limit_mb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { time_limit_ms: 10_000, memory_limit_mb: 256 };

export interface SandboxCall {
  /** A trusted `.mjs` file, and the name of the function it exports that the child calls with `argument`. */
  readonly file: string;
  readonly export: string;
  /** Passed to the function as JSON. */
  readonly argument: unknown;
  /** Files and folders the child may read besides the runner's folder (the agent's modules, suites, workloads). */
  readonly readable: readonly string[];
}

const RUNNER_FOLDER = fileURLToPath(new URL('.', import.meta.url));
const RUNNER = fileURLToPath(new URL('./sandbox-runner.mjs', import.meta.url));
/** The runner answers on this descriptor (see sandbox-runner.mjs); stdout is left to agent code and ignored. */
const ANSWER_FD = 3;
const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;
const HEAP_EXHAUSTED = /JavaScript heap out of memory|Reached heap limit/;
/** Node 20 names the permission model's switch `--experimental-permission`; later versions `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

const Answer = t.union([
  t.type({ ok: t.literal(true), value: t.unknown }),
  t.type({ ok: t.literal(false), error: t.string }),
]);

function nodeArguments(call: SandboxCall, limits: SandboxLimits): string[] {
  // Node 20 aborts at start-up when a path is allowed twice.
  const readable = new Set([RUNNER_FOLDER, call.file, ...call.readable].map((path) => resolve(path)));
  return [
    `--max-old-space-size=${limits.memory_limit_mb}`,
    PERMISSION_FLAG,
    ...[...readable].map((path) => `--allow-fs-read=${path}`),
    '--no-warnings',
    RUNNER,
  ];
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines[lines.length - 1] ?? '(no output)';
}

/**
 * Calls `call.export(call.argument)` in a sandboxed child and decodes what it returns with `codec`.
 * Left with the reason when the call did not complete: a limit was hit, the function threw (its message),
 * the process ended without answering, or the answer does not have the expected shape.
 */
export function runSandboxed<A>(
  call: SandboxCall,
  codec: t.Decoder<unknown, A>,
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): Either<string, A> {
  const child = spawnSync(process.execPath, nodeArguments(call, limits), {
    input: JSON.stringify({ file: call.file, export: call.export, argument: call.argument }),
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    timeout: limits.time_limit_ms,
    killSignal: 'SIGKILL',
    maxBuffer: OUTPUT_LIMIT_BYTES,
    env: {},
  });
  if ((child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return left(`timeout after ${limits.time_limit_ms} ms`);
  if (child.error !== undefined) return left(`the sandboxed process failed: ${child.error.message}`);
  const answerText = child.output[ANSWER_FD]?.toString() ?? '';
  if (answerText === '') {
    const stderr = child.stderr?.toString() ?? '';
    if (HEAP_EXHAUSTED.test(stderr)) return left(`memory limit of ${limits.memory_limit_mb} MB exceeded`);
    const ending = child.signal === null ? `exit code ${child.status}` : `signal ${child.signal}`;
    return left(`the sandboxed process ended (${ending}) without answering: ${lastLine(stderr)}`);
  }
  const parsed = parseJsonText(answerText);
  if (isLeft(parsed)) return left(`the sandbox runner's answer is not JSON: ${parsed.left}`);
  const answer = decodeWith(Answer, parsed.right);
  if (isLeft(answer)) return left(`the sandbox runner answered unexpectedly: ${answer.left.map(formatIssue).join('; ')}`);
  if (!answer.right.ok) return left(answer.right.error);
  const value = decodeWith(codec, answer.right.value, '$.value');
  return isLeft(value)
    ? left(`${call.export} in ${call.file} answered unexpectedly: ${value.left.map(formatIssue).join('; ')}`)
    : value;
}
