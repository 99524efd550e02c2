import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { nextInt, randomStream, type RandomStream } from '../economy/random';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface WelchResult {
  readonly t: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * Arithmetic mean; NaN for an empty sample. Summing deviations from the first value keeps the mean of a
 * constant sample exact, which the zero-variance cases of `welchTTest` rely on.
 */
export function mean(values: readonly number[]): number {
  const first = values[0];
  if (first === undefined) return NaN;
  return first + values.reduce((sum, value) => sum + (value - first), 0) / values.length;
}

/** Unbiased sample variance (divides by n − 1); NaN with fewer than two values, exactly 0 for a constant sample. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const centre = mean(values);
  return values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1);
}

/** Lanczos coefficients for g = 607/128, n = 14 (Numerical Recipes, 3rd ed., `gammln`): ~1e-15 relative. */
const LANCZOS_G = 671 / 128;
const LANCZOS_BASE = 0.999999999999997092;
const LANCZOS_COEFFICIENTS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];
const SQRT_TWO_PI = 2.5066282746310005;

/** ln Γ(x) for x > 0. */
function logGamma(x: number): number {
  const shifted = x + LANCZOS_G;
  const series = LANCZOS_COEFFICIENTS.reduce((sum, coefficient, index) => sum + coefficient / (x + index + 1), LANCZOS_BASE);
  return (x + 0.5) * Math.log(shifted) - shifted + Math.log((SQRT_TWO_PI * series) / x);
}

const CONTINUED_FRACTION_EPSILON = 1e-15;
const TINY = 1e-300;
// Convergence takes O(sqrt(max(a, b))) terms; this bound still covers df around 1e8.
const CONTINUED_FRACTION_MAX_TERMS = 10_000;

/** Continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes `betacf`). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const avoidZero = (value: number) => (Math.abs(value) < TINY ? TINY : value);
  let c = 1;
  let d = 1 / avoidZero(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= CONTINUED_FRACTION_MAX_TERMS; m++) {
    const evenTerm = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / avoidZero(1 + evenTerm * d);
    c = avoidZero(1 + evenTerm / c);
    fraction *= d * c;
    const oddTerm = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / avoidZero(1 + oddTerm * d);
    c = avoidZero(1 + oddTerm / c);
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) <= CONTINUED_FRACTION_EPSILON) return fraction;
  }
  throw new Error(`incomplete beta continued fraction did not converge for a=${a}, b=${b}, x=${x}`);
}

/**
 * Regularized incomplete beta I_x(a, b). Takes both x and 1 − x so that callers who can compute 1 − x
 * without cancellation (the t distribution can) keep full precision in the far tails.
 */
function regularizedIncompleteBeta(a: number, b: number, x: number, oneMinusX: number): number {
  if (x <= 0) return 0;
  if (oneMinusX <= 0) return 1;
  const logPrefactor =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(oneMinusX);
  // The fraction converges fast only below the mean of the Beta(a, b) distribution; above it use symmetry.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logPrefactor) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logPrefactor) * betaContinuedFraction(b, a, oneMinusX)) / b;
}

/** P(T > t) for t ≥ 0, computed directly so that small tail probabilities keep their relative precision. */
function upperTail(t: number, df: number): number {
  if (t === Infinity) return 0;
  const denominator = df + t * t;
  return 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / denominator, (t * t) / denominator);
}

/**
 * P(T ≤ t) for Student's t distribution with `df` degrees of freedom (df may be fractional, as Welch's is).
 * Relative error ≲ 1e-10 in either tail up to df ≈ 1e5; beyond, it grows in proportion to df because the
 * log-gamma terms of the beta prefactor cancel. Throws a RangeError for df that is not a positive finite
 * number: that is a caller's bug, not data.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0 && Number.isFinite(df))) throw new RangeError(`studentTCdf: expected df > 0 and finite, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  return t < 0 ? upperTail(-t, df) : 1 - upperTail(t, df);
}

/** What is wrong with a sample, or undefined when it can be tested. */
function sampleProblem(name: string, values: readonly number[]): string | undefined {
  if (values.length < 2) return `sample ${name}: expected at least 2 values, got ${values.length}`;
  const badIndex = values.findIndex((value) => !Number.isFinite(value));
  if (badIndex >= 0) return `sample ${name}[${badIndex}]: expected a finite number, got ${values[badIndex]}`;
  return undefined;
}

function pValueOf(t: number, df: number, alternative: Alternative): number {
  switch (alternative) {
    case 'less':
      return studentTCdf(t, df);
    case 'greater':
      return studentTCdf(-t, df);
    case 'two-sided':
      return Math.min(1, 2 * upperTail(Math.abs(t), df));
  }
}

/** Both samples constant: no spread to scale the difference by, so the verdict follows from the means alone. */
function zeroVarianceResult(meanDifference: number, alternative: Alternative): WelchResult {
  if (meanDifference === 0) return { t: NaN, df: NaN, pValue: 1 };
  const t = meanDifference > 0 ? Infinity : -Infinity;
  const supportsAlternative =
    alternative === 'two-sided' || (alternative === 'less' ? meanDifference < 0 : meanDifference > 0);
  return { t, df: NaN, pValue: supportsAlternative ? 0 : 1 };
}

