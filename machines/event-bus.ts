import { EVENT_SOURCES, type DomainEvent, type EventData, type EventOfType, type EventType } from '../domain/economy/events';
import { timestampOf } from '../domain/economy/clock';

/** Where recorded events go whole, envelope and all: an in-memory trace, a scenario trigger watching for an event. */
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

/**
 * A sink that writes each event from its parts and the numbers its envelope is stamped from (its
 * sequence number, the cycle and the step): a JSONL file, which writes the id's and the timestamp's
 * digits itself. A bus whose envelope readers are all of this kind makes no envelope for them.
 * What it writes must be what it would write of the event `stampEvent` makes of the same parts.
 */
export interface StampedSink {
  writeStamped(sequence: number, cycle: number, step: number, type: EventType, scenarioId: string, agentId: string, data: unknown): void;
}

export type EventSink = TraceSink | TallySink | StampedSink;

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
 * and otherwise hands the tallies the bare emission; a stamped sink is handed the parts and the stamp's
 * numbers either way.
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

/** An event id is this prefix and the event's sequence number, padded with zeros to `EVENT_ID_DIGITS`. */
export const EVENT_ID_PREFIX = 'evt-';
export const EVENT_ID_DIGITS = 6;

export function eventId(sequence: number): string {
  return `${EVENT_ID_PREFIX}${String(sequence).padStart(EVENT_ID_DIGITS, '0')}`;
}

/** The envelope of the `sequence`th event of a run, recorded at `step` of `cycle`: the one place one is made. */
export function stampEvent(sequence: number, cycle: number, step: number, type: EventType, scenarioId: string, agent_id: string, data: unknown): DomainEvent {
  return {
    event_id: eventId(sequence),
    timestamp: timestampOf({ cycle, step }),
    source: EVENT_SOURCES[type],
    type,
    scenario_id: scenarioId,
    agent_id,
    data,
  } as DomainEvent;
}

const TALLY = 0;
const TRACE = 1;
const STAMPED = 2;

function kindOf(sink: EventSink): number {
  if ('tally' in sink) return TALLY;
  return 'writeStamped' in sink ? STAMPED : TRACE;
}

/** An event a sink caused while another was being delivered, waiting its turn. */
interface Undelivered {
  readonly sequence: number;
  readonly cycle: number;
  readonly step: number;
  readonly type: EventType;
  readonly agent_id: string;
  readonly data: unknown;
  readonly event: DomainEvent | undefined;
}

export function createEventBus(scenarioId: string, initialSinks: readonly EventSink[] = []): EventBus {
  // All kinds in one list, in the order they were attached: every sink sees the events in that order.
  const sinks: EventSink[] = [];
  const kinds: number[] = [];
  let traceSinks = 0;
  let stampedSinks = 0;
  let cycle = 0;
  let step = 0;
  let emitted = 0;
  // A sink may cause an event of its own (a trigger injecting one); it is delivered after the event
  // being delivered, so that every sink sees the events in the order of their ids.
  const undelivered: Undelivered[] = [];
  let delivering = false;

  /**
   * Hands the event to every sink: its envelope, made when a sink reads envelopes, to the trace
   * sinks and the tallies; its parts and stamp to the stamped sinks; and when no envelope was made,
   * its bare emission to the tallies.
   */
  function handToSinks(sequence: number, atCycle: number, atStep: number, type: EventType, agent_id: string, data: unknown, whole: DomainEvent | undefined, made: Emission | undefined): void {
    let event = whole;
    let bare = made;
    for (let index = 0; index < sinks.length; index += 1) {
      const sink = sinks[index]!;
      const kind = kinds[index];
      if (kind === STAMPED) (sink as StampedSink).writeStamped(sequence, atCycle, atStep, type, scenarioId, agent_id, data);
      else if (kind === TRACE) (sink as TraceSink).write((event ??= stampEvent(sequence, atCycle, atStep, type, scenarioId, agent_id, data)));
      else (sink as TallySink).tally(event ?? (bare ??= { type, agent_id, data } as Emission));
    }
  }

  function deliver(type: EventType, agent_id: string, data: unknown, event: DomainEvent | undefined, made: Emission | undefined): void {
    if (delivering) {
      undelivered.push({ sequence: emitted, cycle, step, type, agent_id, data, event });
      return;
    }
    delivering = true;
    try {
      // Most events cause none: the queue holds only those a sink caused (or a sink that threw left).
      if (undelivered.length === 0) handToSinks(emitted, cycle, step, type, agent_id, data, event, made);
      else undelivered.push({ sequence: emitted, cycle, step, type, agent_id, data, event });
      for (let next = undelivered.shift(); next !== undefined; next = undelivered.shift()) {
        handToSinks(next.sequence, next.cycle, next.step, next.type, next.agent_id, next.data, next.event, undefined);
      }
    } finally {
      delivering = false;
    }
  }

  /**
   * Counts and clocks the event; stamps it whole only when a sink reads envelopes, and delivers it
   * when a sink writes it. Its parts come apart, not as an emission: an event stamped whole needs no
   * emission made first.
   */
  function recordUnlessUnread(type: EventType, agent_id: string, data: unknown, made: Emission | undefined): void {
    emitted += 1;
    step += 1;
    if (traceSinks > 0) {
      deliver(type, agent_id, data, stampEvent(emitted, cycle, step, type, scenarioId, agent_id, data), made);
      return;
    }
    if (stampedSinks > 0) {
      deliver(type, agent_id, data, undefined, made);
      return;
    }
    const bare = made ?? ({ type, agent_id, data } as Emission);
    for (let index = 0; index < sinks.length; index += 1) (sinks[index] as TallySink).tally(bare);
  }

  function record({ type, agent_id, data }: Emission): DomainEvent {
    emitted += 1;
    step += 1;
    const event = stampEvent(emitted, cycle, step, type, scenarioId, agent_id, data);
    deliver(type, agent_id, data, event, undefined);
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
      const kind = kindOf(sink);
      sinks.push(sink);
      kinds.push(kind);
      if (kind === TRACE) traceSinks += 1;
      if (kind === STAMPED) stampedSinks += 1;
      return () => {
        const index = sinks.indexOf(sink);
        if (index < 0) return;
        sinks.splice(index, 1);
        kinds.splice(index, 1);
        if (kind === TRACE) traceSinks -= 1;
        if (kind === STAMPED) stampedSinks -= 1;
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
