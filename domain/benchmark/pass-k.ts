import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { bootstrapInterval95, mean, sampleVariance } from './statistics';

/**
 * Statistics of repeated runs (epochs) of the benchmark's scenarios.
 *
 * With n runs of a scenario of which c succeeded, drawing k of the n runs without replacement:
 * - pass^k (τ-bench's `pass_hat_k`) = C(c,k) / C(n,k), the chance that all k succeed;
 * - pass@k (`pass_at_k`) = 1 − C(n−c,k) / C(n,k), the chance that at least one does.
 * Both are computed as products of k ratios, never as factorials, so they stay exact to rounding
 * for any n. k must be a whole number with 1 ≤ k ≤ n: a larger k has no unbiased estimate from n
 * runs, and is refused rather than extrapolated.
 */

function checkCounts(n: number, c: number, k: number): string | undefined {
  if (!Number.isInteger(n) || n < 1) return `the number of runs must be a whole number ≥ 1, got ${n}`;
  if (!Number.isInteger(c) || c < 0 || c > n) return `the successes must be a whole number from 0 to ${n}, got ${c}`;
  if (!Number.isInteger(k) || k < 1 || k > n) return `k must be a whole number from 1 to the ${n} runs, got ${k}`;
  return undefined;
}

/** C(a,k) / C(n,k) = Π_{i<k} (a−i)/(n−i), for 0 ≤ a ≤ n and k ≤ n; 0 once a−i reaches 0. */
function chooseRatio(a: number, n: number, k: number): number {
  let ratio = 1;
  for (let i = 0; i < k; i++) {
    if (a - i <= 0) return 0;
    ratio *= (a - i) / (n - i);
  }
  return ratio;
}

/** pass^k = C(c,k) / C(n,k): the probability that k runs drawn from the n all succeeded. */
export function passHatK(n: number, c: number, k: number): Either<string, number> {
  const problem = checkCounts(n, c, k);
  return problem === undefined ? right(chooseRatio(c, n, k)) : left(problem);
}

/** pass@k = 1 − C(n−c,k) / C(n,k): the probability that at least one of k runs drawn from the n succeeded. */
export function passAtK(n: number, c: number, k: number): Either<string, number> {
  const problem = checkCounts(n, c, k);
  return problem === undefined ? right(1 - chooseRatio(n - c, n, k)) : left(problem);
}

/** One run of one scenario, as a run log records it. */
export interface RunResult {
  readonly id: string;
  readonly domain: string;
  /** Which repetition this is (1, 2, …); pairs two runs' results in `comparePairedRuns`. */
  readonly epoch?: number;
  readonly passed: boolean;
  /** The judged blocks' mean score (1–5), when the scenario has judged blocks and was judged. */
  readonly judge_score?: number;
}

/** `{"1": value, …, "K": value}`. */
export type ByK = Readonly<Record<string, number>>;

export interface ScenarioPassK {
  readonly id: string;
  readonly domain: string;
  readonly n: number;
  readonly successes: number;
  readonly pass_hat_k: ByK;
  readonly pass_at_k: ByK;
}

/** A mean with its standard error (sample standard deviation / √count); `null` below two values. */
export interface MeanScore {
  readonly count: number;
  readonly mean: number;
  readonly standard_error: number | null;
}

export interface GroupPassK {
  readonly scenarios: number;
  readonly pass_hat_k: ByK;
  readonly pass_at_k: ByK;
  /** Over every run that has a judge score; absent when none has. */
  readonly judge_score?: MeanScore;
}

export interface PassKSummary {
  readonly k: number;
  readonly scenarios: readonly ScenarioPassK[];
  readonly domains: Readonly<Record<string, GroupPassK>>;
  readonly overall: GroupPassK;
}

function meanScore(scores: readonly number[]): MeanScore | undefined {
  if (scores.length === 0) return undefined;
  const spread = sampleVariance(scores);
  return {
    count: scores.length,
    mean: mean(scores),
    standard_error: Number.isNaN(spread) ? null : Math.sqrt(spread / scores.length),
  };
}

function byK(maxK: number, value: (k: number) => number): ByK {
  const values: Record<string, number> = {};
  for (let k = 1; k <= maxK; k++) values[String(k)] = value(k);
  return values;
}

/**
 * The mean of chances (0 to 1) as their sum over their count: 2 of 25 scenarios passing is 0.08. The shifted mean of
 * `statistics.ts`, made for values far from zero, gave 1 + (0 − 1) × 23/25 = 0.07999999999999996 when a passing
 * scenario came first.
 */
function meanChance(chances: readonly number[]): number {
  return chances.reduce((sum, chance) => sum + chance, 0) / chances.length;
}

function groupOf(scenarios: readonly ScenarioPassK[], runs: readonly RunResult[], maxK: number): GroupPassK {
  const judgeScore = meanScore(runs.flatMap((run) => (run.judge_score === undefined ? [] : [run.judge_score])));
  return {
    scenarios: scenarios.length,
    pass_hat_k: byK(maxK, (k) => meanChance(scenarios.map((scenario) => scenario.pass_hat_k[String(k)]!))),
    pass_at_k: byK(maxK, (k) => meanChance(scenarios.map((scenario) => scenario.pass_at_k[String(k)]!))),
    ...(judgeScore === undefined ? {} : { judge_score: judgeScore }),
  };
}

