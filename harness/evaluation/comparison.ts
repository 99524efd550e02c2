import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { comparePairedRuns, summarisePassK, type PairedComparison } from '../../domain/benchmark/pass-k';
import { mean } from '../../domain/benchmark/statistics';
import type { RunLog } from './run-log';

/**
 * Several logged runs side by side: per run and scenario its pass^1, pass^K, mean judge score,
 * tokens and cost; and for each pair of runs the paired difference in success rate over the
 * scenario runs (same id and epoch) they share, with its 95% paired-bootstrap interval, overall and
 * per scenario.
 */

export interface ScenarioRow {
  readonly run: string;
  readonly id: string;
  readonly n: number;
  readonly pass_hat_1: number;
  readonly pass_hat_k: number;
  readonly k: number;
  readonly judge_mean?: number;
  readonly tokens: number;
  readonly cost_usd?: number;
}

export interface PairRow extends PairedComparison {
  readonly baseline: string;
  readonly candidate: string;
  /** The same difference, and its interval, over each scenario's shared runs alone (every scenario both runs have). */
  readonly scenarios: readonly (PairedComparison & { readonly id: string })[];
}

export interface Comparison {
  readonly rows: readonly ScenarioRow[];
  readonly pairs: readonly PairRow[];
}

const resultsOf = (log: RunLog) => log.samples.map(({ verdict: { id, domain, epoch, passed, judge_score } }) => ({ id, domain, epoch, passed, judge_score }));

export function compareLogs(logs: readonly RunLog[]): Either<string, Comparison> {
  const rows: ScenarioRow[] = [];
  for (const log of logs) {
    const summary = summarisePassK(resultsOf(log));
    if (isLeft(summary)) return left(`${log.file}: ${summary.left}`);
    const { k } = summary.right;
    for (const scenario of summary.right.scenarios) {
      const samples = log.samples.map((sample) => sample.verdict).filter((verdict) => verdict.id === scenario.id);
      const scores = samples.flatMap((sample) => (sample.judge_score === undefined ? [] : [sample.judge_score]));
      const costs = samples.flatMap((sample) => (sample.cost_usd === undefined ? [] : [sample.cost_usd]));
      rows.push({
        run: log.run.run_id,
        id: scenario.id,
        n: scenario.n,
        pass_hat_1: scenario.pass_hat_k['1']!,
        pass_hat_k: scenario.pass_hat_k[String(k)]!,
        k,
        ...(scores.length === 0 ? {} : { judge_mean: mean(scores) }),
        tokens: samples.reduce((sum, sample) => sum + sample.usage.total_tokens, 0),
        ...(costs.length === 0 ? {} : { cost_usd: Math.round(costs.reduce((a, b) => a + b, 0) * 1_000_000) / 1_000_000 }),
      });
    }
  }
  const pairs: PairRow[] = [];
  for (const [i, baseline] of logs.entries()) {
    for (const candidate of logs.slice(i + 1)) {
      const [before, after] = [resultsOf(baseline), resultsOf(candidate)];
      const compared = comparePairedRuns(before, after);
      if (isLeft(compared)) return left(`${baseline.file} and ${candidate.file}: ${compared.left}`);
      const scenarios = [...new Set(before.map((result) => result.id))].flatMap((id) => {
        const alone = comparePairedRuns(before.filter((result) => result.id === id), after.filter((result) => result.id === id));
        // A scenario only one of the runs has is no pair: it is left out here as it is from the overall difference.
        return isLeft(alone) ? [] : [{ id, ...alone.right }];
      });
      pairs.push({ baseline: baseline.run.run_id, candidate: candidate.run.run_id, ...compared.right, scenarios });
    }
  }
  return right({ rows, pairs });
}
