import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { comparePairedRuns, passAtK, passHatK, summarisePassK, type RunResult } from '../domain/benchmark/pass-k';
import { leftOf, rightOf } from './fixtures/either';

function assertClose(actual: number, expected: number, label: string, tolerance = 1e-12) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: got ${actual}, expected ${expected}`);
}

const hat = (n: number, c: number, k: number) => rightOf(passHatK(n, c, k));
const at = (n: number, c: number, k: number) => rightOf(passAtK(n, c, k));

test('pass^k and pass@k of 2 successes in 4 runs, by hand', () => {
  assertClose(hat(4, 2, 1), 0.5, 'pass^1');
  assertClose(hat(4, 2, 2), 1 / 6, 'pass^2 = C(2,2)/C(4,2)');
  assert.is(hat(4, 2, 3), 0, 'pass^3: three successes cannot be drawn from two');
  assertClose(at(4, 2, 1), 0.5, 'pass@1');
  assertClose(at(4, 2, 2), 5 / 6, 'pass@2 = 1 − C(2,2)/C(4,2)');
  assert.is(at(4, 2, 3), 1, 'pass@3: three draws from two failures must hit a success');
});

test('pass^k and pass@k of 3 successes in 5 runs, by hand', () => {
  assertClose(hat(5, 3, 2), 3 / 10, 'C(3,2)/C(5,2)');
  assertClose(hat(5, 3, 3), 1 / 10, 'C(3,3)/C(5,3)');
  assertClose(at(5, 3, 2), 9 / 10, '1 − C(2,2)/C(5,2)');
  assert.is.not(hat(5, 3, 2), (3 / 5) ** 2, 'drawn without replacement, not (c/n)^k');
});

test('no success gives 0 for both; all successes give 1 for both, at every k', () => {
  for (let k = 1; k <= 6; k++) {
    assert.is(hat(6, 0, k), 0);
    assert.is(at(6, 0, k), 0);
    assert.is(hat(6, 6, k), 1);
    assert.is(at(6, 6, k), 1);
  }
});

test('k above the number of runs, k below 1, and impossible counts are refused', () => {
  assert.match(leftOf(passHatK(4, 2, 5)), /k must be a whole number from 1 to the 4 runs, got 5/);
  assert.match(leftOf(passAtK(4, 2, 0)), /got 0/);
  assert.match(leftOf(passHatK(4, 5, 1)), /successes must be a whole number from 0 to 4, got 5/);
  assert.match(leftOf(passAtK(0, 0, 1)), /number of runs/);
  assert.match(leftOf(passHatK(4, 1.5, 1)), /successes/);
});

/** C(a,k)/C(n,k) exactly with big integers, to 18 significant digits. */
function exactRatio(a: number, n: number, k: number): number {
  const choose = (m: number) => {
    let value = 1n;
    for (let i = 0; i < k; i++) value = (value * BigInt(m - i)) / BigInt(i + 1);
    return value;
  };
  const scale = 10n ** 18n;
  return Number((choose(a) * scale) / choose(n)) / 1e18;
}

test('large run counts stay accurate where factorials overflow', () => {
  assertClose(hat(1000, 500, 10), exactRatio(500, 1000, 10), 'pass^10 of 500/1000', 1e-15);
  assertClose(at(1000, 990, 50), 1 - exactRatio(10, 1000, 50), 'pass@50 of 990/1000', 1e-15);
  assert.ok(hat(1000, 500, 10) > 0 && hat(1000, 500, 10) < 1);
});

const runsOf = (id: string, domain: string, outcomes: readonly boolean[], scores: readonly number[] = []): RunResult[] =>
  outcomes.map((passed, index) => ({ id, domain, epoch: index + 1, passed, ...(scores[index] === undefined ? {} : { judge_score: scores[index] }) }));

test('the summary: per scenario, per domain and overall, K defaulting to the fewest runs', () => {
  const runs = [
    ...runsOf('fc_001', 'functional_competence', [true, false, true, false]),
    ...runsOf('er_001', 'economic_reasoning', [true, true, true, true], [3, 4, 5, 4]),
    ...runsOf('er_002', 'economic_reasoning', [false, false, false, false], [2, 2, 2, 2]),
  ];
  const summary = rightOf(summarisePassK(runs));
  assert.is(summary.k, 4);
  assert.equal(Object.keys(summary.scenarios[0]!), ['id', 'domain', 'n', 'successes', 'pass_hat_k', 'pass_at_k']);
  const fc = summary.scenarios[0]!;
  assert.equal([fc.id, fc.domain, fc.n, fc.successes], ['fc_001', 'functional_competence', 4, 2]);
  assert.equal(Object.keys(fc.pass_hat_k), ['1', '2', '3', '4']);
  assertClose(fc.pass_hat_k['2']!, 1 / 6, 'fc pass^2');
  assertClose(fc.pass_at_k['2']!, 5 / 6, 'fc pass@2');
  const er = summary.domains.economic_reasoning!;
  assert.is(er.scenarios, 2);
  assert.is(er.pass_hat_k['3'], 0.5, 'mean of 1 and 0');
  assert.is(er.pass_at_k['1'], 0.5);
  assert.is(er.judge_score!.count, 8);
  assert.is(er.judge_score!.mean, 3);
  assert.equal(summary.domains.functional_competence!.judge_score, undefined, 'no scores, no judge score');
  assertClose(summary.overall.pass_hat_k['2']!, (1 / 6 + 1 + 0) / 3, 'overall: each scenario counts once');
  assert.is(summary.overall.scenarios, 3);
});

test('a mean of chances is their exact share: 2 of 25 scenarios passing is 0.08, not 0.07999999999999996', () => {
  const runs: RunResult[] = Array.from({ length: 25 }, (_, index) => ({ id: `s${index}`, domain: 'd', epoch: 1, passed: index === 0 || index === 7 }));
  const summary = rightOf(summarisePassK(runs));
  assert.is(summary.overall.pass_hat_k['1'], 0.08);
  assert.is(summary.overall.pass_at_k['1'], 0.08);
  assert.is(summary.domains.d!.pass_hat_k['1'], 0.08);
});

test('the judge score: its mean and standard error (sample sd / √count), none below two scores', () => {
  const summary = rightOf(summarisePassK(runsOf('er_001', 'economic_reasoning', [true, true, true], [3, 4, 5])));
  const { count, mean, standard_error } = summary.overall.judge_score!;
  assert.equal([count, mean], [3, 4]);
  assertClose(standard_error!, 1 / Math.sqrt(3), 'standard error');
  assert.is.not(standard_error, Math.sqrt(2 / 3 / 3), 'the population sd (n) is not what we want');
  const single = rightOf(summarisePassK(runsOf('er_001', 'economic_reasoning', [true], [4])));
  assert.equal(single.overall.judge_score, { count: 1, mean: 4, standard_error: null });
});

test('the summary refuses a K above some scenario\'s runs, no runs, and a scenario in two domains', () => {
  const runs = [...runsOf('fc_001', 'functional_competence', [true, true, true]), ...runsOf('fc_002', 'functional_competence', [true])];
  assert.is(rightOf(summarisePassK(runs)).k, 1);
  assert.match(leftOf(summarisePassK(runs, 2)), /scenario fc_002 has 1 run, too few for pass\^2/);
  assert.match(leftOf(summarisePassK([])), /no runs/);
  assert.match(leftOf(summarisePassK([...runsOf('x', 'a', [true]), ...runsOf('x', 'b', [true])])), /two domains/);
});

/** `improved` pairs go from fail to pass, `regressed` the reverse, and `same` pass in both. */
function pairedRuns(improved: number, regressed: number, same: number, failBoth = 0) {
  const baseline: RunResult[] = [];
  const candidate: RunResult[] = [];
  const add = (before: boolean, after: boolean, count: number) => {
    for (let i = 0; i < count; i++) {
      const id = `s${baseline.length}`;
      baseline.push({ id, domain: 'd', epoch: 1, passed: before });
      candidate.push({ id, domain: 'd', epoch: 1, passed: after });
    }
  };
  add(false, true, improved);
  add(true, false, regressed);
  add(true, true, same);
  add(false, false, failBoth);
  return { baseline, candidate };
}

test('paired comparison: the difference and a bootstrap interval close to the normal one', () => {
  const { baseline, candidate } = pairedRuns(30, 10, 40, 20);
  const comparison = rightOf(comparePairedRuns(baseline, candidate));
  assert.is(comparison.pairs, 100);
  assert.equal([comparison.improved, comparison.regressed], [30, 10]);
  assert.equal([comparison.baseline_success_rate, comparison.candidate_success_rate], [0.5, 0.7]);
  assertClose(comparison.difference, 0.2, 'difference');
  // d has mean 0.2 and variance 0.4 − 0.04 = 0.36: the normal interval is 0.2 ± 1.96 × 0.06.
  const [low, high] = comparison.ci95;
  assertClose(low, 0.2 - 1.96 * 0.06, 'lower bound', 0.02);
  assertClose(high, 0.2 + 1.96 * 0.06, 'upper bound', 0.02);
  assert.ok(low > 0, 'the improvement is significant');
});

test('paired comparison: deterministic for a seed, and degenerate when every pair agrees', () => {
  const { baseline, candidate } = pairedRuns(5, 3, 10);
  assert.equal(rightOf(comparePairedRuns(baseline, candidate)), rightOf(comparePairedRuns(baseline, candidate)));
  const other = rightOf(comparePairedRuns(baseline, candidate, { seed: 'other' }));
  assert.is.not(other.ci95.join(), rightOf(comparePairedRuns(baseline, candidate)).ci95.join(), 'the seed drives the resampling');
  const same = rightOf(comparePairedRuns(...Object.values(pairedRuns(0, 0, 10, 5)) as [RunResult[], RunResult[]]));
  assert.equal([same.difference, same.ci95], [0, [0, 0]]);
  const all = rightOf(comparePairedRuns(...Object.values(pairedRuns(7, 0, 0)) as [RunResult[], RunResult[]]));
  assert.equal([all.difference, all.ci95], [1, [1, 1]]);
});

test('paired comparison: only runs with the same id and epoch pair up; none shared is refused', () => {
  const baseline: RunResult[] = [
    { id: 'a', domain: 'd', epoch: 1, passed: false },
    { id: 'a', domain: 'd', epoch: 2, passed: false },
    { id: 'b', domain: 'd', passed: true },
  ];
  const candidate: RunResult[] = [
    { id: 'a', domain: 'd', epoch: 1, passed: true },
    { id: 'a', domain: 'd', epoch: 3, passed: true },
    { id: 'b', domain: 'd', epoch: 1, passed: true },
  ];
  const comparison = rightOf(comparePairedRuns(baseline, candidate));
  assert.is(comparison.pairs, 2, 'a#1 and b (no epoch is epoch 1)');
  assert.equal(comparison.unpaired, { baseline: 1, candidate: 1 });
  assertClose(comparison.difference, 0.5, 'difference');
  assert.match(leftOf(comparePairedRuns(baseline, [{ id: 'c', domain: 'd', passed: true }])), /share no scenario run/);
  assert.match(leftOf(comparePairedRuns([...baseline, baseline[0]!], candidate)), /baseline has two runs of a epoch 1/);
});

test.run();
