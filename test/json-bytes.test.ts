import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as t from 'io-ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { dataCodecOf, EVENT_TYPES, propsOf, type DomainEvent, type EventType } from '../domain/economy/events';
import { createEventBus, stampEvent, traceRecorder, type Emission } from '../machines/event-bus';
import { jsonOutput, jsonWriterOf, writeAnyJson, writeJsonNumber, type JsonWriter } from '../machines/json-bytes';
import { openJsonlSink } from '../machines/jsonl-sink';

/** What `writer` writes of `value` in a roomy buffer, as text, or undefined when it declines. */
function written(writer: JsonWriter, value: unknown, room = 1 << 16): string | undefined {
  const out = jsonOutput(Buffer.alloc(room));
  if (!writer(value, out)) return undefined;
  return out.buffer.toString('utf8', 0, out.at);
}

/** The bytes JSON.stringify's text is in UTF-8, read back: equal texts here are equal bytes in a trace. */
function stringified(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('utf8');
}

/** Strings JSON escapes or encodes in every way it can: quotes, backslashes, controls, separators, lone surrogates. */
const AWKWARD_STRINGS = ['', '"', '\\', '\u0000\u001f\u007f', '\b\f\n\r\t', '\u2028\u2029', '\ud800', '\udfff tail', '🚀 ≈ ünï', '</script>', 'toJSON'];
/** Numbers JSON writes in every form: negative zero, exponents, the int32 edges, those it writes as null. */
const AWKWARD_NUMBERS = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -123.456, 0.1 + 0.2, Number.NaN, Infinity, -Infinity];

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
  fc.constantFrom(...AWKWARD_STRINGS),
);
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(...AWKWARD_NUMBERS));
const anyJson = fc.jsonValue().chain((value) => fc.oneof(fc.constant(value), anyString, anyNumber));

/**
 * Values of `codec`, derived from the codec as the writer is: strings and numbers of every awkward
 * kind, optional keys present or not, keys in the codec's order or shuffled (JSON keeps the object's),
 * and now and then a key the codec does not declare.
 */
function arbitraryOf(codec: t.Mixed): fc.Arbitrary<unknown> {
  if (codec instanceof t.StringType) return anyString;
  if (codec instanceof t.NumberType) return anyNumber;
  if (codec instanceof t.BooleanType) return fc.boolean();
  if (codec instanceof t.NullType) return fc.constant(null);
  if (codec instanceof t.KeyofType) return fc.constantFrom(...Object.keys(codec.keys as object));
  if (codec instanceof t.LiteralType) return fc.constant(codec.value);
  if (codec instanceof t.RefinementType) return arbitraryOf(codec.type as t.Mixed);
  if (codec instanceof t.ArrayType) return fc.array(arbitraryOf(codec.type as t.Mixed), { maxLength: 3 });
  if (codec instanceof t.UnionType) return fc.oneof(...(codec.types as t.Mixed[]).map(arbitraryOf));
  if (codec instanceof t.AnyDictionaryType) return fc.dictionary(anyString, anyJson, { maxKeys: 4 });
  const props = propsOf(codec);
  if (props === undefined) return anyJson;
  const names = Object.keys(props);
  const values = fc.record(Object.fromEntries(names.map((name) => [name, arbitraryOf(props[name]!)])), { requiredKeys: [] });
  const order = fc.oneof(fc.constant(names), fc.shuffledSubarray(names, { minLength: names.length }));
  const extra = fc.option(fc.tuple(anyString, anyJson), { freq: 4 });
  return fc.tuple(values, order, extra).map(([present, keys, more]) => {
    const object: Record<string, unknown> = {};
    for (const key of keys) if (key in present) object[key] = present[key];
    // Defined, not assigned: an assigned `__proto__` (which fast-check generates) would set the object's prototype rather than add a key.
    if (more !== null) Object.defineProperty(object, more[0], { value: more[1], enumerable: true, writable: true, configurable: true });
    return object;
  });
}

for (const type of EVENT_TYPES) {
  test(`${type}: the writer compiled from its codec writes JSON.stringify's bytes for any of its data`, () => {
    const writer = jsonWriterOf(dataCodecOf(type));
    fc.assert(
      fc.property(arbitraryOf(dataCodecOf(type)), (data) => {
        assert.is(written(writer, data), stringified(data));
      }),
      { numRuns: 150 },
    );
  });
}

