import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent, EventData } from '../../domain/economy/events';
import { meanScore } from '../../domain/benchmark/judge-score';
import type { JudgedBlock, Scenario } from '../../domain/benchmark/scenario';

/**
 * The interface every judge implements (docs/DESIGN.md section 7): the deterministic rubric judge and
 * the HTTP judge both score one judged block of a scenario against the trace.
 */

export interface JudgeRequest extends JudgedBlock {
  readonly scenarioId: string;
  readonly scenario: Scenario;
  /** The trace so far, in the order it was recorded. */
  readonly events: readonly DomainEvent[];
}

export type JudgeVerdict = EventData<'judge_evaluation'>;
export type JudgeCriterionVerdict = JudgeVerdict['criteria'][number];

/**
 * `no_rubric`: the rubric judge has no usable rubric for the scenario (missing, invalid, or lacking a criterion);
 * `not_recorded`: a judge replaying its recorded verdicts has none for the request.
 */
export type JudgeFailureKind = 'unreachable' | 'timeout' | 'bad_reply' | 'http_error' | 'no_rubric' | 'not_recorded';

/** Why a judge gave no verdict; `message` is complete on its own and never holds a secret. */
export interface JudgeFailure {
  readonly kind: JudgeFailureKind;
  readonly message: string;
  readonly attempts: number;
}

export interface Judge {
  readonly name: string;
  evaluate(request: JudgeRequest): Promise<Either<JudgeFailure, JudgeVerdict>>;
}

/**
 * The verdict for scores on the requested criteria: the overall score is their mean, and it passes
 * at the threshold. Judges compute it here rather than trusting anyone else's arithmetic.
 */
export function verdictOf(criteria: readonly JudgeCriterionVerdict[], threshold: number, feedback: string): JudgeVerdict {
  const overall = meanScore(criteria);
  return { criteria: [...criteria], overall_score: overall, pass: overall >= threshold, feedback };
}
