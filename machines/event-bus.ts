import { EVENT_SOURCES, type DomainEvent, type EventData, type EventOfType, type EventType } from '../domain/economy/events';
import { nextStep, startCycle, timestampOf, type VirtualClock } from '../domain/economy/clock';

/** Where recorded events go: an in-memory trace, a JSONL file, a scenario trigger watching for an event. */
export interface TraceSink {
  write(event: DomainEvent): void;
}

/** An event not yet stamped: what pure world steps return for the bus to record in order. */
export type Emission = { [K in EventType]: Pick<EventOfType<K>, 'type' | 'agent_id' | 'data'> }[EventType];

export function emission<K extends EventType>(type: K, agentId: string, data: EventData<K>): Emission {
  // A generic K cannot be matched to its member of the union; the signature has already checked data against K.
  return { type, agent_id: agentId, data } as Emission;
}

/**
 * The one place events are made: `emit` checks `data` against the event's codec type at compile time,
 * stamps the envelope (a counter id, the virtual clock, the source the catalogue gives the type) and
 * hands the event to every sink, in emission order.
 */
export interface EventBus {
  readonly scenario_id: string;
  emit<K extends EventType>(type: K, agentId: string, data: EventData<K>): EventOfType<K>;
  record(emission: Emission): DomainEvent;
  emitAll(emissions: readonly Emission[]): void;
  /** The orchestrator advances the clock to each new cycle. */
  startCycle(cycle: number): void;
  attach(sink: TraceSink): () => void;
  emittedCount(): number;
}

export function eventId(sequence: number): string {
  return `evt-${String(sequence).padStart(6, '0')}`;
}

export function createEventBus(scenarioId: string, initialSinks: readonly TraceSink[] = []): EventBus {
  const sinks = [...initialSinks];
  let clock: VirtualClock = startCycle(0);
  let emitted = 0;
  // A sink may cause an event of its own (a trigger injecting one); it is delivered after the event
  // being delivered, so that every sink sees the events in the order of their ids.
  const undelivered: DomainEvent[] = [];
  let delivering = false;

  function deliver(event: DomainEvent): void {
    undelivered.push(event);
    if (delivering) return;
    delivering = true;
    try {
      for (let next = undelivered.shift(); next !== undefined; next = undelivered.shift()) {
        for (const sink of sinks) sink.write(next);
      }
    } finally {
      delivering = false;
    }
  }

  function record({ type, agent_id, data }: Emission): DomainEvent {
    emitted += 1;
    clock = nextStep(clock);
    const event = {
      event_id: eventId(emitted),
      timestamp: timestampOf(clock),
      source: EVENT_SOURCES[type],
      type,
      scenario_id: scenarioId,
      agent_id,
      data,
    } as DomainEvent;
    deliver(event);
    return event;
  }

  return {
    scenario_id: scenarioId,
    emit: <K extends EventType>(type: K, agentId: string, data: EventData<K>) =>
      record(emission(type, agentId, data)) as EventOfType<K>,
    record,
    emitAll(emissions) {
      for (const each of emissions) record(each);
    },
    startCycle(cycle) {
      clock = startCycle(cycle);
    },
    attach(sink) {
      sinks.push(sink);
      return () => {
        const index = sinks.indexOf(sink);
        if (index >= 0) sinks.splice(index, 1);
      };
    },
    emittedCount: () => emitted,
  };
}

/** Keeps every event in memory, in order. */
export function traceRecorder(): TraceSink & { readonly events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return { events, write: (event) => void events.push(event) };
}
