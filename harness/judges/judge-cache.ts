import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import { canonical, type CacheMode } from '../agents';
import { readJsonFile } from '../files';
import type { Judge, JudgeFailure, JudgeRequest, JudgeVerdict } from './judge';

/**
 * A judge's verdicts recorded like a model's answers (harness/agents/model-cache.ts): one readable JSON
 * file per request, `<DIR>/<key>.json`, the key the SHA-256 of the judge's name and the request in a
 * canonical form — the scenario, the block, the criteria, the threshold and what each event says
 * (its type, agent and data; not its id or time, which say where it sat, not what it was). The
 * same request gets the same verdict, so a run replayed from the recording is byte-identical. Only
 * what the judge was asked is stored: never its endpoint or key.
 *
 * `auto` answers from the recording and asks the judge what it lacks, recording the verdict;
 * `record` always asks and records; `replay` never asks, and a request it lacks is a failure.
 */

const Verdict = t.type({
  criteria: t.array(t.type({ criterion: t.string, score: t.number, justification: t.string })),
  overall_score: t.number,
  pass: t.boolean,
  feedback: t.string,
});

const Entry = t.type({ key: t.string, judge: t.string, verdict: Verdict });

function requestOf(judge: string, request: JudgeRequest): unknown {
  const { scenarioId, scenario, block, criteria, threshold, events } = request;
  return { judge, scenarioId, scenario, block, criteria, threshold, events: events.map(({ type, agent_id, data }) => ({ type, agent_id, data })) };
}

export function cachedJudge(judge: Judge, dir: string, mode: CacheMode): Judge {
  const fileOf = (key: string) => join(dir, `${key}.json`);
  const failure = (message: string, kind: JudgeFailure['kind'] = 'not_recorded'): Either<JudgeFailure, JudgeVerdict> =>
    left({ kind, attempts: 0, message: `${judge.name} judge, judging ${message}` });

  async function evaluate(request: JudgeRequest): Promise<Either<JudgeFailure, JudgeVerdict>> {
    const asked = requestOf(judge.name, request);
    const key = createHash('sha256').update(canonical(asked)).digest('hex');
    const file = fileOf(key);
    if (mode !== 'record' && existsSync(file)) {
      const entry = readJsonFile(file, Entry);
      if (isLeft(entry)) return failure(`${request.block} of ${request.scenarioId}: the recorded verdict is unreadable: ${entry.left.join('; ')}`, 'bad_reply');
      return right(entry.right.verdict);
    }
    if (mode === 'replay') return failure(`${request.block} of ${request.scenarioId}: no verdict recorded in ${dir} for this request (replay never asks the judge)`);
    const judged = await judge.evaluate(request);
    if (isLeft(judged)) return judged;
    try {
      mkdirSync(dir, { recursive: true });
      // Written aside then renamed, so that a reader never sees half an entry.
      writeFileSync(`${file}.tmp`, `${JSON.stringify({ key, judge: judge.name, request: asked, verdict: judged.right }, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      return failure(`${request.block} of ${request.scenarioId}: cannot record the verdict in ${file}: ${errorMessage(error)}`);
    }
    return judged;
  }

  return { name: judge.name, evaluate };
}
