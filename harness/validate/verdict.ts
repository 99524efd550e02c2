import * as t from 'io-ts';
import { Usage } from '../agents';
import { Domain } from '../../domain/benchmark/scenario';

/** One verified rule: its name (e.g. `required_events[0]`), whether it holds, and why. */
export const Check = t.readonly(t.type({ name: t.string, passed: t.boolean, detail: t.string }), 'Check');
export type Check = t.TypeOf<typeof Check>;

/**
 * The verdict of one scenario run, and its one shape: validation builds it, a run adds what it used
 * and which epoch and seed it was, the log stores its checks, and every output (table, JSON, JUnit,
 * the viewer) only renders it. A scenario passes only when every check passes.
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
  return { ...verdict, passed: verdict.passed && checks.every((check) => check.passed), checks: [...checks, ...verdict.checks] };
}
