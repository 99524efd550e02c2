import * as t from 'io-ts';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';
import { Transcript, Usage } from '../agents';
import { VisitedStates } from '../replay';
import { RunSummary } from '../report';
import { ScenarioVerdict } from '../validate';
import { parseJsonText, readText } from '../files';

/**
 * A run's log: JSON Lines, one compact object a line. First a `run` line with everything needed to
 * repeat the run, then a `sample` line per finished scenario run (written and flushed as it
 * finishes, so that a killed run loses only the runs in flight), last a `summary` line. A torn last
 * line (a run killed mid-write) is ignored on reading; any other bad line is bad input naming the
 * file and the line.
 */

const Hashed = t.type({ file: t.string, sha256: t.string });

export const RunLine = t.intersection([
  t.type({
    kind: t.literal('run'),
    run_id: t.string,
    /** When the run started (the only clock reading of a run; never in a trace). */
    started_at: t.string,
    /** The command line (after `run.ts`) and the folder it was given in: `--resume` repeats them. */
    args: t.array(t.string),
    cwd: t.string,
    agent: t.string,
    seed: t.number,
    epochs: t.number,
    judge: t.string,
    scripts: t.string,
    scenarios: t.array(t.intersection([t.type({ id: t.string, domain: t.string }), Hashed])),
    /** The folder of the traces, relative to the log's folder. */
    traces: t.string,
    versions: t.intersection([t.type({ project: t.string, node: t.string, xstate: t.string }), t.partial({ git_commit: t.string })]),
  }),
  t.partial({
    model: t.string,
    /** The host of AGENT_BASE_URL: where the model ran, without a path that might carry a secret. */
    base_url_host: t.string,
    temperature: t.number,
    script: Hashed,
    /** For a re-scored log: the log whose traces were re-scored. */
    rescored_from: t.string,
    /** The process writing the log: while it lives and the log has no summary, the run is running. */
    pid: t.number,
  }),
]);
export type RunLine = t.TypeOf<typeof RunLine>;


export const SampleLine = t.intersection([
  t.type({
    kind: t.literal('sample'),
    /** The verdict as the run made it, whole, in the verdict's one codec: a sample's always names its epoch, seed and usage. */
    verdict: t.intersection([ScenarioVerdict, t.type({ epoch: t.number, seed: t.number, usage: Usage })]),
    /** The trace, in the run's trace folder, with the sha256 of its bytes. */
    trace: t.type({ file: t.string, sha256: t.string, events: t.number }),
  }),
  t.partial({
    /** How long the sample's run took by the wall clock, in ms (never in its trace); absent for a checked trace, which has no run. */
    duration_ms: t.number,
    /** What the agent under test was told and answered (absent for a script): the viewer's transcript. */
    transcript: Transcript,
    /** The states of the agent under test's machines (orchestrator, scheduler, agent) the run went through, by machine. */
    visited_states: VisitedStates,
  }),
]);
export type SampleLine = t.TypeOf<typeof SampleLine>;

export const SummaryLine = t.intersection([
  t.type({ kind: t.literal('summary'), summary: RunSummary }),
  /** When the run ended (a clock reading, like the run line's `started_at`). */
  t.partial({ ended_at: t.string }),
]);
export type SummaryLine = t.TypeOf<typeof SummaryLine>;

const LogLine = t.union([RunLine, SampleLine, SummaryLine]);

/** The fields of each kind of line that read the wall clock: two runs of the same samples differ only in these (and in where and by whom they ran). */
const TIMING_FIELDS = { run: ['started_at'], sample: ['duration_ms'], summary: ['ended_at'] } as const;

/** A log line without its clock readings, for comparing the logs of runs that must be the same. */
export function withoutTiming<Line extends { readonly kind: string }>(line: Line): Partial<Line> {
  const timing: readonly string[] = TIMING_FIELDS[line.kind as keyof typeof TIMING_FIELDS] ?? [];
  return Object.fromEntries(Object.entries(line).filter(([field]) => !timing.includes(field))) as Partial<Line>;
}

export interface RunLog {
  readonly file: string;
  readonly run: RunLine;
  readonly samples: readonly SampleLine[];
  readonly summary?: SummaryLine;
  /** The bytes up to the end of the last whole line: an append starts here, cutting a torn line off. */
  readonly wholeBytes: number;
}

