import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { bootstrapInterval, mean, median, quantile, sampleVariance, studentTCdf, welchTTest, type WelchResult } from '../domain/benchmark/statistics';
import { rightOf } from './fixtures/either';

function assertClose(actual: number, expected: number, relativeTolerance: number, label: string) {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(error <= relativeTolerance, `${label}: got ${actual}, expected ${expected} (relative error ${error})`);
}

const resultOf = (outcome: Either<string, WelchResult>): WelchResult => rightOf(outcome, 'a result');

function problemOf(outcome: Either<string, WelchResult>): string {
  if (isLeft(outcome)) return outcome.left;
  throw new Error(`expected a Left, got ${JSON.stringify(outcome.right)}`);
}

test('mean and sample variance (n − 1) of a small sample', () => {
  assert.is(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
  assert.is(sampleVariance([2, 4, 4, 4, 5, 5, 7, 9]), 32 / 7);
  assert.is.not(sampleVariance([2, 4, 4, 4, 5, 5, 7, 9]), 4, 'the population variance (n) is not what we want');
});

test('a constant sample has its value as mean and exactly zero variance, even when the value is not representable', () => {
  assert.is(mean([0.1, 0.1, 0.1]), 0.1);
  assert.is(sampleVariance([0.1, 0.1, 0.1]), 0);
});

test('mean of nothing and variance of fewer than two values are NaN', () => {
  assert.ok(Number.isNaN(mean([])));
  assert.ok(Number.isNaN(sampleVariance([3])));
  assert.not.ok(Number.isNaN(sampleVariance([3, 4])));
});

test('t CDF with df = 1 is the Cauchy CDF 0.5 + atan(t)/π, tails included', () => {
  for (const t of [-40, -3, -0.5, 0.25, 1, 7, 1e3]) {
    assertClose(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12, `t=${t}`);
  }
});

test('t CDF with df = 2 is 0.5 + t / (2 sqrt(2 + t²))', () => {
  for (const t of [-25, -1.7, -0.1, 0.3, 1.7, 12]) {
    assertClose(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12, `t=${t}`);
  }
});

test('t CDF at fractional df and in the far tails matches scipy.stats.t.cdf (scipy 1.17.1)', () => {
  const known: [t: number, df: number, cdf: number][] = [
    [2.5, 3.7, 0.9640889885440866],
    [-4, 10, 0.0012591663123683473],
    [10, 5, 0.9999145262121285],
    [-40, 3, 1.7190340394579253e-5],
    [-8.5, 25.3, 3.472072847110932e-9],
    [0.1, 0.3, 0.522768982397932],
  ];
  for (const [t, df, cdf] of known) assertClose(studentTCdf(t, df), cdf, 1e-10, `t=${t}, df=${df}`);
});

test('t CDF is symmetric about 0 and is one half there', () => {
  assert.is(studentTCdf(0, 7.5), 0.5);
  for (const [t, df] of [[0.7, 3], [2.2, 14.6], [5, 1.5]] as const) {
    assertClose(studentTCdf(t, df) + studentTCdf(-t, df), 1, 1e-14, `t=${t}, df=${df}`);
  }
});

test('t CDF approaches the normal CDF for large df, and differs from it for small df', () => {
  // Standard normal CDF values from scipy.stats.norm.cdf.
  const normal: [z: number, cdf: number][] = [
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-2.5, 0.006209665325776132],
  ];
  for (const [z, cdf] of normal) {
    assert.ok(Math.abs(studentTCdf(z, 1e6) - cdf) < 1e-6, `z=${z}, df=1e6 must look normal`);
    assert.ok(Math.abs(studentTCdf(z, 5) - cdf) > 1e-3, `z=${z}, df=5 must not look normal`);
  }
});