/**
 * pass^k and pass@k for k = 1…K of every scenario (runs grouped by id, in order of first
 * appearance), and their unweighted means per domain and over all scenarios (each scenario counts
 * once, however many runs it had), with the mean judge score ± its standard error over the runs.
 * K defaults to the fewest runs any scenario had; a K above some scenario's run count is refused,
 * naming the scenario, as is a scenario whose runs disagree on its domain.
 */
export function summarisePassK(runs: readonly RunResult[], maxK?: number): Either<string, PassKSummary> {
  const byId = new Map<string, RunResult[]>();
  for (const run of runs) {
    const group = byId.get(run.id);
    if (group === undefined) byId.set(run.id, [run]);
    else if (group[0]!.domain !== run.domain) return left(`scenario ${run.id} has runs in two domains: ${group[0]!.domain} and ${run.domain}`);
    else group.push(run);
  }
  if (byId.size === 0) return left('no runs to summarise');
  const k = maxK ?? Math.min(...[...byId.values()].map((group) => group.length));
  if (!Number.isInteger(k) || k < 1) return left(`K must be a whole number ≥ 1, got ${k}`);
  const scenarios: ScenarioPassK[] = [];
  for (const [id, group] of byId) {
    const n = group.length;
    if (k > n) return left(`scenario ${id} has ${n} run${n === 1 ? '' : 's'}, too few for pass^${k}`);
    const successes = group.filter((run) => run.passed).length;
    scenarios.push({
      id,
      domain: group[0]!.domain,
      n,
      successes,
      pass_hat_k: byK(k, (j) => chooseRatio(successes, n, j)),
      pass_at_k: byK(k, (j) => 1 - chooseRatio(n - successes, n, j)),
    });
  }
  const domains: Record<string, GroupPassK> = {};
  for (const domain of [...new Set(scenarios.map((scenario) => scenario.domain))].sort()) {
    const inDomain = scenarios.filter((scenario) => scenario.domain === domain);
    domains[domain] = groupOf(inDomain, runs.filter((run) => run.domain === domain), k);
  }
  return right({ k, scenarios, domains, overall: groupOf(scenarios, runs, k) });
}

/** The default number of bootstrap resamples and the default seed of `comparePairedRuns`. */
export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 'paired-bootstrap';

export interface PairedComparison {
  /** Scenario runs (same id and epoch) present in both runs; only these are compared. */
  readonly pairs: number;
  /** Pairs that failed in the baseline and passed in the candidate, and the reverse. */
  readonly improved: number;
  readonly regressed: number;
  readonly baseline_success_rate: number;
  readonly candidate_success_rate: number;
  /** candidate − baseline success rate over the shared pairs. */
  readonly difference: number;
  /** 95% percentile bootstrap interval of `difference`. */
  readonly ci95: readonly [number, number];
  /** Runs of one side with no counterpart in the other, left out of the comparison. */
  readonly unpaired: { readonly baseline: number; readonly candidate: number };
}

const pairKey = (run: RunResult): string => JSON.stringify([run.id, run.epoch ?? 1]);

/**
 * Compares two runs of the benchmark on the scenario runs they share (same scenario id and epoch;
 * a missing epoch counts as 1). The difference in success rate (candidate − baseline) gets a 95%
 * confidence interval by a **paired percentile bootstrap**: the shared pairs are resampled with
 * replacement `resamples` times, each resample's mean difference is computed, and the 2.5th and
 * 97.5th percentiles of those means bound the interval. Resampling whole pairs keeps each
 * scenario run's two outcomes together, so what both runs find equally hard cancels out. The draws
 * come from the project's seeded stream, so the same inputs and seed give the same interval.
 * No shared pair is refused: there is nothing to compare.
 */
export function comparePairedRuns(
  baseline: readonly RunResult[],
  candidate: readonly RunResult[],
  options: { readonly resamples?: number; readonly seed?: string } = {},
): Either<string, PairedComparison> {
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) return left(`resamples must be a whole number ≥ 1, got ${resamples}`);
  const baselineByKey = new Map<string, RunResult>();
  for (const run of baseline) {
    if (baselineByKey.has(pairKey(run))) return left(`the baseline has two runs of ${run.id} epoch ${run.epoch ?? 1}`);
    baselineByKey.set(pairKey(run), run);
  }
  const differences: number[] = [];
  const candidateKeys = new Set<string>();
  let baselinePassed = 0;
  let candidatePassed = 0;
  for (const run of candidate) {
    const key = pairKey(run);
    if (candidateKeys.has(key)) return left(`the candidate has two runs of ${run.id} epoch ${run.epoch ?? 1}`);
    candidateKeys.add(key);
    const counterpart = baselineByKey.get(key);
    if (counterpart === undefined) continue;
    baselinePassed += Number(counterpart.passed);
    candidatePassed += Number(run.passed);
    differences.push(Number(run.passed) - Number(counterpart.passed));
  }
  const pairs = differences.length;
  if (pairs === 0) return left('the two runs share no scenario run (same id and epoch) to compare');
  return right({
    pairs,
    improved: differences.filter((difference) => difference > 0).length,
    regressed: differences.filter((difference) => difference < 0).length,
    baseline_success_rate: baselinePassed / pairs,
    candidate_success_rate: candidatePassed / pairs,
    difference: (candidatePassed - baselinePassed) / pairs,
    ci95: bootstrapInterval95(differences, resamples, options.seed ?? BOOTSTRAP_SEED),
    unpaired: { baseline: baseline.length - pairs, candidate: candidate.length - pairs },
  });
}