/**
 * Welch's unequal-variance t-test of mean(a) against mean(b), with Welch–Satterthwaite degrees of freedom.
 * `less` tests mean(a) < mean(b), `greater` tests mean(a) > mean(b).
 *
 * Left (with the sample and what was expected) when a sample has fewer than 2 values or a non-finite value,
 * or when the values are too large for their variance to be represented.
 * When both samples are constant, t and df are undefined (NaN) if the means are equal and p = 1; if the
 * means differ, t = ±Infinity, df = NaN and p is 0 when the difference goes the tested way, else 1.
 */
export function welchTTest(
  a: readonly number[],
  b: readonly number[],
  alternative: Alternative,
): Either<string, WelchResult> {
  const problem = sampleProblem('a', a) ?? sampleProblem('b', b);
  if (problem !== undefined) return left(problem);

  const meanDifference = mean(a) - mean(b);
  const varianceOfMeanA = sampleVariance(a) / a.length;
  const varianceOfMeanB = sampleVariance(b) / b.length;
  const standardErrorSquared = varianceOfMeanA + varianceOfMeanB;
  if (!Number.isFinite(standardErrorSquared) || !Number.isFinite(meanDifference)) {
    return left('samples a and b: expected values small enough for their variance to be finite in double precision');
  }
  if (standardErrorSquared === 0) return right(zeroVarianceResult(meanDifference, alternative));

  const t = meanDifference / Math.sqrt(standardErrorSquared);
  // Welch–Satterthwaite, written with each group's share of the variance so that squaring cannot overflow.
  const shareA = varianceOfMeanA / standardErrorSquared;
  const shareB = varianceOfMeanB / standardErrorSquared;
  const df = 1 / (shareA ** 2 / (a.length - 1) + shareB ** 2 / (b.length - 1));
  return right({ t, df, pValue: pValueOf(t, df, alternative) });
}

/** The value at quantile q of sorted values, by linear interpolation between the nearest ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const [low, high] = [sorted[below]!, sorted[above]!];
  // Equal neighbours are the answer as they are, infinite ones included (Infinity − Infinity is NaN).
  return low === high ? low : low + (high - low) * (position - below);
}

/** The middle value (the mean of the two middle values of an even count); NaN for an empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

export const INTERVAL_RESAMPLES = 2_000;
export const INTERVAL_SEED = 'percentile-bootstrap';

/** As many draws with replacement from `values` as it holds, and the stream after them. */
function resample(values: readonly number[], stream: RandomStream): [number[], RandomStream] {
  const drawn: number[] = [];
  let next = stream;
  for (let draw = 0; draw < values.length; draw++) {
    const [index, after] = nextInt(next, values.length);
    next = after;
    drawn.push(values[index]!);
  }
  return [drawn, next];
}

/**
 * The 95% percentile-bootstrap interval of `statistic` over independent samples: each sample is
 * resampled with replacement, `resamples` times, and the 2.5th and 97.5th percentiles of the statistic
 * of the resamples bound the interval. The draws come from a seeded stream, so the same samples always
 * give the same interval; samples without spread give the statistic itself at both ends.
 */
export function bootstrapInterval(
  samples: readonly (readonly number[])[],
  statistic: (resampled: readonly (readonly number[])[]) => number,
  options: { readonly resamples?: number; readonly seed?: string } = {},
): Either<string, readonly [number, number]> {
  if (samples.some((sample) => sample.length === 0 || sample.some((value) => !Number.isFinite(value)))) {
    return left('every sample: expected at least one value, all finite numbers');
  }
  let stream = randomStream(options.seed ?? INTERVAL_SEED);
  const values: number[] = [];
  for (let round = 0; round < (options.resamples ?? INTERVAL_RESAMPLES); round++) {
    const resampled = samples.map((sample) => {
      const [drawn, next] = resample(sample, stream);
      stream = next;
      return drawn;
    });
    values.push(statistic(resampled));
  }
  values.sort((a, b) => a - b);
  return right([quantile(values, 0.025), quantile(values, 0.975)]);
}

/**
 * The means of `resamples` resamples of `values`, drawn with replacement from the project's seeded stream
 * (so the same values and seed give the same means), sorted ascending: a percentile bootstrap reads its
 * interval off them. `values` must not be empty.
 */
export function bootstrapMeans(values: readonly number[], resamples: number, seed: string): number[] {
  let stream = randomStream(seed);
  const means: number[] = [];
  for (let round = 0; round < resamples; round++) {
    const [drawn, next] = resample(values, stream);
    stream = next;
    means.push(drawn.reduce((sum, value) => sum + value, 0) / values.length);
  }
  return means.sort((a, b) => a - b);
}

/** The 95% percentile bootstrap interval of the mean of `values` (not empty). */
export function bootstrapInterval95(values: readonly number[], resamples: number, seed: string): readonly [number, number] {
  const means = bootstrapMeans(values, resamples, seed);
  return [quantile(means, 0.025), quantile(means, 0.975)];
}