test('t CDF limits, NaN propagation and rejected df', () => {
  assert.is(studentTCdf(Infinity, 4), 1);
  assert.is(studentTCdf(-Infinity, 4), 0);
  assert.ok(Number.isNaN(studentTCdf(NaN, 4)));
  for (const df of [0, -1, NaN, Infinity]) {
    assert.throws(() => studentTCdf(1, df), /expected df > 0 and finite/, `df=${df}`);
  }
});

// Wikipedia, "Welch's t-test", example 1 (A1, A2): t = −2.46, ν = 24.99, p = 0.021. Full digits from
// scipy.stats.ttest_ind(equal_var=False) 1.17.1, and t, ν, p recomputed with mpmath at 40 digits.
const wikipediaA1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const wikipediaA2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

test("Welch's t-test on Wikipedia's example 1 gives the published t, df and p", () => {
  const { t, df, pValue } = resultOf(welchTTest(wikipediaA1, wikipediaA2, 'two-sided'));
  assertClose(t, -2.455356398286006, 1e-12, 't');
  assertClose(df, 24.988529290231416, 1e-12, 'df');
  assertClose(pValue, 0.021378001462866992, 1e-10, 'p');
});

test("Welch's t-test with unequal sizes and very unequal variances (scipy ttest_ind, equal_var=False)", () => {
  const a = [0.8, 1.9, 3.1, 4.4, 12.0];
  const b = [10.2, 10.9, 11.4];
  const twoSided = resultOf(welchTTest(a, b, 'two-sided'));
  assertClose(twoSided.t, -3.175418352230549, 1e-12, 't');
  assertClose(twoSided.df, 4.242120598009254, 1e-12, 'df');
  assertClose(twoSided.pValue, 0.03102304156958932, 1e-10, 'p two-sided');
  assertClose(resultOf(welchTTest(a, b, 'less')).pValue, 0.01551152078479466, 1e-10, 'p less');
  assertClose(resultOf(welchTTest(a, b, 'greater')).pValue, 0.9844884792152053, 1e-10, 'p greater');
});

test('one-sided p is half the two-sided p when the effect goes the tested way, one minus that otherwise', () => {
  const twoSided = resultOf(welchTTest(wikipediaA1, wikipediaA2, 'two-sided')).pValue;
  const less = resultOf(welchTTest(wikipediaA1, wikipediaA2, 'less')).pValue;
  const greater = resultOf(welchTTest(wikipediaA1, wikipediaA2, 'greater')).pValue;
  assertClose(less, twoSided / 2, 1e-14, 'mean(A1) < mean(A2): less');
  assertClose(greater, 1 - twoSided / 2, 1e-14, 'mean(A1) < mean(A2): greater');
  assertClose(resultOf(welchTTest(wikipediaA2, wikipediaA1, 'greater')).pValue, twoSided / 2, 1e-14, 'swapped');
});

test('p-values of the three alternatives agree with one another on arbitrary samples', () => {
  const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 8 });
  fc.assert(
    fc.property(sample, sample, (a, b) => {
      const less = resultOf(welchTTest(a, b, 'less')).pValue;
      const greater = resultOf(welchTTest(a, b, 'greater')).pValue;
      const twoSided = resultOf(welchTTest(a, b, 'two-sided')).pValue;
      return (
        less >= 0 && greater >= 0 && twoSided <= 1 &&
        Math.abs(less + greater - 1) < 1e-12 && Math.abs(twoSided - 2 * Math.min(less, greater)) < 1e-12
      );
    }),
    { numRuns: 200 },
  );
});

test('a sample with fewer than two values is rejected, naming the sample', () => {
  assert.is(problemOf(welchTTest([1], [1, 2], 'two-sided')), 'sample a: expected at least 2 values, got 1');
  assert.is(problemOf(welchTTest([1, 2], [], 'less')), 'sample b: expected at least 2 values, got 0');
  assert.ok(resultOf(welchTTest([1, 2], [3, 5], 'less')).pValue > 0);
});

