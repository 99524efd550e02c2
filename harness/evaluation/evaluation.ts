import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/economy/events';
import type { TraceSink } from '../../machines';
import { errorMessage } from '../../domain/codec/error-message';
import { NO_USAGE } from '../agents';
import { parseTrace } from '../scenarios';
import { runPlanned, stderrFileOf, type BenchmarkOptions, type Planned, type ScenarioRun } from '../replay';
import { Mutex, runPool } from './pool';
import type { RunLogWriter, SampleLine } from './run-log';
import { EXCLUSIVE_DOMAIN, sampleKey, traceFileName, type Sample } from './samples';

/**
 * Runs the samples of a run, up to `concurrency` at once but the self-improvement ones one at a
 * time (they measure the speed of code, which runs beside them would slow). Each finished sample's
 * trace is stored in the run's trace folder and its line appended to the log at once; the samples a
 * resumed log already has are read back instead of run. The results come in the samples' order.
 */

/** A sample's run as every report shows it: the verdict carries its epoch and seed. */
export interface SampleRun extends ScenarioRun {
  readonly verdict: SampleLine['verdict'];
  /** Its line in the log. */
  readonly line: SampleLine;
}

export interface EvaluationOptions extends Omit<BenchmarkOptions, 'traceOut' | 'scripts' | 'script' | 'seed'> {
  readonly planned: ReadonlyMap<string, Planned>;
  readonly concurrency: number;
  readonly log: RunLogWriter;
  /** The run's trace folder, where each sample's trace is stored as `<id>.e<epoch>.jsonl`. */
  readonly traces: string;
  /** `--trace-dir`: a copy of each trace, as `<id>.jsonl` (with one epoch) or `<id>.e<epoch>.jsonl`. */
  readonly traceCopies?: { readonly dir: string; readonly epochs: number };
  /** The samples a resumed log already has, by `sampleKey`. */
  readonly done?: ReadonlyMap<string, SampleLine>;
  /** Adds the cost to a run's verdict, when the agent's model has a price. */
  readonly price?: (run: ScenarioRun) => ScenarioRun;
  readonly onFinished?: (passed: boolean) => void;
  /**
   * Runs a sample elsewhere (the queue's workers) in place of runPlanned here; what follows its run is the same. The
   * run says how long it took there, which the time it waited for a worker would otherwise swell.
   */
  readonly runSample?: (sample: Sample, planned: Planned) => Promise<Either<string[], ScenarioRun & { readonly duration_ms?: number }>>;
  /** Also given each event of a sample run here as it is recorded (`--publish-events`). */
  readonly liveSink?: (sample: Sample) => TraceSink;
}

export const sha256Of = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

export const traceText = (trace: readonly DomainEvent[]): string => trace.map((event) => `${JSON.stringify(event)}\n`).join('');

/**
 * The log line of a finished sample, the one place a line is made: its verdict as the run made it,
 * with the epoch, seed and usage of the sample, stored whole; its trace, stored in `trace.file` with
 * the given hash; and how long its run took by the wall clock.
 */
export function sampleLineOf(
  run: ScenarioRun,
  sample: Pick<Sample, 'epoch' | 'seed'>,
  trace: { readonly file: string; readonly sha256: string },
  duration_ms?: number,
): SampleLine {
  return {
    kind: 'sample',
    verdict: { ...run.verdict, epoch: sample.epoch, seed: sample.seed, usage: run.verdict.usage ?? NO_USAGE },
    trace: { ...trace, events: run.trace.length },
    ...(duration_ms === undefined ? {} : { duration_ms }),
    ...(run.transcript === undefined ? {} : { transcript: run.transcript }),
    ...(run.visitedStates === undefined ? {} : { visited_states: run.visitedStates }),
  };
}

/** A sample's run as the reports show it, from its log line and its trace. */
export function sampleRunOf(line: SampleLine, trace: readonly DomainEvent[]): SampleRun {
  return { verdict: line.verdict, trace, ...(line.transcript === undefined ? {} : { transcript: line.transcript }), line };
}

/** A stored trace, checked against the hash its sample line records. */
export function readStoredTrace(traces: string, line: SampleLine): Either<string, DomainEvent[]> {
  const file = join(traces, line.trace.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return left(`${file}: cannot read the trace of ${line.verdict.id} epoch ${line.verdict.epoch}: ${errorMessage(error)}`);
  }
  if (sha256Of(bytes) !== line.trace.sha256) return left(`${file}: its sha256 is not the ${line.trace.sha256} the log records: the trace was changed`);
  if (line.trace.events === 0) return right([]);
  const events = parseTrace(bytes.toString('utf8'), file);
  return isLeft(events) ? left(events.left.join('\n')) : events;
}

class InputProblem extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export async function evaluate(samples: readonly Sample[], options: EvaluationOptions): Promise<Either<string[], SampleRun[]>> {
  const exclusive = new Mutex();
  const runOne = async (sample: Sample): Promise<SampleRun> => {
    const id = sample.loaded.id;
    const done = options.done?.get(sampleKey(id, sample.epoch));
    if (done !== undefined) {
      const trace = readStoredTrace(options.traces, done);
      if (isLeft(trace)) throw new InputProblem([trace.left]);
      return sampleRunOf(done, trace.right);
    }
    const planned = options.planned.get(id)!;
    let duration_ms = 0;
    // Timed from its start, not from when it waited for its turn: the wall clock is the log's, never the trace's.
    const replay = async () => {
      const started = performance.now();
      const outcome: Either<string[], ScenarioRun & { readonly duration_ms?: number }> = await (options.runSample === undefined
        ? runPlanned(planned, { ...options, seed: sample.seed, sinks: options.liveSink === undefined ? [] : [options.liveSink(sample)] })
        : options.runSample(sample, planned));
      duration_ms = isLeft(outcome) ? 0 : (outcome.right.duration_ms ?? Math.round(performance.now() - started));
      return outcome;
    };
    const replayed = sample.loaded.scenario.domain === EXCLUSIVE_DOMAIN ? await exclusive.exclusive(replay) : await replay();
    if (isLeft(replayed)) throw new InputProblem(replayed.left);
    const run = options.price?.(replayed.right) ?? replayed.right;
    const text = traceText(run.trace);
    const file = traceFileName(id, sample.epoch);
    const keep = (path: string) => {
      writeFileSync(path, text);
      if (run.stderr !== undefined) writeFileSync(stderrFileOf(path), run.stderr);
    };
    keep(join(options.traces, file));
    if (options.traceCopies !== undefined) keep(join(options.traceCopies.dir, options.traceCopies.epochs === 1 ? `${id}.jsonl` : file));
    const line = sampleLineOf(run, sample, { file, sha256: sha256Of(text) }, duration_ms);
    options.log.append(line);
    options.onFinished?.(line.verdict.passed);
    return sampleRunOf(line, run.trace);
  };
  try {
    return right(await runPool(samples, options.concurrency, runOne));
  } catch (error) {
    if (error instanceof InputProblem) return left(error.problems);
    throw error;
  }
}
