import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { formatScenarioError, loadScenarioFile, type LoadedScenario } from '../scenarios';
import { type Judge, judgeRecordedTrace, JUDGEMENTS_CHECK } from '../judges';
import { summaryOf } from '../report';
import { runChecksOf, validateTrace, withRunChecks } from '../validate';
import { readStoredTrace, sampleLineOf, sampleRunOf, sha256Of, traceText, type SampleRun } from './evaluation';
import type { RunLog, RunLogWriter } from './run-log';
import { scenarioRecords } from './run-record';

/**
 * Re-scores a log without running any agent: each stored trace has its judged blocks judged afresh
 * by `judge` and is validated against its scenario file as it is now (a fixed rule, a fixed rubric);
 * the checks only the run itself could make (refused steps, faults, measurements) are kept as the
 * log recorded them. The new samples go to `writer`, their traces to `traces`.
 */

/** What the judges said of a run (a block they could not score, whose judgements applied): made afresh, never carried over. */
const isJudgeCheck = (name: string): boolean => name.endsWith('.judge') || name === JUDGEMENTS_CHECK;

function scenariosOf(log: RunLog): Either<string[], Map<string, LoadedScenario>> {
  const problems: string[] = [];
  const loaded = new Map<string, LoadedScenario>();
  for (const record of log.run.scenarios) {
    const scenario = loadScenarioFile(resolve(log.run.cwd, record.file));
    if (isLeft(scenario)) problems.push(...scenario.left.map(formatScenarioError));
    else loaded.set(record.id, { ...scenario.right, file: record.file });
  }
  return problems.length > 0 ? left(problems) : right(loaded);
}

export async function rescoreLog(
  log: RunLog,
  options: { readonly judge: Judge; readonly writer: RunLogWriter; readonly traces: string; readonly header: (scenarios: RunLog['run']['scenarios']) => void },
): Promise<Either<string[], SampleRun[]>> {
  const scenarios = scenariosOf(log);
  if (isLeft(scenarios)) return scenarios;
  options.header(scenarioRecords([...scenarios.right.values()]));
  const storedTraces = join(dirname(log.file), log.run.traces);
  mkdirSync(options.traces, { recursive: true });
  const runs: SampleRun[] = [];
  for (const line of log.samples) {
    const { verdict: stored, transcript, visited_states } = line;
    const loaded = scenarios.right.get(stored.id);
    if (loaded === undefined) return left([`${log.file}: sample ${stored.id} epoch ${stored.epoch} is of no scenario the run line lists`]);
    const started = performance.now();
    const trace = readStoredTrace(storedTraces, line);
    if (isLeft(trace)) return left([trace.left]);
    const carried = runChecksOf(stored).filter((check) => !isJudgeCheck(check.name));
    const judged = trace.right.length === 0 ? { trace: [], checks: [] } : await judgeRecordedTrace(loaded, trace.right, { judgements: 'fresh', judge: options.judge });
    const validation = validateTrace(loaded.scenario, judged.trace);
    const verdict = { ...withRunChecks(validation, [...carried, ...judged.checks]), usage: stored.usage, ...(stored.cost_usd === undefined ? {} : { cost_usd: stored.cost_usd }) };
    const text = traceText(judged.trace);
    writeFileSync(join(options.traces, line.trace.file), text);
    const run = { verdict, trace: judged.trace, ...(transcript === undefined ? {} : { transcript }), ...(visited_states === undefined ? {} : { visitedStates: visited_states }) };
    const rescored = sampleLineOf(run, stored, { file: line.trace.file, sha256: sha256Of(text) }, Math.round(performance.now() - started));
    options.writer.append(rescored);
    runs.push(sampleRunOf(rescored, judged.trace));
  }
  options.writer.append({ kind: 'summary', summary: summaryOf(runs.map((run) => run.verdict)), ended_at: new Date().toISOString() });
  return right(runs);
}
