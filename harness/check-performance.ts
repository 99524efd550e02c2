import { isLeft } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../domain/constraint';
import type { Scenario } from '../domain/scenario';
import { welchTTest } from '../domain/statistics';
import type { Trace } from './match';
import { compareVariants, describeComparison, measuredSamples, relativeImprovement, type Better } from './measurements';
import type { Check } from './verdict';

/** The self-improvement blocks measured on `performance_measured` samples, modified variant against baseline. */

type Validation = Scenario['validation'];

/**
 * What each `performance_comparison` key measures. A constraint operand reads as:
 * `10%` → the relative improvement of the modified mean over the baseline mean, in the better direction;
 * `baseline` → the modified mean against the baseline mean; a number → the modified mean against it.
 *
 * | key                        | metric            | better |
 * |----------------------------|-------------------|--------|
 * | execution_time_improvement | execution_time_ms | lower  |
 * | cost_improvement           | cost_credits      | lower  |
 * | correctness_maintained     | correctness_score | higher |
 */
export const PERFORMANCE_COMPARISON_METRICS: Readonly<Record<string, { metric: string; better: Better }>> = {
  execution_time_improvement: { metric: 'execution_time_ms', better: 'lower' },
  cost_improvement: { metric: 'cost_credits', better: 'lower' },
  correctness_maintained: { metric: 'correctness_score', better: 'higher' },
};

function failed(name: string, detail: string): Check {
  return { name, passed: false, detail };
}

function checkComparisonEntry(key: string, text: string, trace: Trace): Check {
  const name = `performance_comparison.${key}`;
  const measured = PERFORMANCE_COMPARISON_METRICS[key];
  if (measured === undefined) {
    return failed(name, `unknown key; known: ${Object.keys(PERFORMANCE_COMPARISON_METRICS).join(', ')}`);
  }
  const constraint = parseConstraint(text);
  if (isLeft(constraint)) return failed(name, constraint.left);
  const { op, operand } = constraint.right;
  const comparison = compareVariants(trace, measured.metric);
  if (isLeft(comparison)) return failed(name, comparison.left);
  const { baseline, modified } = comparison.right;
  const described = describeComparison(comparison.right);
  const required = `required ${formatConstraint(constraint.right)}`;
  switch (operand.kind) {
    case 'percent': {
      const improvement = relativeImprovement(comparison.right, measured.better);
      if (isLeft(improvement)) return failed(name, improvement.left);
      const passed = compare(op, improvement.right, operand.value);
      return { name, passed, detail: `${described}; improvement ${formatNumber(improvement.right)}% (${measured.better} is better), ${required}` };
    }
    case 'baseline':
      return { name, passed: compare(op, modified.mean, baseline.mean), detail: `${described}; modified ${required}` };
    case 'number':
      return { name, passed: compare(op, modified.mean, operand.value), detail: `${described}; modified mean ${required}` };
    case 'reference':
      return failed(name, `expected a percentage, \`baseline\` or a number, got ${formatConstraint(constraint.right)}`);
  }
}

export function checkPerformanceComparison(block: NonNullable<Validation['performance_comparison']>, trace: Trace): Check[] {
  return Object.entries(block).map(([key, text]) => checkComparisonEntry(key, text, trace));
}

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

/** The modified mean of `metric` against `target` (a number, or `baseline` for the block's baseline). */
export function checkImprovementValidation(block: NonNullable<Validation['improvement_validation']>, trace: Trace): Check {
  const name = 'improvement_validation';
  const constraint = parseConstraint(block.target);
  if (isLeft(constraint)) return failed(name, `target: ${constraint.left}`);
  const { op, operand } = constraint.right;
  if (operand.kind !== 'number' && operand.kind !== 'baseline') {
    return failed(name, `target: expected a number or \`baseline\`, got ${formatConstraint(constraint.right)}`);
  }
  const modified = measuredSamples(trace, block.metric, 'modified');
  if (isLeft(modified)) return failed(name, modified.left);
  const target = operand.kind === 'number' ? operand.value : block.baseline;
  const measuredBaseline = measuredSamples(trace, block.metric, 'baseline');
  const forInformation = isLeft(measuredBaseline)
    ? `no baseline samples measured; declared baseline ${formatNumber(block.baseline)}`
    : `measured baseline mean ${formatNumber(measuredBaseline.right.mean)}, declared baseline ${formatNumber(block.baseline)}`;
  return {
    name,
    passed: compare(op, modified.right.mean, target),
    detail:
      `${block.metric}: modified mean ${formatNumber(modified.right.mean)} (n=${modified.right.samples.length}), ` +
      `required ${op} ${formatNumber(target)} (${forInformation})`,
  };
}
