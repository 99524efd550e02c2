import { EPOCH } from '../../domain/economy/clock';
import type { DomainEvent, EventOfType } from '../../domain/economy/events';
import type { LoadedScenario } from '../scenarios';
import { AGENT_UNDER_TEST, judgedBlocksOf } from '../../domain/benchmark/scenario';
import type { Judge } from './judge';
import { judgeBlocks } from './judge-blocks';
import type { Check } from '../validate';

/**
 * Who judges a recorded trace. A trace is a file anyone can write, `judge_evaluation` events
 * included, so by default it cannot certify itself: its own judgements are set aside and the
 * judged blocks are judged afresh (`fresh`). `trusted` keeps the judgements as recorded, for
 * traces whose producer is trusted (`--trust-trace-judgements`).
 */
export type TraceJudgements = 'fresh' | 'trusted';

/** The name of the check that says which applied; it always passes, and is there to be read. */
export const JUDGEMENTS_CHECK = 'trace_judgements';

export interface JudgedRecording {
  /** The trace to validate: without its own judgements and with the fresh ones at its end, or as recorded. */
  readonly trace: DomainEvent[];
  /** Which judgements applied, and any judged block the judge could not score. */
  readonly checks: Check[];
}

const ownJudgementsOf = (trace: readonly DomainEvent[]) => trace.filter((event) => event.type === 'judge_evaluation');

/** The agent the judgements are about: the first one that acted in the trace. */
function judgedAgentOf(trace: readonly DomainEvent[]): string {
  return trace.find((event) => event.source === 'agent')?.agent_id ?? AGENT_UNDER_TEST;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export async function judgeRecordedTrace(
  loaded: LoadedScenario,
  recorded: readonly DomainEvent[],
  options: { readonly judgements: TraceJudgements; readonly judge: Judge },
): Promise<JudgedRecording> {
  const own = ownJudgementsOf(recorded);
  const judged = judgedBlocksOf(loaded.scenario.validation).length > 0;
  if (!judged && own.length === 0) return { trace: [...recorded], checks: [] };
  if (options.judgements === 'trusted') {
    const detail = `trusted (--trust-trace-judgements): the trace's ${plural(own.length, 'judge_evaluation event')} used as recorded`;
    return { trace: [...recorded], checks: [{ name: JUDGEMENTS_CHECK, passed: true, detail }] };
  }
  const trace: DomainEvent[] = recorded.filter((event) => event.type !== 'judge_evaluation');
  const ignored = `the trace's own ${plural(own.length, 'judge_evaluation event')}${own.length === 0 ? '' : ` (${own.map((event) => event.event_id).join(', ')})`} ignored`;
  const detail = judged ? `judged afresh by the ${options.judge.name} judge; ${ignored}` : `${ignored}: the scenario has no judged block`;
  const agentId = judgedAgentOf(trace);
  const timestamp = trace.at(-1)?.timestamp ?? EPOCH;
  let fresh = 0;
  const failures = await judgeBlocks(loaded, options.judge, trace, (data) => {
    fresh += 1;
    const event: EventOfType<'judge_evaluation'> = {
      event_id: `fresh-judgement-${fresh}`,
      timestamp,
      source: 'judge',
      type: 'judge_evaluation',
      scenario_id: loaded.id,
      agent_id: agentId,
      data,
    };
    trace.push(event);
  });
  return { trace, checks: [{ name: JUDGEMENTS_CHECK, passed: true, detail }, ...failures] };
}
