import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/economy/events';
import { judgedBlocksOf } from '../../domain/benchmark/scenario';
import type { EventBus } from '../../machines';
import type { LoadedScenario } from '../scenarios';
import type { Judge, JudgeVerdict } from './judge';
import type { Check } from '../validate';

/**
 * Has the judge score every judged block of the scenario on the trace, handing each judgement to
 * `record` before the next block is judged (so that, with a `trace` that grows as it records, a
 * later block's judge sees the earlier judgements). A block the judge could not score gets a failed
 * check saying why: the block then fails for want of a judgement, never passes.
 */
export async function judgeBlocks(
  loaded: LoadedScenario,
  judge: Judge,
  trace: readonly DomainEvent[],
  record: (judgement: JudgeVerdict) => void,
): Promise<Check[]> {
  const failures: Check[] = [];
  for (const block of judgedBlocksOf(loaded.scenario.validation)) {
    const judged = await judge.evaluate({ ...block, scenarioId: loaded.id, scenario: loaded.scenario, events: [...trace] });
    if (isLeft(judged)) failures.push({ name: `${block.block}.judge`, passed: false, detail: judged.left.message });
    else record(judged.right);
  }
  return failures;
}

/** `judgeBlocks`, each judgement a `judge_evaluation` event of the judged agent on the run's bus, which takes its place in the trace like any other event. */
export function judgeTrace(loaded: LoadedScenario, judge: Judge, bus: EventBus, trace: readonly DomainEvent[], agentId: string): Promise<Check[]> {
  return judgeBlocks(loaded, judge, trace, (judgement) => bus.emit('judge_evaluation', agentId, judgement));
}
