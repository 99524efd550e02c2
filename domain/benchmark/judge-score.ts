/**
 * The score of a judged block: the plain mean of its criteria's scores (1 to 5). Judges, the validator
 * and the `judge_score` value all use this one, so that a recorded overall score and a recomputed one agree.
 */
export function meanScore(criteria: readonly { readonly score: number }[]): number {
  return criteria.reduce((sum, { score }) => sum + score, 0) / criteria.length;
}
