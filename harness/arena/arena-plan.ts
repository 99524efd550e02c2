import { join } from 'node:path';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { type CacheMode, Pricing } from '../agents';
import { cachedJudge, type Judge, judgeNamed, Rubric } from '../judges';
import { decodeStudy } from '../simulation';
import type { ArenaSetup } from './arena-world';
import { type FocalAgent, parseFocalAgents, prepareFocalAgents } from './focal-agents';
import { ARENA_SUBMISSION, JUDGED_CRITERIA } from './judged-human';

/**
 * An arena as plain data: everything its worlds are built from, the files its flags name already read
 * (the background's study configuration, the pricing, the rubric). The command line makes one; a
 * queue's worker is handed one with each seed and builds the same worlds from it, its agents' endpoints
 * and keys and the HTTP judge's from its own environment (none of them is ever part of a plan).
 */

export const ArenaPlan = t.intersection([
  t.type({
    /** `NAME=SPEC`, as typed. */
    agents: t.array(t.string),
    background: t.UnknownRecord,
    /** Where the background came from, for messages: the --population file or the default background. */
    background_name: t.string,
    cycles: t.number,
    balance: t.number,
    turn_timeout_ms: t.number,
    model_timeout_ms: t.number,
  }),
  t.partial({
    temperature: t.number,
    max_output_tokens: t.number,
    pricing: Pricing,
    judge: t.keyof({ rubric: null, http: null }),
    /** With the rubric judge: the rubric's JSON, and the file it was read from, for messages. */
    rubric: t.unknown,
    rubric_file: t.string,
  }),
]);
export type ArenaPlan = t.TypeOf<typeof ArenaPlan>;

/** Under a model cache, the HTTP judge's verdicts: no agent can be named so (a name starts with a letter). */
export const JUDGE_CACHE = '_judge';

export interface PlannedArena {
  readonly setup: ArenaSetup;
  readonly agents: readonly FocalAgent[];
}

/** The arena's rubric: one for the submissions, scoring the human's three criteria from the work handed in alone. */
function arenaRubric(json: unknown, file: string): Either<string, Rubric> {
  const rubric = decodeWith(Rubric, json);
  if (isLeft(rubric)) return left(`--rubric: ${file}: ${rubric.left.map(formatIssue).join('; ')}`);
  const { scenario_id, criteria } = rubric.right;
  if (scenario_id !== ARENA_SUBMISSION.scenario_id) {
    return left(`--rubric: ${file}: $.scenario_id: expected "${ARENA_SUBMISSION.scenario_id}" (the arena's submissions), got ${JSON.stringify(scenario_id)}`);
  }
  const missing = JUDGED_CRITERIA.filter((criterion) => !Object.hasOwn(criteria, criterion));
  if (missing.length > 0) return left(`--rubric: ${file}: $.criteria: expected an entry for each of ${JUDGED_CRITERIA.join(', ')}, missing ${missing.join(', ')}`);
  // The judge is shown only the work handed in: a criterion that reads anything else would score nothing.
  const reading = JUDGED_CRITERIA.find((criterion) => {
    const entry = criteria[criterion]!;
    return entry.scores !== 'facts' || entry.read === undefined || entry.read.some((source) => source !== 'outputs');
  });
  if (reading !== undefined) {
    return left(`--rubric: ${file}: $.criteria.${reading}: expected a facts criterion reading only the outputs ("scores": "facts", "read": ["outputs"]): the judge sees only the work handed in`);
  }
  return right(rubric.right);
}

function rewardJudge(plan: ArenaPlan, env: Readonly<Record<string, string | undefined>>, cache: { readonly dir: string; readonly mode: CacheMode } | undefined): Either<string, Judge | undefined> {
  if (plan.judge === undefined) return right(undefined);
  if (plan.judge === 'http') {
    const judge = judgeNamed('http', {}, env);
    return right(cache === undefined ? judge : cachedJudge(judge, join(cache.dir, JUDGE_CACHE), cache.mode));
  }
  const rubric = arenaRubric(plan.rubric, plan.rubric_file ?? 'the rubric');
  return isLeft(rubric) ? rubric : right(judgeNamed('rubric', { rubric: rubric.right }, env));
}

/**
 * The worlds' setup, every part checked before any world runs: the agents (each can start), the
 * background, the judge. `cache`: where model agents record their answers, and the HTTP judge its
 * verdicts. An HTTP judge that is not configured throws the command's bad input, as run.ts's does.
 */
export function plannedArena(plan: ArenaPlan, env: Readonly<Record<string, string | undefined>>, cache?: { readonly dir: string; readonly mode: CacheMode }): Either<string, PlannedArena> {
  const agents = parseFocalAgents(plan.agents);
  if (isLeft(agents)) return agents;
  if (agents.right.length === 0) return left('--agent NAME=SPEC: give at least one agent under test (e.g. --agent a=policy:fixed_share; see --help)');
  const population = decodeStudy(plan.background, plan.background_name);
  if (isLeft(population)) return left(population.left.join('\n'));
  const judge = rewardJudge(plan, env, cache);
  if (isLeft(judge)) return judge;
  const settings = {
    turnTimeoutMs: plan.turn_timeout_ms,
    modelTimeoutMs: plan.model_timeout_ms,
    temperature: plan.temperature,
    maxOutputTokens: plan.max_output_tokens,
    cache,
    pricing: plan.pricing,
  };
  const focal = prepareFocalAgents(agents.right, settings, env);
  if (isLeft(focal)) return focal;
  return right({
    setup: { population: population.right, cycles: plan.cycles, balance: plan.balance, focal: focal.right, ...(judge.right === undefined ? {} : { judge: judge.right }) },
    agents: agents.right,
  });
}