function decodeLine(file: string, number: number, text: string): Either<string, t.TypeOf<typeof LogLine>> {
  const parsed = parseJsonText(text);
  if (isLeft(parsed)) return left(`${file}:${number}: ${parsed.left}`);
  const json = parsed.right;
  const kind = (json as { kind?: unknown } | null)?.kind;
  const codec = kind === 'run' ? RunLine : kind === 'sample' ? SampleLine : kind === 'summary' ? SummaryLine : undefined;
  if (codec === undefined) return left(`${file}:${number}: $.kind: expected "run", "sample" or "summary", got ${JSON.stringify(kind) ?? 'nothing'}`);
  if (kind === 'sample' && (json as { replay_checks?: unknown }).replay_checks !== undefined) {
    return left(`${file}:${number}: a sample line of an older log (its verdict spread over the line): expected the verdict whole under "verdict"; score or view it with the version that wrote it (its run line names it)`);
  }
  const decoded = decodeWith(codec as t.Decoder<unknown, t.TypeOf<typeof LogLine>>, json);
  return isLeft(decoded) ? left(`${file}:${number}: ${decoded.left.map(formatIssue).join('; ')}`) : right(decoded.right);
}

/**
 * A JSON Lines log's whole lines, and how many bytes they take: the text after the last newline is a line cut short
 * by a kill, or nothing, which a resumed writer overwrites from `wholeBytes`.
 */
export function readLogLines(file: string): Either<string, { readonly lines: string[]; readonly torn: string; readonly wholeBytes: number }> {
  const read = readText(file, 'the log');
  if (isLeft(read)) return left(`${file}: ${read.left}`);
  const text = read.right;
  const lines = text.split('\n');
  const torn = lines.pop()!;
  return right({ lines, torn, wholeBytes: Buffer.byteLength(text) - Buffer.byteLength(torn) });
}

export function readRunLog(file: string): Either<string, RunLog> {
  const read = readLogLines(file);
  if (isLeft(read)) return read;
  const { lines, torn, wholeBytes } = read.right;
  let run: RunLine | undefined;
  let summary: SummaryLine | undefined;
  const samples: SampleLine[] = [];
  for (const [index, text] of lines.entries()) {
    const number = index + 1;
    const line = decodeLine(file, number, text);
    if (isLeft(line)) return line;
    const { right: decoded } = line;
    if (index === 0 && decoded.kind !== 'run') return left(`${file}:1: expected the {"kind":"run", …} line first, got a ${decoded.kind} line`);
    if (index > 0 && decoded.kind === 'run') return left(`${file}:${number}: a second run line: a log holds one run`);
    if (summary !== undefined) return left(`${file}:${number}: a line after the summary line`);
    if (decoded.kind === 'run') run = decoded;
    else if (decoded.kind === 'sample') samples.push(decoded);
    else summary = decoded;
  }
  if (run === undefined) return left(`${file}:1: expected the {"kind":"run", …} line first, got ${torn === '' ? 'an empty file' : 'a torn line'}: not a run log`);
  return right({ file, run, samples, summary, wholeBytes });
}

/** Appends lines to a log (a run's, or another JSON Lines log such as an arena's), each written whole and flushed to disk before the call returns. */
export class RunLogWriter<Line extends object = t.TypeOf<typeof LogLine>> {
  private constructor(private readonly fd: number) {}

  /** A new log (replacing any file there), or an existing one to append to from `wholeBytes`. */
  static open<Line extends object = t.TypeOf<typeof LogLine>>(file: string, from?: number): Either<string, RunLogWriter<Line>> {
    try {
      const fd = openSync(file, from === undefined ? 'w' : 'r+');
      if (from !== undefined) ftruncateSync(fd, from);
      return right(new RunLogWriter<Line>(fd));
    } catch (error) {
      return left(`cannot write the log ${file}: ${errorMessage(error)}`);
    }
  }

  append(line: Line): void {
    // Appended at the end: r+ opens at 0, so the position is given explicitly.
    writeSync(this.fd, `${JSON.stringify(line)}\n`, fstatSync(this.fd).size);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Writes a finished log afresh with its samples in the run's order, replacing the file at once (a
 * rename): lines are appended as runs finish, in whatever order that is, and a finished log must be
 * the same for every --max-concurrency.
 */
export function rewriteRunLog(file: string, lines: readonly object[]): void {
  const temporary = `${file}.partial`;
  writeFileSync(temporary, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  renameSync(temporary, file);
}
