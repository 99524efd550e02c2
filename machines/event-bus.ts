import { EVENT_SOURCES, type DomainEvent, type EventData, type EventOfType, type EventType } from '../domain/economy/events';
import { timestampOf } from '../domain/economy/clock';

/** Where recorded events go whole, envelope and all: an in-memory trace, a JSONL file, a scenario trigger watching for an event. */
export interface TraceSink {
  write(event: DomainEvent): void;
}

/**
 * A sink that reads only what happened (the type, the agent, the data), never the envelope: a study's
 * metrics. A bus whose sinks are all tallies stamps no envelope, so events nobody reads whole cost a count.
 * A tally must not emit events of its own.
 */
export interface TallySink {
  tally(emission: Emission): void;
}

export type EventSink = TraceSink | TallySink;

/** An event not yet stamped: what pure world steps return for the bus to record in order. */
export type Emission = { [K in EventType]: Pick<EventOfType<K>, 'type' | 'agent_id' | 'data'> }[EventType];

export function emission<K extends EventType>(type: K, agentId: string, data: EventData<K>): Emission {
  // A generic K cannot be matched to its member of the union; the signature has already checked data against K.
  return { type, agent_id: agentId, data } as Emission;
}

/**
 * The one place events are made: `emit` checks `data` against the event's codec type at compile time,
 * counts the event and advances the virtual clock; when a sink reads envelopes it stamps one (a counter
 * id, the clock, the source the catalogue gives the type) and hands it to every sink, in emission order,
 * and otherwise hands the tallies the bare emission.
 */
export interface EventBus {
  readonly scenario_id: string;
  emit<K extends EventType>(type: K, agentId: string, data: EventData<K>): void;
  /** Records an event an agent is told of later, and returns it whole: made even when no sink reads envelopes. */
  notice<K extends EventType>(type: K, agentId: string, data: EventData<K>): EventOfType<K>;
  /** Records an event and returns it whole, as `notice` does. */
  record(emission: Emission): DomainEvent;
  emitAll(emissions: readonly Emission[]): void;
  /** The orchestrator advances the clock to each new cycle. */
  startCycle(cycle: number): void;
  attach(sink: EventSink): () => void;
  emittedCount(): number;
}

export function eventId(sequence: number): string {
  return `evt-${String(sequence).padStart(6, '0')}`;
}

function isTally(sink: EventSink): sink is TallySink {
  return 'tally' in sink;
}

export function createEventBus(scenarioId: string, initialSinks: readonly EventSink[] = []): EventBus {
  // Both kinds in one list, in the order they were attached: every sink sees the events in that order.
  const sinks: EventSink[] = [];
  let envelopeSinks = 0;
  let cycle = 0;
  let step = 0;
  let emitted = 0;
  // A sink may cause an event of its own (a trigger injecting one); it is delivered after the event
  // being delivered, so that every sink sees the events in the order of their ids.
  const undelivered: DomainEvent[] = [];
  let delivering = false;

  function handToSinks(event: DomainEvent): void {
    for (let index = 0; index < sinks.length; index += 1) {
      const sink = sinks[index]!;
      if (isTally(sink)) sink.tally(event);
      else sink.write(event);
    }
  }

  function deliver(event: DomainEvent): void {
    if (delivering) {
      undelivered.push(event);
      return;
    }
    delivering = true;
    try {
      // Most events cause none: the queue holds only those a sink caused (or a sink that threw left).
      if (undelivered.length === 0) handToSinks(event);
      else undelivered.push(event);
      for (let next = undelivered.shift(); next !== undefined; next = undelivered.shift()) handToSinks(next);
    } finally {
      delivering = false;
    }
  }

  function stamp(type: EventType, agent_id: string, data: unknown): DomainEvent {
    return {
      event_id: eventId(emitted),
      timestamp: timestampOf({ cycle, step }),
      source: EVENT_SOURCES[type],
      type,
      scenario_id: scenarioId,
      agent_id,
      data,
    } as DomainEvent;
  }

  /**
   * Counts and clocks the event; stamps and delivers it whole only when a sink reads envelopes. Its
   * parts come apart, not as an emission: an event stamped whole needs no emission made first.
   */
  function recordUnlessUnread(type: EventType, agent_id: string, data: unknown, made: Emission | undefined): void {
    emitted += 1;
    step += 1;
    if (envelopeSinks > 0) {
      deliver(stamp(type, agent_id, data));
      return;
    }
    const bare = made ?? ({ type, agent_id, data } as Emission);
    for (let index = 0; index < sinks.length; index += 1) (sinks[index] as TallySink).tally(bare);
  }

  function record({ type, agent_id, data }: Emission): DomainEvent {
    emitted += 1;
    step += 1;
    const event = stamp(type, agent_id, data);
    deliver(event);
    return event;
  }

  const bus: EventBus = {
    scenario_id: scenarioId,
    emit: <K extends EventType>(type: K, agentId: string, data: EventData<K>) => recordUnlessUnread(type, agentId, data, undefined),
    notice: <K extends EventType>(type: K, agentId: string, data: EventData<K>) =>
      record(emission(type, agentId, data)) as EventOfType<K>,
    record,
    emitAll(emissions) {
      for (let index = 0; index < emissions.length; index += 1) {
        const made = emissions[index]!;
        recordUnlessUnread(made.type, made.agent_id, made.data, made);
      }
    },
    startCycle(next) {
      cycle = next;
      step = 0;
    },
    attach(sink) {
      sinks.push(sink);
      if (!isTally(sink)) envelopeSinks += 1;
      return () => {
        const index = sinks.indexOf(sink);
        if (index < 0) return;
        sinks.splice(index, 1);
        if (!isTally(sink)) envelopeSinks -= 1;
      };
    },
    emittedCount: () => emitted,
  };
  for (const sink of initialSinks) bus.attach(sink);
  return bus;
}

/** Keeps every event in memory, in order. */
export function traceRecorder(): TraceSink & { readonly events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return { events, write: (event) => void events.push(event) };
}
