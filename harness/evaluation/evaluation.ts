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
import { validateTrace, type ScenarioVerdict } from '../validate';
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
  readonly verdict: ScenarioVerdict & { readonly epoch: number; readonly seed: number };
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
  /** Runs a sample elsewhere (the queue's workers) in place of runPlanned here; what follows its run is the same. */
  readonly runSample?: (sample: Sample, planned: Planned) => Promise<Either<string[], ScenarioRun>>;
  /** Also given each event of a sample run here as it is recorded (`--publish-events`). */
  readonly liveSink?: (sample: Sample) => TraceSink;
}

export const sha256Of = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

export const traceText = (trace: readonly DomainEvent[]): string => trace.map((event) => `${JSON.stringify(event)}\n`).join('');

/** The mean overall score of the trace's judgements; undefined when it has none. */
export function judgeScoreOf(trace: readonly DomainEvent[]): number | undefined {
  const scores = trace.flatMap((event) => (event.type === 'judge_evaluation' ? [event.data.overall_score] : []));
  return scores.length === 0 ? undefined : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** The log line of a finished sample whose trace is stored in `file` with the given hash. */
export function sampleLineOf(sample: Sample, run: ScenarioRun, trace: { readonly file: string; readonly sha256: string }): SampleLine {
  const { verdict } = run;
  const validationChecks = run.trace.length === 0 ? 0 : validateTrace(sample.loaded.scenario, run.trace).checks.length;
  const replay_checks = Math.max(0, verdict.checks.length - validationChecks);
  const judge_score = judgeScoreOf(run.trace);
  return {
    kind: 'sample',
    id: verdict.id,
    domain: verdict.domain,
    epoch: sample.epoch,
    seed: sample.seed,
    verdict: { passed: verdict.passed, checks: verdict.checks.map(({ name, passed, detail }) => ({ name, passed, detail })) },
    replay_checks,
    usage: verdict.usage ?? NO_USAGE,
    ...(verdict.cost_usd === undefined ? {} : { cost_usd: verdict.cost_usd }),
    ...(judge_score === undefined ? {} : { judge_score }),
    trace: { ...trace, events: run.trace.length },
    ...(run.transcript === undefined ? {} : { transcript: run.transcript }),
    ...(run.visitedStates === undefined ? {} : { visited_states: run.visitedStates }),
    errors: verdict.checks.slice(0, replay_checks).flatMap((check) => (check.passed ? [] : [`${check.name}: ${check.detail}`])),
  };
}

/** A sample's run as the reports show it, from its log line and its trace. */
export function sampleRunOf(line: SampleLine, trace: readonly DomainEvent[]): SampleRun {
  const { id, domain, epoch, seed, verdict, usage, cost_usd, judge_score } = line;
  return {
    verdict: {
      id,
      domain: domain as ScenarioVerdict['domain'],
      epoch,
      seed,
      passed: verdict.passed,
      checks: verdict.checks,
      usage,
      ...(cost_usd === undefined ? {} : { cost_usd }),
      ...(judge_score === undefined ? {} : { judge_score }),
    },
    trace,
    ...(line.transcript === undefined ? {} : { transcript: line.transcript }),
    line,
  };
}

/** A stored trace, checked against the hash its sample line records. */
export function readStoredTrace(traces: string, line: SampleLine): Either<string, DomainEvent[]> {
  const file = join(traces, line.trace.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return left(`${file}: cannot read the trace of ${line.id} epoch ${line.epoch}: ${errorMessage(error)}`);
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
    const replay = () => (options.runSample === undefined ? runPlanned(planned, { ...options, seed: sample.seed, sinks: options.liveSink === undefined ? [] : [options.liveSink(sample)] }) : options.runSample(sample, planned));
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
    const line = sampleLineOf(sample, run, { file, sha256: sha256Of(text) });
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
