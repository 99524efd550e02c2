import { isLeft } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../../domain/constraint';
import type { Scenario } from '../../domain/scenario';
import { welchTTest } from '../../domain/statistics';
import type { Trace } from '../../domain/events';
import { PERFORMANCE_COMPARISON_METRICS } from '../../domain/validation-vocabulary';
import { compareVariants, describeComparison, relativeImprovement } from './measurements';
import { failed, type Check } from './verdict';

/** `performance_comparison`: each key's metric, measured on `performance_measured` samples, modified variant against baseline. */

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
