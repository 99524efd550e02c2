import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as t from 'io-ts';
import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import type { SandboxIsolation } from '../../domain/economy/events';
import { parseJsonText } from '../files';

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
 *   secrets (the judge's API key) stay out of reach;
 * - the network: where the platform allows it (util-linux `unshare --net`, as root or through a user
 *   namespace), the child runs in a network namespace of its own, which has only a loopback interface that is
 *   down, so every connection fails, to 127.0.0.1 too. Elsewhere only the permission model applies, and on
 *   Node versions without `--allow-net` in it the network stays open. `sandboxIsolation()` says which.
 * This keeps honest agent code from damaging the run; it is not a hardened boundary against hostile code.
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

/**
 * `network-namespace`: the permission model inside a network namespace of the child's own;
 * `permission-model`: Node's permission model alone (the fallback).
 */
interface Launcher {
  readonly isolation: SandboxIsolation;
  readonly command: string;
  /** Put before Node's own arguments. */
  readonly prefix: readonly string[];
}

const PERMISSION_MODEL: Launcher = { isolation: 'permission-model', command: process.execPath, prefix: [] };

/** `unshare` on the harness's PATH; the child gets no environment, so it is called by its full path. */
function unshareOnPath(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(folder, 'unshare');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The first way to start the child in a network namespace that works here: plain `unshare --net` (root),
 * then through a user namespace mapped to root (an unprivileged user, where the kernel allows it).
 * `unshare` execs the command without forking, so the time limit's SIGKILL and the exit status reach Node itself.
 */
function probeLauncher(): Launcher {
  const unshare = unshareOnPath();
  if (unshare === undefined) return PERMISSION_MODEL;
  for (const flags of [['--net'], ['--net', '--map-root-user']]) {
    const probe = spawnSync(unshare, [...flags, '--', process.execPath, '--version'], { stdio: 'ignore', timeout: 5_000, env: {} });
    if (probe.status === 0) return { isolation: 'network-namespace', command: unshare, prefix: [...flags, '--', process.execPath] };
  }
  return PERMISSION_MODEL;
}

let launcher: Launcher | undefined;

/** Probed once per process, so that every sandboxed run of a trace is isolated alike. */
function sandboxLauncher(): Launcher {
  launcher ??= probeLauncher();
  return launcher;
}

/** How the sandbox isolates agent code on this machine (the same for every call in this process). */
export function sandboxIsolation(): SandboxIsolation {
  return sandboxLauncher().isolation;
}

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
 * the process ended without answering, or the answer does not have the expected shape. `isolation` defaults to
 * the strongest this machine offers; the permission model alone can be asked for (the fallback's tests do).
 */
export function runSandboxed<A>(
  call: SandboxCall,
  codec: t.Decoder<unknown, A>,
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
  isolation: SandboxIsolation = sandboxIsolation(),
): Either<string, A> {
  const { command, prefix, isolation: available } = isolation === 'permission-model' ? PERMISSION_MODEL : sandboxLauncher();
  if (available !== isolation) return left(`the sandbox cannot isolate by ${isolation} here, only by ${available}`);
  const child = spawnSync(command, [...prefix, ...nodeArguments(call, limits)], {
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
