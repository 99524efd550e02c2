import { parentPort } from 'node:worker_threads';
import { isLeft } from 'fp-ts/lib/Either.js';
import { runStudy } from './run-study';
import { decodeStudy, type RawConfig } from './study';
import type { PointResult } from './sweep';

/** A sweep's worker thread: runs each point it is sent in a fresh world and answers with its rows. */

parentPort?.on('message', async ({ index, config }: { index: number; config: RawConfig }) => {
  const reply = (result: PointResult) => parentPort?.postMessage(result);
  const population = decodeStudy(config);
  if (isLeft(population)) return reply({ index, error: population.left.join('; ') });
  const run = await runStudy(population.right);
  if (isLeft(run)) return reply({ index, error: run.left });
  return reply({ index, rows: run.right.rows });
});
