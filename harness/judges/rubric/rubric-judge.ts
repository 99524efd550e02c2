import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Trace } from '../../../domain/economy/events';
import { verdictOf, type Judge, type JudgeCriterionVerdict, type JudgeRequest, type JudgeVerdict } from '../judge';
import { DEFAULT_SOURCES, loadRubricFor, type Criterion, type Rubric } from './rubric';
import { assessDecision, type Assessment } from './decision';
import { findFact, type Statement, statementsOf } from './statements';

/**
 * The deterministic rubric judge (docs/DESIGN.md section 7): it scores a judged block from the scenario's
 * rubric file, offline and the same way every time.
 *
 * The agent judged is the first one whose own words (reasoning, reflections, code proposals,
 * submitted outputs) the trace records; only its words and its events count. Its decision is assessed
 * against the rubric's decisions as `rubric-decision.ts` describes.
 *
 * The scores, 1 to 5 per criterion:
 * - a `facts` criterion scores 1 + 4 × (facts found / facts listed), rounded: all found 5, none 1;
 * - a `coherence` criterion scores 5 when the judged decision is expected and coherent, else 1;
 * - unless the decision is expected and coherent (or the rubric judges no decision), every
 *   criterion is capped just under the block's threshold (at 2 for thresholds above 2), so that a
 *   wrong, contradicted or missing decision fails the block however well the facts are stated.
 * The overall score and the pass are `verdictOf`'s: the mean of the criteria against the threshold.
 */

export interface RubricJudgeOptions {
  /** Where rubrics are found, as `<domain>/<id>.rubric.json`; the project's `scenarios/` when absent. */
  readonly scenariosDir?: string;
  /** One rubric, already read, for every request instead (its `scenario_id` must still be the request's). */
  readonly rubric?: Rubric;
}

export function createRubricJudge(options: RubricJudgeOptions = {}): Judge {
  return {
    name: 'rubric',
    evaluate: async (request) => {
      const rubric =
        options.rubric === undefined ? loadRubricFor({ domain: request.scenario.domain, id: request.scenarioId }, options.scenariosDir) : right(options.rubric);
      const verdict = isLeft(rubric) ? rubric : judgeByRubric(rubric.right, request);
      if (!isLeft(verdict)) return verdict;
      const message = `rubric judge, judging ${request.block} of ${request.scenarioId}: ${verdict.left}`;
      return left({ kind: 'no_rubric', attempts: 1, message });
    },
  };
}

/** The scores `rubric` gives the trace on the request's criteria, or why it cannot score them. */
export function judgeByRubric(rubric: Rubric, request: JudgeRequest): Either<string, JudgeVerdict> {
  if (rubric.scenario_id !== request.scenarioId) {
    return left(`the rubric is for scenario ${rubric.scenario_id}, not ${request.scenarioId}`);
  }
  const unlisted = request.criteria.filter((criterion) => !Object.hasOwn(rubric.criteria, criterion));
  if (unlisted.length > 0) {
    return left(`the rubric has no entry for criteria ${unlisted.join(', ')} (it lists ${Object.keys(rubric.criteria).join(', ')})`);
  }
  const trace = request.events;
  const everyones = statementsOf(trace);
  const subject = everyones[0]?.agent;
  const statements = everyones.filter((statement) => statement.agent === subject);
  const assessment = assessDecision(rubric.decisions ?? [], trace, subject);
  const cap = capUnder(request.threshold);
  const scored = request.criteria.map((criterion) => scoreCriterion(criterion, rubric.criteria[criterion]!, assessment, cap, statements, trace));
  const missing = scored.flatMap(({ missingFacts }) => missingFacts);
  const feedback =
    `${capitalised(assessment.summary)}.` +
    (missing.length > 0 ? ` Not stated: ${missing.join('; ')}.` : ' Every fact the criteria need is stated.');
  return right(verdictOf(scored.map(({ verdict }) => verdict), request.threshold, feedback));
}

/** The highest whole score that still fails the threshold, and never below 1. */
function capUnder(threshold: number): number {
  return Math.max(1, Math.min(2, Math.ceil(threshold) - 1));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface ScoredCriterion {
  readonly verdict: JudgeCriterionVerdict;
  readonly missingFacts: readonly string[];
}

function scoreCriterion(
  criterion: string,
  entry: Criterion,
  assessment: Assessment,
  cap: number,
  statements: readonly Statement[],
  trace: Trace,
): ScoredCriterion {
  if (entry.scores === 'coherence') {
    const score = assessment.sound ? 5 : 1;
    return { verdict: { criterion, score, justification: `${capitalised(assessment.summary)}.` }, missingFacts: [] };
  }
  const sources = entry.read ?? DEFAULT_SOURCES;
  const readable = statements.filter((statement) => sources.includes(statement.source));
  const found: string[] = [];
  const missing: string[] = [];
  for (const fact of entry.facts) {
    const stated = findFact(fact, readable, trace);
    if (stated === undefined) missing.push(fact.fact);
    else found.push(stated);
  }
  const base = 1 + Math.round((4 * found.length) / entry.facts.length);
  const score = assessment.sound ? base : Math.min(base, cap);
  const justification = [
    `Found ${found.length} of ${entry.facts.length} facts in the ${sources.join(' and ')}${found.length > 0 ? `: ${found.join('; ')}` : ''}.`,
    ...(missing.length > 0 ? [`Missing: ${missing.join('; ')}.`] : []),
    ...(assessment.sound ? [] : [`Capped at ${cap}${base > cap ? ` (from ${base})` : ''}: ${assessment.summary}.`]),
  ].join(' ');
  return { verdict: { criterion, score, justification }, missingFacts: missing };
}
