import { isLeft } from 'fp-ts/lib/Either.js';
import { formatNumber } from '../../domain/benchmark/constraint';
import type { Validation } from '../../domain/benchmark/scenario';
import { welchTTest } from '../../domain/benchmark/statistics';
import type { Trace } from '../../domain/economy/events';
import { compareVariants, describeComparison } from './measurements';
import { failed, type Check } from './verdict';

/** Tiny p-values in scientific notation, so that a highly significant result does not read as p = 0. */
function formatProbability(p: number): string {
  return p !== 0 && p < 1e-4 ? p.toExponential(2) : formatNumber(p);
}

/** The metric whose improvement `statistical_significance` tests. */
export const SIGNIFICANCE_METRIC = 'execution_time_ms';

/**
 * Welch's t-test, one-sided, that the modified variant's mean `execution_time_ms` is lower than the
 * baseline's, with at least `num_trials` samples per variant, significant when p < 1 − confidence_level.
 */
export function checkStatisticalSignificance(block: NonNullable<Validation['statistical_significance']>, trace: Trace): Check {
  const name = 'statistical_significance';
  const comparison = compareVariants(trace, SIGNIFICANCE_METRIC);
  if (isLeft(comparison)) return failed(name, comparison.left);
  const { baseline, modified } = comparison.right;
  const described = describeComparison(comparison.right);
  const tooFew = [baseline, modified].some((variant) => variant.samples.length < block.num_trials);
  if (tooFew) return failed(name, `${described}; expected at least ${block.num_trials} samples per variant`);
  const test = welchTTest(modified.samples, baseline.samples, 'less');
  if (isLeft(test)) return failed(name, `${described}; ${test.left}`);
  const alpha = 1 - block.confidence_level;
  const { t, pValue } = test.right;
  return {
    name,
    passed: pValue < alpha,
    detail: `${described}; Welch t = ${formatNumber(t)}, one-sided p = ${formatProbability(pValue)}, required p < ${formatNumber(alpha)}`,
  };
}
