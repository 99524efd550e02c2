import * as t from 'io-ts';
import { Usage } from '../agents';
import { Domain } from '../../domain/benchmark/scenario';
import type { DomainEvent } from '../../domain/economy/events';

/** One verified rule: its name (e.g. `required_events[0]`), whether it holds, and why. */
export const Check = t.readonly(t.type({ name: t.string, passed: t.boolean, detail: t.string }), 'Check');
export type Check = t.TypeOf<typeof Check>;

/**
 * The verdict of one scenario run, and its one shape: validation builds it, a run adds its own checks,
 * what it used and which epoch and seed it was, the log stores it whole, and every output (table,
 * JSON, JUnit, the viewer) only renders it. A scenario passes only when every check passes.
 */
export const ScenarioVerdict = t.readonly(
  t.intersection([
    t.type({ id: t.string, domain: Domain, passed: t.boolean, checks: t.readonlyArray(Check) }),
    t.partial({
      /** What the agent's model calls used in the run (none for a script); absent for a checked trace. */
      usage: Usage,
      /** The usage at the `--pricing` of the agent's model, in USD. */
      cost_usd: t.number,
      /** Which repetition of its scenario this run was, and its seed: absent for a checked trace. */
      epoch: t.number,
      seed: t.number,
      /** The judged blocks' mean score, when the scenario was judged. */
      judge_score: t.number,
      /** How many of the first checks the run itself made (refused steps, faults, judges), not the trace's rules; none when absent. */
      run_checks: t.number,
    }),
  ]),
  'ScenarioVerdict',
);
export type ScenarioVerdict = t.TypeOf<typeof ScenarioVerdict>;

export function failed(name: string, detail: string): Check {
  return { name, passed: false, detail };
}

/** A run's own checks (refused steps, faults, judges) come first: they explain the rules' checks that follow from them. */
export function withRunChecks(verdict: ScenarioVerdict, checks: readonly Check[]): ScenarioVerdict {
  if (checks.length === 0) return verdict;
  return {
    ...verdict,
    passed: verdict.passed && checks.every((check) => check.passed),
    checks: [...checks, ...verdict.checks],
    run_checks: (verdict.run_checks ?? 0) + checks.length,
  };
}

/** The checks the run itself made, which its trace's rules cannot make again. */
export const runChecksOf = (verdict: ScenarioVerdict): readonly Check[] => verdict.checks.slice(0, verdict.run_checks ?? 0);

/** The mean overall score of the trace's judgements; undefined when it has none. */
export function judgeScoreOf(trace: readonly DomainEvent[]): number | undefined {
  const scores = trace.flatMap((event) => (event.type === 'judge_evaluation' ? [event.data.overall_score] : []));
  return scores.length === 0 ? undefined : scores.reduce((a, b) => a + b, 0) / scores.length;
}
