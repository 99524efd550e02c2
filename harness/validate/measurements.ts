import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { compare, formatNumber, type Comparator } from '../../domain/benchmark/constraint';
import { bootstrapInterval, mean, median } from '../../domain/benchmark/statistics';
import type { Better } from '../../domain/benchmark/validation-vocabulary';
import type { Trace } from '../../domain/economy/events';

/** Samples from `performance_measured` events: `{target_module, variant, metric, samples}`. */

export type Variant = 'baseline' | 'modified';

/** Every sample of `metric` for `variant`, pooled over the events (and target modules) that carry it. */
export function samplesOf(trace: Trace, metric: string, variant: Variant): number[] {
  return trace.flatMap((event) =>
    event.type === 'performance_measured' && event.data.metric === metric && event.data.variant === variant
      ? event.data.samples
      : [],
  );
}

export interface Measured {
  readonly samples: readonly number[];
  readonly mean: number;
  readonly median: number;
}

export interface Comparison {
  readonly metric: string;
  readonly baseline: Measured;
  readonly modified: Measured;
}

export function measuredSamples(trace: Trace, metric: string, variant: Variant): Either<string, Measured> {
  const samples = samplesOf(trace, metric, variant);
  if (samples.length === 0) return left(`no performance_measured samples of ${metric} for the ${variant} variant`);
  return right({ samples, mean: mean(samples), median: median(samples) });
}

/** Both variants of `metric`; Left names the first variant without samples. */
export function compareVariants(trace: Trace, metric: string): Either<string, Comparison> {
  const baseline = measuredSamples(trace, metric, 'baseline');
  if (isLeft(baseline)) return baseline;
  const modified = measuredSamples(trace, metric, 'modified');
  if (isLeft(modified)) return modified;
  return right({ metric, baseline: baseline.right, modified: modified.right });
}


/** The relative change of the modified mean in the better direction, in percent; Left when the baseline mean is 0. */
export function relativeImprovement(comparison: Comparison, better: Better): Either<string, number> {
  const base = comparison.baseline.mean;
  if (base === 0) return left(`the baseline mean of ${comparison.metric} is 0, so a relative change is undefined`);
  const gain = better === 'lower' ? base - comparison.modified.mean : comparison.modified.mean - base;
  return right((gain / Math.abs(base)) * 100);
}

/**
 * What the samples show beyond their noise: a value of the medians and its 95% interval. Timings and
 * the cost billed from cpu time differ from run to run; a claim about them is judged on the whole
 * interval, so that it holds when the samples show it, not when the machine happened to be quiet.
 */
export interface Shown {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** `value` and the 95% bootstrap interval of `statistic` over `samples`; the value alone at both ends if they cannot be resampled. */
function shownBy(value: number, samples: readonly (readonly number[])[], statistic: (resampled: readonly (readonly number[])[]) => number): Shown {
  const interval = bootstrapInterval(samples, statistic);
  const [low, high] = isLeft(interval) ? [value, value] : interval.right;
  return { value, low, high };
}

/** median(modified) − median(baseline), with its interval. */
export function medianDifference({ baseline, modified }: Comparison): Shown {
  return shownBy(modified.median - baseline.median, [baseline.samples, modified.samples], ([base = [], changed = []]) => median(changed) - median(base));
}

/** The median of one variant's samples, with its interval. */
export function medianOf(measured: Measured): Shown {
  return shownBy(measured.median, [measured.samples], ([sample = []]) => median(sample));
}

/** The change from `base` to `changed` in the better direction, in percent of `base`; ±Infinity from a base of 0. */
function percentGain(base: number, changed: number, better: Better): number {
  const gain = better === 'lower' ? base - changed : changed - base;
  return gain === 0 ? 0 : (gain / Math.abs(base)) * 100;
}

/**
 * The relative improvement of the modified median over the baseline median in the better direction, in
 * percent, with its interval; Left when the baseline median is 0.
 */
export function relativeMedianImprovement(comparison: Comparison, better: Better): Either<string, Shown> {
  const { baseline, modified } = comparison;
  if (baseline.median === 0) return left(`the baseline median of ${comparison.metric} is 0, so a relative change is undefined`);
  return right(
    shownBy(percentGain(baseline.median, modified.median, better), [baseline.samples, modified.samples], ([base = [], changed = []]) =>
      percentGain(median(base), median(changed), better),
    ),
  );
}

/** Whether `op threshold` holds at every point of the interval: a claim passes only beyond the noise. */
export function holdsThroughout(op: Comparator, shown: Shown, threshold: number): boolean {
  if (op === '!=') return threshold < shown.low || threshold > shown.high;
  return compare(op, shown.low, threshold) && compare(op, shown.high, threshold);
}

export function describeShown(shown: Shown, unit = ''): string {
  const at = (value: number) => `${formatNumber(value)}${unit}`;
  return shown.low === shown.high ? at(shown.value) : `${at(shown.value)} (95% interval ${at(shown.low)} to ${at(shown.high)})`;
}

export function describeComparison(comparison: Comparison, statistic: 'mean' | 'median' = 'mean'): string {
  const side = (variant: Variant) =>
    `${variant} ${statistic} ${formatNumber(comparison[variant][statistic])} (n=${comparison[variant].samples.length})`;
  return `${comparison.metric}: ${side('baseline')}, ${side('modified')}`;
}
