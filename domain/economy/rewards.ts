import * as t from 'io-ts';
import { isLeft, left, map, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../codec/decode';
import { roundCredits } from './credits';
import { mint, type Ledger, type LedgerError } from './ledger';

const Score = t.refinement(t.number, (n) => n >= 0 && n <= 10, 'a score from 0 to 10');

/** A human's judgement of an agent's output: the only thing that creates credits. */
export const HumanScores = t.type({ interesting: Score, useful: Score, understandable: Score }, 'HumanScores');
export type HumanScores = t.TypeOf<typeof HumanScores>;

export const REWARD_PER_POINT = 50;

export function rewardCredits(scores: HumanScores): number {
  return roundCredits(REWARD_PER_POINT * (scores.interesting + scores.useful + scores.understandable));
}

export type RewardError = LedgerError | { kind: 'invalid_scores'; issues: string[] };

/** Decodes the scores (they come from a scenario or a human) and credits the agent with their reward. */
export function reward(
  l: Ledger,
  agentId: string,
  scores: unknown,
): Either<RewardError, { ledger: Ledger; credits: number; scores: HumanScores }> {
  const decoded = decodeWith(HumanScores, scores, 'scores');
  if (isLeft(decoded)) return left({ kind: 'invalid_scores', issues: decoded.left.map(formatIssue) });
  const credits = rewardCredits(decoded.right);
  return map((ledger: Ledger) => ({ ledger, credits, scores: decoded.right }))(mint(l, agentId, credits));
}
