import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { isOneOf } from '../codec/one-of';

/**
 * The names the validator knows, without the checks behind them: the scenario constructor needs only
 * these to reject a typo, so loading a scenario does not load the checkers. The validator's tables
 * (`PREDICATES`, `VALUES`, `CONSUMPTION_METRICS`) are typed by these names, so the two cannot drift.
 */

/** The `success_condition` names that hold or not. */
export const PREDICATE_NAMES = [
  'all_required_present',
  'no_forbidden_present',
  'correct_sequence',
  'all_services_succeeded',
  'second_attempt_succeeded',
  'within_budget',
  'acceptable_quality',
  'all_sources_queried',
  'valid_output',
  'bottleneck_identified',
  'viable_solution_proposed',
  'change_applied',
  'tests_passed',
  'statistically_significant_improvement',
  'no_regression',
  'roi_improved',
  'strategy_shows_adaptiveness',
  'improved_overall_score',
  'balanced_trade_offs',
] as const;
export type PredicateName = (typeof PREDICATE_NAMES)[number];

/** The `success_condition` names that are numbers, for comparisons such as `judge_score >= threshold`. */
export const VALUE_NAMES = ['judge_score', 'threshold'] as const;
export type ValueName = (typeof VALUE_NAMES)[number];

export const KNOWN_CONDITION_NAMES: readonly string[] = [...PREDICATE_NAMES, ...VALUE_NAMES];

export function isPredicateName(name: string): name is PredicateName {
  return isOneOf(PREDICATE_NAMES, name);
}

export function isValueName(name: string): name is ValueName {
  return isOneOf(VALUE_NAMES, name);
}

export function isKnownConditionName(name: string): boolean {
  return isPredicateName(name) || isValueName(name);
}

/** The `resource_consumption` metrics, each summed over the whole trace. */
export const CONSUMPTION_METRIC_NAMES = ['tokens_used', 'credits_burned'] as const;
export type ConsumptionMetric = (typeof CONSUMPTION_METRIC_NAMES)[number];

export function isConsumptionMetric(name: string): name is ConsumptionMetric {
  return isOneOf(CONSUMPTION_METRIC_NAMES, name);
}

/** Which way a measured metric improves. */
export type Better = 'lower' | 'higher';

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

/** An `ordering_constraints` entry: the first event named `before` precedes the first named `after`. */
export interface OrderingConstraint {
  readonly before: string;
  readonly after: string;
}

const ORDERING = /^\s*(\S+)\s+BEFORE\s+(\S+)\s*$/;

export function parseOrderingConstraint(text: string): Either<string, OrderingConstraint> {
  const parts = ORDERING.exec(text);
  if (!parts) return left(`expected "A BEFORE B" (two event names), got ${JSON.stringify(text)}`);
  return right({ before: parts[1]!, after: parts[2]! });
}
