import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { type ArenaPlan, type SeedResult, SeedResultCodec } from '../arena/index';
import type { QueueConnection } from './connection';
import { QueuedItems } from './queued-items';

/**
 * An arena's seeds run by the queue's workers, in place of runArenaSeed here: each seed, by its place in the arena's
 * seeds, is an item carrying the arena's plan, and its world's result comes back checked as the arena's log checks a
 * seed line. Everything else — the log, the report, the page — is the local path's own code, so the output is a
 * local arena's. The queue's run id is the log's (queueRunIdOf), so that `--resume LOG` finds the results its first
 * submitter left.
 */
export class QueuedArenaSeeds {
  private readonly items: QueuedItems<SeedResult>;

  constructor(
    queue: QueueConnection,
    runId: string,
    private readonly plan: ArenaPlan,
    private readonly version: string,
  ) {
    this.items = new QueuedItems(queue, runId, (result) => {
      if (!('seed_result' in result)) return undefined;
      const seed = decodeWith(SeedResultCodec, result.seed_result);
      return isLeft(seed) ? left(`the result of worker ${result.worker}: ${seed.left.map(formatIssue).join('; ')}`) : right(seed.right);
    });
  }

  /** The world of `seed`, the arena's `index`th seed, run by a worker. */
  run(index: number, seed: string): Promise<Either<string, SeedResult>> {
    return this.items.run(index, (base) => ({ kind: 'arena-seed', ...base, code_version: this.version, plan: { ...this.plan }, seed }), `seed ${seed}`);
  }

  close(): Promise<void> {
    return this.items.close();
  }
}
