import { isLeft } from 'fp-ts/lib/Either.js';
import { formatConstraint, parseConstraint } from '../../domain/benchmark/constraint';
import type { Scenario } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import { PERFORMANCE_COMPARISON_METRICS } from '../../domain/benchmark/validation-vocabulary';
import { compareVariants, describeComparison, describeShown, holdsThroughout, medianDifference, medianOf, relativeMedianImprovement } from './measurements';
import { failed, type Check } from './verdict';

/**
 * `performance_comparison`: each key's metric, measured on `performance_measured` samples, modified
 * variant against baseline. Timings and the cost billed from cpu time vary with what else the machine
 * does, so each comparison is of medians, with a 95% bootstrap interval, and the constraint must hold
 * over the whole interval: an improvement counts when the samples show it beyond their noise, and the
 * same samples always give the same verdict.
 */

type Validation = Scenario['validation'];

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
  const described = describeComparison(comparison.right, 'median');
  const required = `required ${formatConstraint(constraint.right)} over the whole interval`;
  switch (operand.kind) {
    case 'percent': {
      const improvement = relativeMedianImprovement(comparison.right, measured.better);
      if (isLeft(improvement)) return failed(name, improvement.left);
      return {
        name,
        passed: holdsThroughout(op, improvement.right, operand.value),
        detail: `${described}; improvement ${describeShown(improvement.right, '%')} (${measured.better} is better), ${required}`,
      };
    }
    case 'baseline': {
      const difference = medianDifference(comparison.right);
      return { name, passed: holdsThroughout(op, difference, 0), detail: `${described}; modified − baseline ${describeShown(difference)}, ${required}` };
    }
    case 'number': {
      const modified = medianOf(comparison.right.modified);
      return { name, passed: holdsThroughout(op, modified, operand.value), detail: `${described}; modified median ${describeShown(modified)}, ${required}` };
    }
    case 'reference':
      return failed(name, `expected a percentage, \`baseline\` or a number, got ${formatConstraint(constraint.right)}`);
  }
}

export function checkPerformanceComparison(block: NonNullable<Validation['performance_comparison']>, trace: Trace): Check[] {
  return Object.entries(block).map(([key, text]) => checkComparisonEntry(key, text, trace));
}
