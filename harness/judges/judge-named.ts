import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput } from '../cli';
import { createHttpJudge, httpJudgeConfigFromEnv } from './http-judge';
import type { Judge } from './judge';
import { createRubricJudge, type RubricJudgeOptions } from './rubric/rubric-judge';

export const JUDGES = ['rubric', 'http'] as const;

/**
 * `--judge rubric|http`: the rubric judge reads `<domain>/<id>.rubric.json` in `rubrics` (a folder of
 * companions) or the one rubric file it names; the HTTP judge is configured by the environment.
 */
export function judgeNamed(name: string, rubrics: string | RubricJudgeOptions, env: Readonly<Record<string, string | undefined>> = process.env): Judge {
  if (name === 'rubric') return createRubricJudge(typeof rubrics === 'string' ? { scenariosDir: rubrics } : rubrics);
  if (name !== 'http') throw badInput(`--judge: expected ${JUDGES.join(' or ')}, got ${JSON.stringify(name)}`);
  const config = httpJudgeConfigFromEnv(env);
  if (isLeft(config)) throw badInput(`--judge http: ${config.left}`);
  return createHttpJudge(config.right);
}
