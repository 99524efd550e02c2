import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { summarisePassK } from '../../domain/benchmark/pass-k';
import { addUsage, NO_USAGE, type ChatEntry } from '../agents';
import { readStoredTrace, compareLogs, readRunLog, type RunLog, type SampleLine } from '../evaluation';
import type { DomainEvent } from '../../domain/economy/events';
import { stderrFileOf } from '../replay';
import { readText } from '../files';
import { AGENT_UNDER_TEST } from '../../domain/benchmark/scenario';
import { balancesByCycle, citedEvents, cycleOf } from '../report';
import type { CompareView, FailedCalls, RunEntry, RunStatus, RunView, SampleView } from './viewer-data';

/**
 * The viewer's views of run logs: a run's entry in the list, the run with its samples, one sample
 * with its trace, transcript, citations and balances, and runs compared. A folder of logs is read
 * again only where a log changed, so that a page polling a running log costs one read of that log.
 */

/** A log written by a run that has not said for a while that it is alive is taken for interrupted. */
const QUIET_MS = 60_000;

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function statusOf(log: RunLog, modifiedMs: number, nowMs: number): RunStatus {
  if (log.summary !== undefined) return 'finished';
  if (log.run.pid !== undefined) return alive(log.run.pid) ? 'running' : 'interrupted';
  return nowMs - modifiedMs < QUIET_MS ? 'running' : 'interrupted';
}

/** When the run ended as its summary line records it; else its log's last write, or now while it runs. */
function endMs(log: RunLog, status: RunStatus, modifiedMs: number, nowMs: number): number {
  if (log.summary?.ended_at !== undefined) return Date.parse(log.summary.ended_at);
  return status === 'running' ? nowMs : modifiedMs;
}

export function runEntryOf(log: RunLog, modifiedMs: number, nowMs: number): RunEntry {
  const { run, samples } = log;
  const status = statusOf(log, modifiedMs, nowMs);
  const costs = samples.flatMap((sample) => (sample.verdict.cost_usd === undefined ? [] : [sample.verdict.cost_usd]));
  const planned = run.scenarios.length * run.epochs;
  const passK = samples.length === planned && planned > 0 ? summarisePassK(samples.map(resultOf), run.epochs) : undefined;
  return {
    id: run.run_id,
    file: log.file,
    run,
    status,
    done: samples.length,
    planned,
    passed: samples.filter((sample) => sample.verdict.passed).length,
    usage: samples.reduce((sum, sample) => addUsage(sum, sample.verdict.usage), NO_USAGE),
    ...(costs.length === 0 ? {} : { cost_usd: Math.round(costs.reduce((a, b) => a + b, 0) * 1_000_000) / 1_000_000 }),
    ...(log.summary?.ended_at === undefined ? {} : { ended_at: log.summary.ended_at }),
    duration_ms: Math.max(0, endMs(log, status, modifiedMs, nowMs) - Date.parse(run.started_at)),
    ...(passK === undefined || isLeft(passK) ? {} : { pass_hat_k: passK.right.overall.pass_hat_k[String(run.epochs)] }),
  };
}

const resultOf = ({ verdict: { id, domain, epoch, passed, judge_score } }: RunLog['samples'][number]) => ({ id, domain, epoch, passed, judge_score });

