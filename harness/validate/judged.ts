import type { JudgedBlock } from '../../domain/benchmark/scenario';
import { formatNumber } from '../../domain/benchmark/constraint';
import { meanScore } from '../../domain/benchmark/judge-score';
import type { Trace } from '../../domain/economy/events';
import { describeEvent } from './match';
import type { Check } from './verdict';

/**
 * Judged blocks (`judge_evaluation`, `output_quality`, `code_quality_check`): satisfied by a
 * `judge_evaluation` event whose criteria cover the block's; the score is the mean of those.
 */

export interface Judgement {
  /** Position in the trace of the `judge_evaluation` event. */
  readonly index: number;
  /** The block's criteria, in the block's order, with their scores. */
  readonly scores: readonly { criterion: string; score: number }[];
  readonly mean: number;
}

/** The latest `judge_evaluation` whose criteria cover every criterion of the block. */
export function judgementFor(block: JudgedBlock, trace: Trace): Judgement | undefined {
  for (let index = trace.length - 1; index >= 0; index -= 1) {
    const event = trace[index]!;
    if (event.type !== 'judge_evaluation') continue;
    const scores = block.criteria.flatMap((criterion) => {
      const scored = event.data.criteria.find((entry) => entry.criterion === criterion);
      return scored === undefined ? [] : [{ criterion, score: scored.score }];
    });
    if (scores.length === block.criteria.length) {
      return { index, scores, mean: meanScore(scores) };
    }
  }
  return undefined;
}

export function describeScores(judgement: Judgement): string {
  return judgement.scores.map(({ criterion, score }) => `${criterion}=${formatNumber(score)}`).join(', ');
}

export function noJudgement(criteria: readonly string[]): string {
  return `no judgement was recorded for criteria ${criteria.join(', ')}`;
}

export function checkJudgedBlock(block: JudgedBlock, trace: Trace): Check {
  const judgement = judgementFor(block, trace);
  if (judgement === undefined) return { name: block.block, passed: false, detail: noJudgement(block.criteria) };
  const passed = judgement.mean >= block.threshold;
  const detail =
    `mean score ${formatNumber(judgement.mean)} (${describeScores(judgement)}, judged at ${describeEvent(trace, judgement.index)}), ` +
    `required >= ${formatNumber(block.threshold)}`;
  return { name: block.block, passed, detail };
}
