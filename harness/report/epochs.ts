import { isLeft } from 'fp-ts/lib/Either.js';
import { summarisePassK, type PassKSummary } from '../../domain/benchmark/pass-k';
import type { ScenarioVerdict } from '../validate';

/** pass^k and pass@k of a run's verdicts, when they are a run's (they carry epochs and seeds); K is the epochs every scenario ran. */

export const isRun = (verdicts: readonly ScenarioVerdict[]): boolean => verdicts.length > 0 && verdicts.every((verdict) => verdict.seed !== undefined);

export function passKOf(verdicts: readonly ScenarioVerdict[]): PassKSummary | undefined {
  if (!isRun(verdicts)) return undefined;
  const summary = summarisePassK(verdicts.map(({ id, domain, epoch, passed, judge_score }) => ({ id, domain, epoch, passed, judge_score })));
  return isLeft(summary) ? undefined : summary.right;
}

/** `0.75` as `0.75`, `1/3` as `0.333`. */
export const shortNumber = (value: number): string => String(Math.round(value * 1000) / 1000);
