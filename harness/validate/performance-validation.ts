import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../../domain/benchmark/constraint';
import type { Scenario } from '../../domain/benchmark/scenario';
import { initialStateField, Objectives } from '../../domain/benchmark/initial-state';
import type { Trace } from '../../domain/economy/events';
import type { Better } from '../../domain/benchmark/validation-vocabulary';
import { compareVariants, relativeImprovement } from './measurements';
import type { Check } from './verdict';

/**
 * `performance_validation` (si_005): the objectives of `initial_state.objectives`, `{name: {weight,
 * current}}`, each measured as the metric of its own name. A `minimize_*` objective improves when the
 * modified mean goes down, a `maximize_*` one when it goes up.
 */

type PerformanceValidationBlock = NonNullable<Scenario['validation']['performance_validation']>;

interface ObjectiveOutcome {
  readonly name: string;
  readonly weight: number;
  /** Signed relative improvement of the modified mean over the baseline mean, in percent. */
  readonly improvement: number;
}

function directionOf(name: string): Better | undefined {
  if (name.startsWith('minimize_')) return 'lower';
  if (name.startsWith('maximize_')) return 'higher';
  return undefined;
}

function measureObjective(name: string, weight: number, trace: Trace): Either<string, ObjectiveOutcome> {
  const better = directionOf(name);
  if (better === undefined) return left(`objective ${name}: expected a name starting with minimize_ or maximize_`);
  const comparison = compareVariants(trace, name);
  if (isLeft(comparison)) return comparison;
  const improvement = relativeImprovement(comparison.right, better);
  return isLeft(improvement) ? improvement : right({ name, weight, improvement: improvement.right });
}

/** Every objective's outcome; Left with every objective that could not be measured. */
export function measureObjectives(scenario: Scenario, trace: Trace): Either<string, ObjectiveOutcome[]> {
  const objectives = initialStateField(scenario, 'objectives', Objectives);
  if (isLeft(objectives)) return objectives;
  const outcomes = Object.entries(objectives.right).map(([name, { weight }]) => measureObjective(name, weight, trace));
  const problems = outcomes.flatMap((outcome) => (isLeft(outcome) ? [outcome.left] : []));
  if (problems.length > 0) return left(problems.join('; '));
  return right(outcomes.flatMap((outcome) => (isLeft(outcome) ? [] : [outcome.right])));
}

function describeOutcomes(outcomes: readonly ObjectiveOutcome[]): string {
  return outcomes
    .map(({ name, weight, improvement }) => `${name} ${formatNumber(improvement)}% (weight ${formatNumber(weight)})`)
    .join(', ');
}

/** Σ weight × signed relative improvement, in percent, against the block's percentage. */
export function checkWeightedScoreImprovement(text: string, scenario: Scenario, trace: Trace): Check {
  const name = 'performance_validation.weighted_score_improvement';
  const constraint = parseConstraint(text);
  if (isLeft(constraint)) return { name, passed: false, detail: constraint.left };
  const { op, operand } = constraint.right;
  if (operand.kind !== 'percent') {
    return { name, passed: false, detail: `expected a percentage, got ${formatConstraint(constraint.right)}` };
  }
  const outcomes = measureObjectives(scenario, trace);
  if (isLeft(outcomes)) return { name, passed: false, detail: outcomes.left };
  const score = outcomes.right.reduce((total, { weight, improvement }) => total + weight * improvement, 0);
  return {
    name,
    passed: compare(op, score, operand.value),
    detail: `weighted improvement ${formatNumber(score)}% (${describeOutcomes(outcomes.right)}), required ${formatConstraint(constraint.right)}`,
  };
}

/** No objective's modified mean is worse than its baseline mean. */
export function checkNoObjectiveRegression(scenario: Scenario, trace: Trace): Check {
  const name = 'performance_validation.no_objective_regression';
  const outcomes = measureObjectives(scenario, trace);
  if (isLeft(outcomes)) return { name, passed: false, detail: outcomes.left };
  const regressed = outcomes.right.filter(({ improvement }) => improvement < 0);
  const detail =
    regressed.length === 0
      ? `no objective regressed: ${describeOutcomes(outcomes.right)}`
      : `regressed: ${describeOutcomes(regressed)}`;
  return { name, passed: regressed.length === 0, detail };
}

export function checkPerformanceValidation(block: PerformanceValidationBlock, scenario: Scenario, trace: Trace): Check[] {
  return [
    ...(block.weighted_score_improvement === undefined
      ? []
      : [checkWeightedScoreImprovement(block.weighted_score_improvement, scenario, trace)]),
    ...(block.no_objective_regression === true ? [checkNoObjectiveRegression(scenario, trace)] : []),
  ];
}
