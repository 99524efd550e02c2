import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { formatNumber } from '../../domain/constraint';
import { mean } from '../../domain/statistics';
import type { Better } from '../../domain/validation-vocabulary';
import type { Trace } from '../../domain/events';

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
}

export interface Comparison {
  readonly metric: string;
  readonly baseline: Measured;
  readonly modified: Measured;
}

export function measuredSamples(trace: Trace, metric: string, variant: Variant): Either<string, Measured> {
  const samples = samplesOf(trace, metric, variant);
  if (samples.length === 0) return left(`no performance_measured samples of ${metric} for the ${variant} variant`);
  return right({ samples, mean: mean(samples) });
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

export function describeComparison(comparison: Comparison): string {
  const side = (variant: Variant) =>
    `${variant} mean ${formatNumber(comparison[variant].mean)} (n=${comparison[variant].samples.length})`;
  return `${comparison.metric}: ${side('baseline')}, ${side('modified')}`;
}