/** Decimals of every length and number of places, as credits, fractions and prices are; and their sums, which are not short. */
const anyDecimal = fc
  .tuple(fc.integer({ min: -(10 ** 17), max: 10 ** 17 }), fc.nat({ max: 9 }), fc.integer({ min: 1, max: 17 }))
  .chain(([digits, places, precision]) => fc.constantFrom(digits / 10 ** places, Number((digits / 10 ** places).toPrecision(precision)), digits / 10 ** places + 0.01, (digits / 10 ** places) * 1.1));

test('a number is written as String writes it: short decimals from their digits, the rest as String formats them', () => {
  fc.assert(
    fc.property(fc.oneof(anyDecimal, fc.double(), fc.constantFrom(...AWKWARD_NUMBERS, 1e15, 1e15 - 1, 999999999999999.9, 0.000001, 0.0000015, 1e-6 + 1e-7)), (number) => {
      assert.is(written(writeJsonNumber, number), JSON.stringify(number));
    }),
    { numRuns: 20_000 },
  );
});

test('data whose keys arrive in another order than the codec declares is written in its own order, as JSON.stringify does', () => {
  const writer = jsonWriterOf(dataCodecOf('bid_processed'));
  const inCodecOrder = { bid_id: 'bid-000001', agent_id: 'agent-1', amount: 2.5, status: 'winning' };
  const reordered = { status: 'winning', amount: 2.5, agent_id: 'agent-1', bid_id: 'bid-000001' };
  assert.is(written(writer, inCodecOrder), JSON.stringify(inCodecOrder));
  assert.is(written(writer, reordered), JSON.stringify(reordered));
  assert.is.not(written(writer, reordered), written(writer, inCodecOrder), 'a writer keeping the codec\'s order would write the first for both');
});

test('a value not of its codec\'s type is declined, not written otherwise than JSON.stringify writes it', () => {
  const writer = jsonWriterOf(dataCodecOf('bid_processed'));
  const wrong = [{ bid_id: 7, agent_id: 'a', amount: 1, status: 'winning' }, { bid_id: 'b', agent_id: 'a', amount: '1', status: 'winning' }, 'not an object', null, [1]];
  for (const data of wrong) {
    const text = written(writer, data);
    assert.ok(text === undefined || text === JSON.stringify(data), JSON.stringify(data));
  }
  assert.is(written(writer, wrong[0]), undefined, 'a string writer is not handed a number');
});

test('what JSON.stringify writes otherwise than key by key is declined: toJSON, dates, class instances, a cycle', () => {
  const writer = jsonWriterOf(dataCodecOf('tool_call_initiated'));
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  class Point {
    constructor(readonly x: number) {}
  }
  const declined = [{ toJSON: () => 'replaced' }, new Date(0), new Point(1), new Map([[1, 2]]), cycle, [1n]];
  for (const argumentsValue of declined) {
    assert.is(written(writer, { tool_name: 'x', arguments: argumentsValue }), undefined);
  }
  assert.is(written(writer, { tool_name: 'x', arguments: { toJSON: 'a string, not a method' } }), '{"tool_name":"x","arguments":{"toJSON":"a string, not a method"}}');
  assert.is(written(writer, { tool_name: 'x', arguments: { skipped: undefined, method() {}, list: [undefined, () => 1] } }), '{"tool_name":"x","arguments":{"list":[null,null]}}');
});

test('anything at all is written as JSON.stringify writes it, or declined', () => {
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withObjectString: true }), (value) => {
      const text = written(writeAnyJson, value);
      if (text !== undefined) assert.is(text, stringified(value));
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.is(written(writeAnyJson, value), stringified(value), 'JSON values are never declined');
    }),
  );
});

test('a writer out of room stops and says so; with room it writes the value', () => {
  const writer = jsonWriterOf(dataCodecOf('credits_burned'));
  const data = { agent_id: 'agent-1', amount: 74.37, reason: 'é'.repeat(40) };
  const out = jsonOutput(Buffer.alloc(64));
  assert.not.ok(writer(data, out));
  assert.ok(out.full, 'for want of room');
  assert.is(written(writer, data), JSON.stringify(data));
  const declined = jsonOutput(Buffer.alloc(64));
  assert.not.ok(writer({ ...data, amount: 'x' }, declined));
  assert.not.ok(declined.full, 'for its value');
});

