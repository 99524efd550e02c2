import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { EVENT_TYPES, type DomainEvent } from '../domain/economy/events';
import { createEventBus, type Emission, type TraceSink } from '../machines/event-bus';
import { openJsonlSink } from '../machines/jsonl-sink';

function withDirectory(work: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'jsonl-sink-'));
  try {
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines the sink writes for `events`, one a line, and the lines JSON.stringify writes for them. */
function writtenAndExpected(events: readonly DomainEvent[]): { written: string[]; expected: string[] } {
  let written: string[] = [];
  withDirectory((dir) => {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    for (const event of events) sink.right.write(event);
    sink.right.close();
    written = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n');
  });
  assert.is(written.pop(), '', 'every line ends with a newline');
  return { written, expected: events.map((event) => JSON.stringify(event)) };
}

/** Each line the sink wrote is the event's JSON, or the first that is not is named. */
function assertWrittenExactly(events: readonly DomainEvent[]): void {
  const { written, expected } = writtenAndExpected(events);
  assert.is(written.length, expected.length);
  expected.forEach((line, index) => assert.is(written[index], line, `line ${index + 1}`));
}

/** Events of every size the sink buffers differently: short, multi-byte, and larger than its buffer. */
function emitEvents(sink: TraceSink) {
  const bus = createEventBus('jsonl-sink', [sink]);
  const events = [];
  for (let index = 0; index < 20_000; index++) {
    events.push(bus.notice('reasoning_trace', `agent-${index % 7}`, { content: `thought ${index}: ≈ ünïcödé ✓ 🚀`, decision: null }));
  }
  events.push(bus.notice('reasoning_trace', 'agent-0', { content: 'é'.repeat(700_000), decision: 'write it whole' }));
  events.push(bus.notice('reasoning_trace', 'agent-1', { content: 'after the large one', decision: null }));
  return events;
}

test('the sink writes every event as one JSON line, in order, whatever its size and characters', () => {
  withDirectory((dir) => {
    const path = join(dir, 'trace.jsonl');
    const sink = openJsonlSink(path);
    if (isLeft(sink)) throw new Error(sink.left);
    const events = emitEvents(sink.right);
    sink.right.close();
    const expected = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const written = readFileSync(path, 'utf8');
    assert.ok(written.length > 1 << 20, 'the trace is larger than the buffer');
    assert.is(written, expected);
  });
});

test('the sink holds nothing back once closed, and a path it cannot write is reported', () => {
  withDirectory((dir) => {
    const path = join(dir, 'short.jsonl');
    const sink = openJsonlSink(path);
    if (isLeft(sink)) throw new Error(sink.left);
    const event = createEventBus('jsonl-sink', [sink.right]).notice('reflection', 'agent-0', { trigger: 't', outcome_assessment: 'o' });
    assert.is(readFileSync(path, 'utf8'), '', 'buffered until closed');
    sink.right.close();
    assert.is(readFileSync(path, 'utf8'), `${JSON.stringify(event)}\n`);
    const refused = openJsonlSink(join(dir, 'missing', 'trace.jsonl'));
    assert.ok(isLeft(refused) && refused.left.startsWith(`cannot write the trace to ${join(dir, 'missing', 'trace.jsonl')}: `));
  });
});

/** Strings JSON escapes or encodes in every way it can: quotes, backslashes, controls, separators, lone surrogates. */
const AWKWARD_STRINGS = ['', '"quoted"', 'back\\slash', 'tab\tnew\nline\r\u0000\u001f\u007f', '\u2028\u2029', '\ud800 lone', 'lone \udfff', '🚀 ≈ ünï', '</script>'];
/** Numbers JSON writes in every form: negative zero, exponents, the smallest and largest, and those it writes as null. */
const AWKWARD_NUMBERS = [0, -0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -123.456, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY];

function awkwardData(index: number): Record<string, unknown> {
  const text = AWKWARD_STRINGS[index % AWKWARD_STRINGS.length]!;
  const number = AWKWARD_NUMBERS[index % AWKWARD_NUMBERS.length]!;
  return { agent_id: text, amount: number, nested: { list: [text, number, null, true, undefined], skipped: undefined }, [text]: number };
}

test('each envelope is serialised to JSON.stringify\'s bytes exactly, for every event type, awkward strings and numbers', () => {
  const events: DomainEvent[] = [];
  for (const scenario of ['plain', 'sc "quoted" \u2028 🚀']) {
    const bus = createEventBus(scenario);
    EVENT_TYPES.forEach((type, index) => {
      for (let variant = 0; variant < AWKWARD_STRINGS.length; variant += 1) {
        const agentId = AWKWARD_STRINGS[(index + variant) % AWKWARD_STRINGS.length]!;
        // The data's shape is not the serialiser's concern: it is written as JSON.stringify writes it.
        events.push(bus.record({ type, agent_id: agentId, data: awkwardData(index + variant) } as unknown as Emission));
      }
    });
  }
  assert.ok(events.length === 2 * EVENT_TYPES.length * AWKWARD_STRINGS.length);
  assertWrittenExactly(events);
});

/** Envelope strings that JSON must escape, or must write as an escape (lone surrogates), with ordinary ones between them. */
const HOSTILE_ENVELOPE_STRINGS = ['evt-000001', 'say "hi"', 'C:\\agents\\one', 'nul\u0000bell\u0007', 'line\u2028sep\u2029', '\ud83d', '\udc00tail', '🚀', 'plain-agent', '\u001f'];

test('envelopes made outside the bus are serialised exactly too: hostile ids and timestamps, an agent id seen again', () => {
  const escaped = HOSTILE_ENVELOPE_STRINGS.filter((text) => JSON.stringify(text) !== `"${text}"`);
  assert.ok(escaped.length >= 5, 'most of these strings are not written as they are');
  const events: DomainEvent[] = [];
  for (let round = 0; round < 2; round += 1) {
    HOSTILE_ENVELOPE_STRINGS.forEach((text, index) => {
      const other = HOSTILE_ENVELOPE_STRINGS[(index + 3) % HOSTILE_ENVELOPE_STRINGS.length]!;
      events.push({ event_id: text, timestamp: other, source: 'agent', type: 'reflection', scenario_id: 'hostile', agent_id: round === 0 ? text : other, data: { trigger: text, outcome_assessment: other } } as DomainEvent);
      events.push({ event_id: 'evt-000002', timestamp: '2026-01-01T01:00:00.000002Z', source: 'agent', type: 'reflection', scenario_id: 'hostile', agent_id: text, data: { trigger: text, outcome_assessment: other } } as DomainEvent);
    });
  }
  // Data JSON cannot write at all: the line is what JSON.stringify makes of the envelope without it.
  events.push({ event_id: 'evt-000003', timestamp: '2026-01-01T01:00:00.000003Z', source: 'agent', type: 'reflection', scenario_id: 'hostile', agent_id: 'a', data: undefined } as unknown as DomainEvent);
  assertWrittenExactly(events);
});

test('an event of a type already written, in another scenario, names its own scenario', () => {
  const first = createEventBus('first').notice('reflection', 'agent-0', { trigger: 't', outcome_assessment: 'o' });
  const second = createEventBus('second').notice('reflection', 'agent-0', { trigger: 't', outcome_assessment: 'o' });
  const { written } = writtenAndExpected([first, second]);
  assert.ok(written[1]!.includes('"scenario_id":"second"'));
  assertWrittenExactly([first, second]);
});

test.run();