/** A model's refused tool calls, grouped by tool and reason, from the results it was sent. */
export function failedCallsOf(messages: readonly ChatEntry[]): FailedCalls[] {
  const names = new Map<string, string>();
  for (const message of messages) if (message.role === 'assistant') for (const call of message.tool_calls ?? []) names.set(call.id, call.name);
  const groups = new Map<string, FailedCalls>();
  for (const message of messages) {
    if (message.role !== 'tool') continue;
    let result: { result?: unknown; reason?: unknown };
    try {
      result = JSON.parse(message.content) as typeof result;
    } catch {
      continue;
    }
    if (result?.result !== 'failure' || typeof result.reason !== 'string') continue;
    const tool = names.get(message.tool_call_id) ?? '?';
    const key = `${tool}\n${result.reason}`;
    const group = groups.get(key);
    groups.set(key, { tool, reason: result.reason, count: (group?.count ?? 0) + 1 });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function runViewOf(log: RunLog, entry: RunEntry): RunView {
  const samples = log.samples.map((sample, index) => {
    const { transcript, ...line } = sample;
    const failing = sample.verdict.checks.find((check) => !check.passed);
    const failed = transcript?.kind === 'chat' ? failedCallsOf(transcript.messages) : [];
    return { index, line, ...(failing === undefined ? {} : { first_failure: { name: failing.name, detail: failing.detail } }), ...(failed.length === 0 ? {} : { failed_calls: failed }) };
  });
  const passK = log.samples.length === 0 ? undefined : summarisePassK(log.samples.map(resultOf));
  return { entry, samples, ...(passK === undefined || isLeft(passK) ? {} : { pass_k: passK.right }) };
}

/** A run as the viewer reads it: its log, its entry in the list, and its samples' traces and stderr. */
export interface StoredRun {
  readonly log: RunLog;
  readonly entry: RunEntry;
  trace(line: SampleLine): Either<string, readonly DomainEvent[]>;
  stderr(line: SampleLine): string | undefined;
}

/** A run whose log and traces are on disk, the traces in the folder its run line names. */
export function storedRunOf(log: RunLog, modifiedMs: number, nowMs: number): StoredRun {
  const traces = join(dirname(log.file), log.run.traces);
  return {
    log,
    entry: runEntryOf(log, modifiedMs, nowMs),
    trace: (line) => readStoredTrace(traces, line),
    stderr: (line) => {
      const read = readText(stderrFileOf(join(traces, line.trace.file)));
      return isLeft(read) ? undefined : read.right;
    },
  };
}

export function sampleViewOf(run: StoredRun, index: number): Either<string, SampleView> {
  const line = run.log.samples[index];
  if (line === undefined) return left(`${run.log.file}: no sample ${index} (the log has ${run.log.samples.length})`);
  const stored = run.trace(line);
  const trace = isLeft(stored) ? [] : stored.right;
  const stderr = run.stderr(line);
  const citations = Object.fromEntries([...citedEvents(line.verdict.checks, trace)].map(([position, cited]) => [String(position), cited]));
  return right({
    run: run.entry,
    index,
    line,
    trace,
    ...(isLeft(stored) ? { trace_problem: stored.left } : {}),
    cycles: trace.map(cycleOf),
    citations,
    balances: balancesByCycle(trace),
    agent_under_test: AGENT_UNDER_TEST,
    ...(stderr === undefined ? {} : { stderr }),
  });
}

export function compareViewOf(logs: readonly RunLog[], entries: readonly RunEntry[]): Either<string, CompareView> {
  const compared = compareLogs(logs);
  if (isLeft(compared)) return compared;
  const cells = new Map<string, { id: string; domain: string; byRun: Record<string, { passed: number; n: number; tokens: number }> }>();
  for (const log of logs) {
    for (const sample of log.samples) {
      const cell = cells.get(sample.verdict.id) ?? { id: sample.verdict.id, domain: sample.verdict.domain, byRun: {} };
      const counts = cell.byRun[log.run.run_id] ?? { passed: 0, n: 0, tokens: 0 };
      cell.byRun[log.run.run_id] = { passed: counts.passed + (sample.verdict.passed ? 1 : 0), n: counts.n + 1, tokens: counts.tokens + sample.verdict.usage.total_tokens };
      cells.set(sample.verdict.id, cell);
    }
  }
  return right({ runs: entries, cells: [...cells.values()], pairs: compared.right.pairs });
}

interface Cached {
  readonly mtimeMs: number;
  readonly size: number;
  readonly log: Either<string, RunLog>;
}

/** The logs of a folder (every `*.jsonl` directly in it whose first line is a run line), or one log. */
export class LogSource {
  private readonly cache = new Map<string, Cached>();

  constructor(readonly path: string) {}

  private files(): string[] {
    if (!statSync(this.path).isDirectory()) return [this.path];
    return readdirSync(this.path)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => join(this.path, name));
  }

  /** The log in `file` as it is now, read again only when it changed. */
  read(file: string): Either<string, { log: RunLog; modifiedMs: number }> {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return left(`${file}: no such log`);
    }
    const cached = this.cache.get(file);
    if (cached !== undefined && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
      return isLeft(cached.log) ? cached.log : right({ log: cached.log.right, modifiedMs: stat.mtimeMs });
    }
    const log = readRunLog(file);
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, log });
    return isLeft(log) ? log : right({ log: log.right, modifiedMs: stat.mtimeMs });
  }

  /** Every readable log, newest first, and the problems of the files that are not logs. */
  all(nowMs: number): { readonly logs: StoredRun[]; readonly problems: string[] } {
    const logs: StoredRun[] = [];
    const problems: string[] = [];
    for (const file of this.files()) {
      const read = this.read(file);
      if (isLeft(read)) problems.push(read.left);
      else logs.push(storedRunOf(read.right.log, read.right.modifiedMs, nowMs));
    }
    logs.sort((a, b) => b.log.run.started_at.localeCompare(a.log.run.started_at) || b.entry.id.localeCompare(a.entry.id));
    return { logs, problems };
  }

  find(runId: string, nowMs: number): StoredRun | undefined {
    return this.all(nowMs).logs.find(({ entry }) => entry.id === runId);
  }
}
