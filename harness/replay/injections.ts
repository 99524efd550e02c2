import { isLeft } from 'fp-ts/lib/Either.js';
import { hasFieldPath, isEventType, type DomainEvent } from '../../domain/economy/events';
import type { InjectedEvent, Trigger } from '../../domain/benchmark/scenario';
import type { TraceSink, World } from '../../machines';

/**
 * A scenario's `injected_events`, fired through the world when their trigger happens, so that the
 * agent under test hears of them like of any other event: `at_start` before the first cycle,
 * `after_first_bid` right after the agent's first `bid_placed`, `after_first_execution` right after
 * its first window closes. The event as the scenario writes it (`{"type": "bid_rejected", "reason":
 * …}`) is completed with what the moment knows: the agent's id, and the bid's id after its first bid.
 * Each injection fires at most once.
 */

export interface Injections {
  /** Watches the trace for the triggers; attach it to the world's bus. */
  readonly sink: TraceSink;
  /** Arms the injections on the world and fires those due at the start. */
  start(world: World): void;
  /** Why an injection could not be delivered, as `injected_events[i]: reason`. */
  readonly problems: readonly string[];
}

type Moment = { readonly trigger: Trigger; readonly event?: DomainEvent };

function momentOf(event: DomainEvent, agentId: string): Moment | undefined {
  if (event.agent_id !== agentId) return undefined;
  if (event.type === 'bid_placed') return { trigger: 'after_first_bid', event };
  if (event.type === 'execution_terminated') return { trigger: 'after_first_execution', event };
  return undefined;
}

/** The event's fields, with the agent and the triggering bid filled in where the event type has room for them. */
function dataFor({ type, ...fields }: InjectedEvent['event'], agentId: string, moment: Moment): Record<string, unknown> {
  if (!isEventType(type)) return fields;
  const known: Record<string, unknown> = {};
  if (hasFieldPath(type, 'data.agent_id')) known.agent_id = agentId;
  if (moment.event?.type === 'bid_placed' && hasFieldPath(type, 'data.bid_id')) known.bid_id = moment.event.data.bid_id;
  return { ...known, ...fields };
}

export function scenarioInjections(injected: readonly InjectedEvent[], agentId: string): Injections {
  const problems: string[] = [];
  const fired = new Set<Trigger>();
  let world: World | undefined;

  function fire(moment: Moment): void {
    const target = world;
    if (target === undefined || fired.has(moment.trigger)) return;
    fired.add(moment.trigger);
    injected.forEach(({ trigger, event }, index) => {
      if (trigger !== moment.trigger) return;
      const delivered = target.inject(agentId, { type: event.type, data: dataFor(event, agentId, moment) });
      if (isLeft(delivered)) problems.push(...delivered.left.map((problem) => `injected_events[${index}]: ${problem}`));
    });
  }

  return {
    sink: {
      write(event) {
        const moment = momentOf(event, agentId);
        if (moment !== undefined) fire(moment);
      },
    },
    start(started) {
      world = started;
      fire({ trigger: 'at_start' });
    },
    problems,
  };
}
