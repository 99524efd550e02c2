import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * An agent under test running as a process of its own. It is started through no shell, in a process
 * group of its own, so that stopping it also stops whatever it started. Its stderr is kept: the last
 * lines for a verdict, all of it for a file beside the trace. A process still running when the run
 * ends gets a grace period to exit and is then killed; Ctrl-C or a termination signal kills every
 * live agent process before the harness exits, so no agent outlives a run.
 */

export interface AgentCommand {
  /** The program and its arguments, already split into words. */
  readonly words: readonly string[];
  /** Added to the harness's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number | undefined;
  /** Settles once the process is gone: its exit code, or the signal that ended it, or why it never started. */
  readonly exited: Promise<ProcessEnd>;
  /** Whether the process has exited (or never started). */
  hasExited(): boolean;
  /** The last `count` lines of its stderr. */
  stderrTail(count?: number): string[];
  /** Everything it wrote to stderr. */
  stderr(): string;
  /** Waits up to `graceMs` for the process to exit on its own, then kills its process group; settles when it is gone. */
  stop(graceMs: number): Promise<ProcessEnd>;
}

export type ProcessEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'not_started'; readonly reason: string };

export const STDERR_TAIL_LINES = 20;
/** Stderr kept in memory, from its end; an agent that logs without bound must not exhaust the harness. */
const STDERR_LIMIT = 1_000_000;

const live = new Set<AgentProcess>();
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/**
 * An interrupted run kills its agent processes. Installed only while one lives, so that it changes
 * nothing else; when no other part of the harness listens for the signal, it then exits as Node would.
 */
function onSignal(signal: keyof typeof SIGNAL_EXIT_CODES): void {
  for (const agent of live) killGroup(agent.child);
  if (process.listenerCount(signal) === 1) process.exit(SIGNAL_EXIT_CODES[signal]);
}

function track(agent: AgentProcess): void {
  if (live.size === 0) for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, onSignal);
  live.add(agent);
}

function untrack(agent: AgentProcess): void {
  if (!live.delete(agent) || live.size > 0) return;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
}

/** How a process ended, for a fault's reason: `exit code 3`, `signal SIGKILL`, or why it never started. */
export function describeEnd(end: ProcessEnd): string {
  if (end.kind === 'not_started') return end.reason;
  return end.code !== null ? `exit code ${end.code}` : `signal ${end.signal}`;
}

export function startAgentProcess(command: AgentCommand): AgentProcess {
  const [program, ...args] = command.words;
  const child = spawn(program!, args, {
    cwd: command.cwd ?? process.cwd(),
    env: { ...process.env, ...command.env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  // A write to an agent that already exited fails; its exit is reported where it matters.
  child.stdin.on('error', () => undefined);
  let ended: ProcessEnd | undefined;
  const exited = new Promise<ProcessEnd>((resolve) => {
    const end = (result: ProcessEnd) => {
      if (ended !== undefined) return;
      ended = result;
      untrack(agent);
      resolve(result);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // `error` also reports a failed kill or write of a running process; only a missing pid means it never started.
      if (child.pid === undefined) end({ kind: 'not_started', reason: `cannot start ${JSON.stringify(program)}: ${error.code ?? error.message}` });
    });
    // What it started in its group goes with it, and takes the pipes it may hold open along.
    child.once('exit', () => killGroup(child));
    // `close` comes once the pipes are drained too, so every line it wrote has been read.
    child.once('close', (code, signal) => end({ kind: 'exited', code, signal }));
  });

  const agent: AgentProcess = {
    child,
    pid: child.pid,
    exited,
    hasExited: () => ended !== undefined,
    stderrTail: (count = STDERR_TAIL_LINES) => stderr.split('\n').filter((line) => line.trim() !== '').slice(-count),
    stderr: () => stderr,
    async stop(graceMs) {
      if (ended !== undefined) return ended;
      child.stdin.end();
      const timer = setTimeout(() => killGroup(child), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  if (child.pid !== undefined) track(agent);
  return agent;
}
