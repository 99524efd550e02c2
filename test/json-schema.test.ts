import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as t from 'io-ts';
import { strictObject } from '../domain/codec/decode';
import { jsonSchemaOf, UnsupportedCodec } from '../domain/codec/json-schema';
import { BundleRequest } from '../domain/economy/resources';
import { TOOL_REGISTRY } from '../machines/tools/registry';
import { Reasoning } from '../machines/brains/protocol';
import { Credits, PositiveCredits } from '../domain/economy/credits';
import { PositiveInteger, Probability } from '../domain/codec/numbers';

test('a strict object lists its required and optional keys and closes itself', () => {
  const codec = strictObject('Thing', { name: t.string }, { count: t.number });
  assert.equal(jsonSchemaOf(codec), {
    type: 'object',
    properties: { name: { type: 'string' }, count: { type: 'number' } },
    required: ['name'],
    additionalProperties: false,
  });
});

test('the protocol Reasoning: literal kind, a string-or-null decision, arrays of strings, an open record', () => {
  const schema = jsonSchemaOf(Reasoning);
  assert.equal(schema.required, ['kind', 'content', 'decision']);
  assert.equal(schema.properties!.kind, { enum: ['reasoning'] });
  assert.equal(schema.properties!.decision, { type: ['string', 'null'] });
  assert.equal(schema.properties!.factors_considered, { type: 'array', items: { type: 'string' } });
  assert.equal(schema.properties!.context, { type: 'object' });
});

test('an intersection of a type and a partial is one object with the type keys required', () => {
  const schema = jsonSchemaOf(BundleRequest);
  assert.is(schema.type, 'object');
  assert.equal(schema.required, ['duration_seconds']);
  assert.ok(schema.properties!.memory_mb !== undefined);
  assert.is(schema.additionalProperties, undefined);
});

test('the refinements of numbers are read back as bounds; exclusive bounds stay in the description', () => {
  assert.equal(jsonSchemaOf(Probability), { type: 'number', minimum: 0, maximum: 1, description: 'a probability from 0 to 1' });
  assert.equal(jsonSchemaOf(PositiveInteger), { type: 'integer', minimum: 1, description: 'a positive integer' });
  assert.equal(jsonSchemaOf(Credits), { type: 'number', minimum: 0, description: 'a non-negative number of credits' });
  assert.equal(jsonSchemaOf(PositiveCredits), { type: 'number', description: 'a positive number of credits' });
  const between = t.refinement(t.number, (n) => n > 0 && n < 1, 'strictly between');
  assert.equal(jsonSchemaOf(between), { type: 'number', description: 'strictly between' });
});

test('keyof, union of literals, record, exact', () => {
  assert.equal(jsonSchemaOf(t.keyof({ a: null, b: null })), { type: 'string', enum: ['a', 'b'] });
  assert.equal(jsonSchemaOf(t.union([t.literal('x'), t.literal(2)])), { enum: ['x', 2] });
  assert.equal(jsonSchemaOf(t.record(t.string, t.boolean)), { type: 'object', additionalProperties: { type: 'boolean' } });
  assert.equal(jsonSchemaOf(t.exact(t.type({ a: t.string }))), {
    type: 'object',
    properties: { a: { type: 'string' } },
    required: ['a'],
    additionalProperties: false,
  });
  assert.equal(jsonSchemaOf(t.union([t.string, t.type({ a: t.number })])).anyOf!.length, 2);
});

test('a codec of a kind the walker does not know is refused, never {}', () => {
  const custom = new t.Type<string>('Custom', t.string.is, t.string.validate, t.identity);
  assert.throws(() => jsonSchemaOf(custom), (error: unknown) => error instanceof UnsupportedCodec && /Custom/.test(error.message));
  assert.throws(() => jsonSchemaOf(t.type({ nested: t.tuple([t.string]) })), (error: unknown) => error instanceof UnsupportedCodec);
  assert.throws(() => jsonSchemaOf(t.intersection([t.type({ a: t.string }), t.string])), (error: unknown) => error instanceof UnsupportedCodec);
});

test('every tool of the registry has a schema: an object, with a type for each of its properties', () => {
  for (const tool of TOOL_REGISTRY) {
    const schema = jsonSchemaOf(tool.arguments);
    assert.is(schema.type, 'object', tool.name);
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      assert.ok(property.type !== undefined || property.enum !== undefined || property.anyOf !== undefined, `${tool.name}.${key}`);
    }
  }
});

test.run();
