import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { formatScenarioError, loadScenarioFile, type LoadedScenario } from '../scenarios';
import { type Judge, judgeRecordedTrace, JUDGEMENTS_CHECK } from '../judges';
import { summaryOf } from '../report';
import { validateTrace, withRunChecks } from '../validate';
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
    const loaded = scenarios.right.get(line.id);
    if (loaded === undefined) return left([`${log.file}: sample ${line.id} epoch ${line.epoch} is of no scenario the run line lists`]);
    const stored = readStoredTrace(storedTraces, line);
    if (isLeft(stored)) return left([stored.left]);
    const carried = line.verdict.checks.slice(0, line.replay_checks).filter((check) => !isJudgeCheck(check.name));
    const judged = stored.right.length === 0 ? { trace: [], checks: [] } : await judgeRecordedTrace(loaded, stored.right, { judgements: 'fresh', judge: options.judge });
    const validation = validateTrace(loaded.scenario, judged.trace);
    const verdict = { ...withRunChecks(validation, [...carried, ...judged.checks]), usage: line.usage, ...(line.cost_usd === undefined ? {} : { cost_usd: line.cost_usd }) };
    const text = traceText(judged.trace);
    writeFileSync(join(options.traces, line.trace.file), text);
    const sample = { index: runs.length, loaded, epoch: line.epoch, seed: line.seed };
    const rescored = sampleLineOf(sample, { verdict, trace: judged.trace, ...(line.transcript === undefined ? {} : { transcript: line.transcript }), ...(line.visited_states === undefined ? {} : { visitedStates: line.visited_states }) }, { file: line.trace.file, sha256: sha256Of(text) });
    options.writer.append(rescored);
    runs.push(sampleRunOf(rescored, judged.trace));
  }
  options.writer.append({ kind: 'summary', summary: summaryOf(runs.map((run) => run.verdict)) });
  return right(runs);
}