test('NaN and infinite samples are rejected, naming the position', () => {
  assert.is(problemOf(welchTTest([1, NaN, 3], [1, 2], 'two-sided')), 'sample a[1]: expected a finite number, got NaN');
  assert.is(problemOf(welchTTest([1, 2], [4, 5, -Infinity], 'greater')), 'sample b[2]: expected a finite number, got -Infinity');
});

test('values too large for their variance are rejected rather than given a wrong p', () => {
  assert.match(problemOf(welchTTest([-1e200, 1e200], [0, 1], 'two-sided')), /finite in double precision/);
});

test('identical constant samples: t and df undefined, p = 1', () => {
  for (const alternative of ['two-sided', 'less', 'greater'] as const) {
    const result = resultOf(welchTTest([0.1, 0.1, 0.1], [0.1, 0.1], alternative));
    assert.ok(Number.isNaN(result.t) && Number.isNaN(result.df), alternative);
    assert.is(result.pValue, 1, alternative);
  }
});

test('constant samples with different means: t = ±Infinity, p = 0 in the tested direction and 1 against it', () => {
  const lower = [2, 2, 2];
  const higher = [3, 3];
  assert.is(resultOf(welchTTest(lower, higher, 'two-sided')).t, -Infinity);
  assert.is(resultOf(welchTTest(lower, higher, 'two-sided')).pValue, 0);
  assert.is(resultOf(welchTTest(lower, higher, 'less')).pValue, 0);
  assert.is(resultOf(welchTTest(lower, higher, 'greater')).pValue, 1);
  assert.is(resultOf(welchTTest(higher, lower, 'greater')).t, Infinity);
  assert.is(resultOf(welchTTest(higher, lower, 'greater')).pValue, 0);
  assert.is(resultOf(welchTTest(higher, lower, 'less')).pValue, 1);
});

test('one constant sample: the other supplies all the variance, df = its size − 1', () => {
  const result = resultOf(welchTTest([5, 5, 5, 5], [1, 2, 3, 4, 6], 'two-sided'));
  assertClose(result.df, 4, 1e-14, 'df');
  assert.ok(Number.isFinite(result.t) && result.pValue > 0 && result.pValue < 1);
});

test('quantile: interpolates between neighbours; equal neighbours, infinite ones too, are the answer', () => {
  assert.is(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantile([1, Infinity, Infinity], 0.75), Infinity);
  assert.is(quantile([-Infinity, -Infinity, 0], 0.25), -Infinity);
});

test('median: the middle value, or the mean of the two middle values; NaN for nothing', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([150, 400, 151, 390, 149]), 151);
  assert.ok(Number.isNaN(median([])));
});

const medianDifference = ([a = [], b = []]: readonly (readonly number[])[]) => median(b) - median(a);

test('bootstrapInterval: seeded, so the same samples give the same interval; no spread gives the point', () => {
  const a = [150, 152, 148, 151, 149, 400, 150, 390, 151, 149];
  const b = [120, 122, 118, 121, 119, 120, 123, 117, 121, 119];
  const first = rightOf(bootstrapInterval([a, b], medianDifference), 'an interval');
  assert.equal(rightOf(bootstrapInterval([a, b], medianDifference), 'an interval'), first);
  assert.ok(first[0] <= -30 && -30 <= first[1] && first[1] < 0, `${first}`);
  assert.equal(rightOf(bootstrapInterval([[5, 5], [7]], medianDifference), 'an interval'), [2, 2]);
  const refused = [bootstrapInterval([[1], []], medianDifference), bootstrapInterval([[1, NaN]], ([x = []]) => median(x))];
  for (const outcome of refused) assert.equal(outcome, { _tag: 'Left', left: 'every sample: expected at least one value, all finite numbers' });
});

test('bootstrapInterval: the interval of a median is ordered and lies within the sample', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
      const [low, high] = rightOf(bootstrapInterval([values], ([x = []]) => median(x), { resamples: 200 }), 'an interval');
      return low <= high && Math.min(...values) <= low && high <= Math.max(...values);
    }),
    { numRuns: 50 },
  );
});

test.run();
