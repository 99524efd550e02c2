import * as t from 'io-ts';
import { StrictObjectType } from './decode';

/**
 * The JSON Schema of an io-ts codec, for offering a tool's arguments to a language model: the subset
 * of draft 2020-12 that OpenAI-compatible function calling accepts (type, properties, required,
 * additionalProperties, enum, items, anyOf, minimum, maximum, description). The codec stays the
 * judge of what is valid; the schema tells the model what to write. A codec of a kind this walker
 * does not know is refused with an error, so that a new kind of codec never passes as `{}`.
 */

export type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description?: string;
};

export class UnsupportedCodec extends Error {
  constructor(readonly codecName: string, readonly tag: string) {
    super(`cannot derive a JSON Schema from the codec ${codecName} (kind ${tag})`);
    this.name = 'UnsupportedCodec';
  }
}

type Tagged = t.Mixed & { readonly _tag?: string };

const EPSILON = 1e-9;
/** The bounds a refinement of numbers is probed at: the ones the project's refinements use. */
const BOUND_CANDIDATES = [0, 1, 2, 5, 10, 100];

/**
 * The inclusive bounds and integrality a refinement of numbers shows at the candidate points, found
 * by asking its predicate: `n >= 0`, `n > 0 && isInteger(n)`, `0 <= n <= 1` are read back as such.
 * Exclusive bounds are left to the description (the refinement's name says them).
 */
function probedBounds(accepts: (n: number) => boolean): Pick<JsonSchema, 'type' | 'minimum' | 'maximum'> {
  const accepted = BOUND_CANDIDATES.filter(accepts);
  const integer = accepted.some((n) => !accepts(n + 0.5) && accepts(n + 1));
  const step = integer ? 1 : EPSILON;
  const minimum = accepted.find((n) => !accepts(n - step));
  const maximum = [...accepted].reverse().find((n) => !accepts(n + step));
  return {
    ...(integer ? { type: 'integer' } : {}),
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
  };
}

function objectSchema(required: t.Props, optional: t.Props, closed: boolean): JsonSchema {
  const properties = Object.fromEntries(
    [...Object.entries(required), ...Object.entries(optional)].map(([key, codec]) => [key, jsonSchemaOf(codec)]),
  );
  return {
    type: 'object',
    properties,
    required: Object.keys(required),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

/** The members of an intersection of objects, as one object; a member that is not an object is refused. */
function mergedObjects(codec: t.IntersectionType<t.Mixed[]>): JsonSchema {
  const members = codec.types.map(jsonSchemaOf);
  const notObject = members.findIndex((member) => member.type !== 'object' || member.properties === undefined);
  if (notObject >= 0) throw new UnsupportedCodec(codec.name, `IntersectionType of ${codec.types[notObject]!.name}`);
  return {
    type: 'object',
    properties: Object.assign({}, ...members.map((member) => member.properties)),
    required: members.flatMap((member) => member.required ?? []),
    ...(members.some((member) => member.additionalProperties === false) ? { additionalProperties: false } : {}),
  };
}

const PRIMITIVE_TYPES: Readonly<Record<string, string>> = {
  StringType: 'string',
  NumberType: 'number',
  BooleanType: 'boolean',
  NullType: 'null',
};

function unionSchema(codec: t.UnionType<t.Mixed[]>): JsonSchema {
  const members = codec.types.map(jsonSchemaOf);
  if (members.every((member) => member.enum !== undefined && Object.keys(member).length === 1)) {
    return { enum: members.flatMap((member) => member.enum!) };
  }
  if (members.every((member) => typeof member.type === 'string' && Object.keys(member).length === 1)) {
    return { type: members.map((member) => member.type as string) };
  }
  return { anyOf: members };
}

export function jsonSchemaOf(codec: t.Decoder<unknown, unknown>): JsonSchema {
  if (codec instanceof StrictObjectType) return objectSchema(codec.required, codec.optional, true);
  const tag = (codec as Tagged)._tag ?? 'untagged';
  const primitive = PRIMITIVE_TYPES[tag];
  if (primitive !== undefined) return { type: primitive };
  if (codec instanceof t.InterfaceType) return objectSchema(codec.props as t.Props, {}, false);
  if (codec instanceof t.PartialType) return objectSchema({}, codec.props as t.Props, false);
  if (codec instanceof t.ExactType) return { ...jsonSchemaOf(codec.type as t.Mixed), additionalProperties: false };
  if (codec instanceof t.IntersectionType) return mergedObjects(codec as t.IntersectionType<t.Mixed[]>);
  if (codec instanceof t.UnionType) return unionSchema(codec as t.UnionType<t.Mixed[]>);
  if (codec instanceof t.LiteralType) return { enum: [codec.value as string | number | boolean] };
  if (codec instanceof t.KeyofType) return { type: 'string', enum: Object.keys(codec.keys as object) };
  if (codec instanceof t.ArrayType) return { type: 'array', items: jsonSchemaOf(codec.type as t.Mixed) };
  if (codec instanceof t.DictionaryType) return { type: 'object', additionalProperties: jsonSchemaOf(codec.codomain as t.Mixed) };
  if (codec instanceof t.AnyDictionaryType) return { type: 'object' };
  if (codec instanceof t.AnyArrayType) return { type: 'array' };
  if (codec instanceof t.UnknownType) return {};
  if (codec instanceof t.RefinementType) {
    const inner = jsonSchemaOf(codec.type as t.Mixed);
    const bounds = inner.type === 'number' ? probedBounds(codec.predicate as (n: number) => boolean) : {};
    return { ...inner, ...bounds, description: codec.name };
  }
  throw new UnsupportedCodec((codec as t.Mixed).name ?? 'unnamed', tag);
}
