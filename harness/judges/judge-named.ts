import { isLeft } from 'fp-ts/lib/Either.js';
import { badInput } from '../cli';
import { createHttpJudge, httpJudgeConfigFromEnv } from './http-judge';
import type { Judge } from './judge';
import { createRubricJudge } from './rubric/rubric-judge';

export const JUDGES = ['rubric', 'http'] as const;

/** `--judge rubric|http`: the rubric judge reads `<id>.rubric.json` in `companions`; the HTTP judge is configured by the environment. */
export function judgeNamed(name: string, companions: string): Judge {
  if (name === 'rubric') return createRubricJudge({ scenariosDir: companions });
  if (name !== 'http') throw badInput(`--judge: expected ${JUDGES.join(' or ')}, got ${JSON.stringify(name)}`);
  const config = httpJudgeConfigFromEnv(process.env);
  if (isLeft(config)) throw badInput(`--judge http: ${config.left}`);
  return createHttpJudge(config.right);
}