function writtenLines(events: readonly DomainEvent[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'json-bytes-'));
  try {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    for (const event of events) sink.right.write(event);
    sink.right.close();
    return readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const anyEmission = fc
  .constantFrom(...EVENT_TYPES)
  .chain((type: EventType) => fc.record({ type: fc.constant(type), agent_id: anyString, data: arbitraryOf(dataCodecOf(type)) }));

test('the sink writes every event of every type as JSON.stringify writes it, declined data and all', () => {
  fc.assert(
    fc.property(fc.array(anyEmission, { minLength: 1, maxLength: 40 }), anyString, (emissions, scenario) => {
      const bus = createEventBus(scenario);
      const events = emissions.map((each) => bus.record(each as Emission));
      const withDeclined = [...events, { ...events[0]!, data: { toJSON: () => ({ replaced: true }) } } as unknown as DomainEvent];
      assert.equal(writtenLines(withDeclined), withDeclined.map((event) => JSON.stringify(event)));
    }),
    { numRuns: 60 },
  );
});

/** What the sink wrote through `writeStamped` for these stamps and parts. */
function stampedLines(stamps: readonly (readonly [number, number, number, { type: EventType; agent_id: string; data: unknown }, string])[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'json-bytes-'));
  try {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    for (const [sequence, cycle, step, { type, agent_id, data }, scenario] of stamps) sink.right.writeStamped(sequence, cycle, step, type, scenario, agent_id, data);
    sink.right.close();
    return readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const anySequence = fc.oneof(fc.nat({ max: 2_000_000 }), fc.constantFrom(0, 1, 999_999, 1_000_000, 9_999_999, 10_000_000, Number.MAX_SAFE_INTEGER));
const anyStep = fc.oneof(fc.nat({ max: 5_000 }), fc.constantFrom(0, 999, 1_000, 1_001, 999_999, 3_599_999_999));

test('an event handed as its parts and stamp is written as JSON.stringify writes the envelope the bus would make', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(anySequence, fc.nat({ max: 100_000 }), anyStep, anyEmission, fc.oneof(fc.constant('bench'), anyString)), { minLength: 1, maxLength: 30 }), (stamps) => {
      const expected = stamps.map(([sequence, cycle, step, { type, agent_id, data }, scenario]) => JSON.stringify(stampEvent(sequence, cycle, step, type, scenario, agent_id, data)));
      assert.equal(stampedLines(stamps), expected);
    }),
    { numRuns: 80 },
  );
});

test('a bus writing to the sink writes the events its trace holds, the same bytes as when it hands them whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'json-bytes-'));
  try {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    const stamped = createEventBus('bus', [sink.right]);
    const trace = traceRecorder();
    const whole = createEventBus('bus', [trace]);
    for (const bus of [stamped, whole]) {
      for (let cycle = 0; cycle < 3; cycle += 1) {
        bus.startCycle(cycle);
        for (let index = 0; index < 1_500; index += 1) {
          bus.emit('credits_burned', `agent-${index % 13}`, { agent_id: `agent-${index % 13}`, amount: index / 100, reason: 'resource_purchase' });
        }
        bus.emitAll([{ type: 'reflection', agent_id: 'a "quoted" agent', data: { trigger: '\u2028', outcome_assessment: '\ud800' } }]);
        bus.notice('bid_rejected', 'agent-1', { agent_id: 'agent-1', reason: 'outbid' });
      }
    }
    sink.right.close();
    const written = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').slice(0, -1);
    assert.is(written.length, 3 * 1_502);
    assert.equal(written, trace.events.map((event) => JSON.stringify(event)));
    assert.ok(written.includes('{"event_id":"evt-001002","timestamp":"2026-01-01T00:00:00.001002Z","source":"system","type":"credits_burned","scenario_id":"bus","agent_id":"agent-0","data":{"agent_id":"agent-0","amount":10.01,"reason":"resource_purchase"}}'), 'a millisecond later, its id past the thousands');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
