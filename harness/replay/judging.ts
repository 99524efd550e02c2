import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/events';
import type { EventBus } from '../../machines';
import type { LoadedScenario } from '../constructor';
import { judgedBlocksOf, type Judge } from '../judges/judge';
import type { Check } from '../verdict';

/**
 * Has the judge score every judged block of the scenario on the trace and records each judgement as
 * a `judge_evaluation` event of the judged agent, on the run's bus so that it takes its place in the
 * trace like any other event. A block the judge could not score gets a failed check saying why: the
 * block then fails for want of a judgement, never passes.
 */
export async function judgeTrace(
  loaded: LoadedScenario,
  judge: Judge,
  bus: EventBus,
  trace: readonly DomainEvent[],
  agentId: string,
): Promise<Check[]> {
  const failures: Check[] = [];
  for (const block of judgedBlocksOf(loaded.scenario)) {
    const judged = await judge.evaluate({ ...block, scenarioId: loaded.id, scenario: loaded.scenario, events: [...trace] });
    if (isLeft(judged)) failures.push({ name: `${block.block}.judge`, passed: false, detail: judged.left.message });
    else bus.emit('judge_evaluation', agentId, judged.right);
  }
  return failures;
}
