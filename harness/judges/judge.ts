import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent, EventData } from '../../domain/events';
import { meanScore } from '../../domain/judge-score';
import { DEFAULT_JUDGE_THRESHOLD, JUDGED_BLOCKS, type JudgedBlockName, type Scenario } from '../../domain/scenario';

/**
 * The interface every judge implements (DESIGN.md section 7): the deterministic rubric judge and
 * the HTTP judge both score one judged block of a scenario against the trace.
 */

/** One judged block as the scenario states it: criterion ids verbatim, and the threshold that passes. */
export interface JudgedBlock {
  readonly block: JudgedBlockName;
  readonly criteria: readonly string[];
  readonly threshold: number;
}

export interface JudgeRequest extends JudgedBlock {
  readonly scenarioId: string;
  readonly scenario: Scenario;
  /** The trace so far, in the order it was recorded. */
  readonly events: readonly DomainEvent[];
}

export type JudgeVerdict = EventData<'judge_evaluation'>;
export type JudgeCriterionVerdict = JudgeVerdict['criteria'][number];

/** `no_rubric`: the rubric judge has no usable rubric for the scenario (missing, invalid, or lacking a criterion). */
export type JudgeFailureKind = 'unreachable' | 'timeout' | 'bad_reply' | 'http_error' | 'no_rubric';

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
 * The block named `block`, if the scenario has it. `output_quality` names a single `criterion`;
 * upstream writes the `judge_evaluation` threshold as `threshold` or `pass_threshold`, or leaves it out.
 */
export function judgedBlockOf(scenario: Scenario, block: JudgedBlockName): JudgedBlock | undefined {
  const { validation } = scenario;
  switch (block) {
    case 'judge_evaluation': {
      const spec = validation.judge_evaluation;
      if (spec === undefined) return undefined;
      return { block, criteria: spec.criteria, threshold: spec.threshold ?? spec.pass_threshold ?? DEFAULT_JUDGE_THRESHOLD };
    }
    case 'output_quality': {
      const spec = validation.output_quality;
      return spec === undefined ? undefined : { block, criteria: [spec.criterion], threshold: spec.threshold };
    }
    case 'code_quality_check': {
      const spec = validation.code_quality_check;
      return spec === undefined ? undefined : { block, criteria: spec.criteria, threshold: spec.threshold };
    }
  }
}

/** Every judged block of the scenario, in the order of `JUDGED_BLOCKS`. */
export function judgedBlocksOf(scenario: Scenario): JudgedBlock[] {
  return JUDGED_BLOCKS.flatMap((block) => judgedBlockOf(scenario, block) ?? []);
}

/**
 * The verdict for scores on the requested criteria: the overall score is their mean, and it passes
 * at the threshold. Judges compute it here rather than trusting anyone else's arithmetic.
 */
export function verdictOf(criteria: readonly JudgeCriterionVerdict[], threshold: number, feedback: string): JudgeVerdict {
  const overall = meanScore(criteria);
  return { criteria: [...criteria], overall_score: overall, pass: overall >= threshold, feedback };
}
