import { isLeft } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../../domain/benchmark/constraint';
import type { Validation } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import { measuredSamples } from './measurements';
import { failed, type Check } from './verdict';

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
