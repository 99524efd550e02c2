import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';
import { ArenaPlan, plannedArena, runArenaSeed, type SeedResult } from '../arena/index';
import type { ArenaSeedItem } from './messages';

/**
 * Runs a queued arena seed on a worker with the code a local arena uses: the worlds' setup built from the item's
 * plan by plannedArena, with this machine's environment for the agents' endpoints and keys (ARENA_<NAME>_*,
 * AGENT_*) and the HTTP judge's (JUDGE_*), then runArenaSeed. Nothing is recorded here: a model cache is a folder
 * of the submitter's machine.
 */
export async function runArenaSeedItem(item: ArenaSeedItem, env: NodeJS.ProcessEnv = process.env): Promise<Either<string, SeedResult>> {
  const plan = decodeWith(ArenaPlan, item.plan);
  if (isLeft(plan)) return left(`the arena's plan: ${plan.left.map(formatIssue).join('; ')}`);
  try {
    const planned = plannedArena(plan.right, env);
    if (isLeft(planned)) return left(`this worker cannot build the arena: ${planned.left}`);
    return await runArenaSeed(planned.right.setup, item.seed);
  } catch (error) {
    return left(`this worker cannot build the arena: ${errorMessage(error)}`);
  }
}
