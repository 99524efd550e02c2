import * as t from 'io-ts';
import { propsOf } from '../domain/economy/events';

/**
 * JSON written straight into a byte buffer, byte for byte what `JSON.stringify` writes as UTF-8, with
 * no string made for the value first. A writer compiled from an io-ts codec knows its object's keys
 * and how each value is written; it follows the keys in the order the object holds them (JSON's order),
 * so an object built in another order, or holding a key its codec does not declare, is still written
 * exactly. A writer answers false for what it cannot prove it writes as JSON.stringify would (a value
 * not of its codec's type, a class instance, a cycle) and when the buffer has no room left: the caller
 * then writes the value by JSON.stringify, or makes room and tries again.
 */
export interface JsonOutput {
  readonly buffer: Buffer;
  /** Where the next byte goes. */
  at: number;
  /** The first byte a writer may not write. */
  end: number;
  /** Set when a writer stopped for want of room, not because of the value. */
  full: boolean;
}

export type JsonWriter = (value: unknown, out: JsonOutput) => boolean;

export function jsonOutput(buffer: Buffer): JsonOutput {
  return { buffer, at: 0, end: buffer.length, full: false };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPENING_BRACE = 0x7b;
const CLOSING_BRACE = 0x7d;
const OPENING_BRACKET = 0x5b;
const CLOSING_BRACKET = 0x5d;
const ZERO = 0x30;
const MINUS = 0x2d;
const DECIMAL_POINT = 0x2e;
/** The most bytes a UTF-16 code unit takes in UTF-8. */
const MAX_BYTES_PER_CHARACTER = 3;
/** The longest a number is written: `-1.2345678901234567e-308`, with a margin. */
const MAX_NUMBER_BYTES = 32;
/** Deeper than any event's data; a cycle, which JSON.stringify refuses, gets no further. */
const MAX_DEPTH = 64;

const NULL = bytesOf('null');
const TRUE = bytesOf('true');
const FALSE = bytesOf('false');

function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

function hasRoom(out: JsonOutput, bytes: number): boolean {
  if (out.at + bytes <= out.end) return true;
  out.full = true;
  return false;
}

function writeBytes(bytes: Uint8Array, out: JsonOutput): boolean {
  if (!hasRoom(out, bytes.length)) return false;
  const { buffer } = out;
  let at = out.at;
  // Keys and literals are a few bytes: a loop copies them faster than a call into Buffer's copy.
  for (let index = 0; index < bytes.length; index += 1) buffer[at++] = bytes[index]!;
  out.at = at;
  return true;
}

function writeByte(byte: number, out: JsonOutput): boolean {
  if (!hasRoom(out, 1)) return false;
  out.buffer[out.at++] = byte;
  return true;
}

/** Does JSON write this UTF-16 code unit in a string as itself, in one ASCII byte (not a quote, a backslash, a control)? */
export function isPlainJsonCode(code: number): boolean {
  return code >= 0x20 && code < 0x80 && code !== QUOTE && code !== BACKSLASH;
}

/**
 * A string, quoted: a character a byte while JSON writes it as itself in ASCII; one holding a quote,
 * a backslash, a control or a non-ASCII character is written as JSON.stringify writes it (escapes,
 * lone surrogates as `\uXXXX`, the rest in UTF-8).
 */
export function writeJsonString(text: string, out: JsonOutput): boolean {
  const length = text.length;
  if (!hasRoom(out, length + 2)) return false;
  const { buffer } = out;
  const start = out.at;
  let at = start;
  buffer[at++] = QUOTE;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (!isPlainJsonCode(code)) return writeEscaped(text, start, out);
    buffer[at++] = code;
  }
  buffer[at++] = QUOTE;
  out.at = at;
  return true;
}

function writeEscaped(text: string, start: number, out: JsonOutput): boolean {
  const json = JSON.stringify(text);
  out.at = start;
  if (!hasRoom(out, json.length * MAX_BYTES_PER_CHARACTER)) return false;
  out.at = start + out.buffer.write(json, start, 'utf8');
  return true;
}

/** A number as JSON.stringify writes it: as `String(n)` does, and `null` for one that is not finite. */
export function writeJsonNumber(value: unknown, out: JsonOutput): boolean {
  if (typeof value !== 'number') return false;
  if (!hasRoom(out, MAX_NUMBER_BYTES)) return false;
  // `-0 | 0` is 0, which is also how String and JSON write -0.
  if (value === (value | 0)) {
    writeDecimalDigits(value | 0, 0, 1, out);
    return true;
  }
  if (!Number.isFinite(value)) return writeBytes(NULL, out);
  if (writeShortDecimal(value, out)) return true;
  const text = String(value);
  const { buffer } = out;
  let at = out.at;
  for (let index = 0; index < text.length; index += 1) buffer[at++] = text.charCodeAt(index);
  out.at = at;
  return true;
}

/**
 * Credits, fractions and durations are decimals of a few places: formatting each as String does (the
 * shortest digits that read back as the number) was most of what serialising a trace's data cost.
 * A number equal to `m / 10^places` for an integer `m` of at most 15 digits is written as that decimal:
 * no other decimal of 15 digits or fewer reads back as the same number (a double holds 15 decimal
 * digits), so it is the shortest, and String writes it without an exponent, at most 6 places and
 * below 10^15 being within [1e-6, 1e21). The fewest places are tried first, so its last digit is not 0.
 */
function writeShortDecimal(value: number, out: JsonOutput): boolean {
  const magnitude = value < 0 ? -value : value;
  let scale = 1;
  for (let places = 0; places <= MAX_SHORT_PLACES; places += 1) {
    const scaled = Math.round(magnitude * scale);
    if (scaled >= MAX_SHORT_DIGITS_VALUE) return false;
    if (scaled / scale === magnitude) {
      writeDecimalDigits(value < 0 ? -scaled : scaled, places, 1, out);
      return true;
    }
    scale *= 10;
  }
  return false;
}

/** The most places `writeShortDecimal` writes: String writes 1e-7 with an exponent. */
const MAX_SHORT_PLACES = 6;
/** 10^15: integers below it have at most 15 digits, the most a double tells apart. */
const MAX_SHORT_DIGITS_VALUE = 1e15;

/**
 * Writes the integer `scaled` (a safe integer) divided by 10^places, its places all written and its
 * digits padded with zeros to at least `minDigits`; the caller has made room for them.
 */
export function writeDecimalDigits(scaled: number, places: number, minDigits: number, out: JsonOutput): void {
  const { buffer } = out;
  let at = out.at;
  let rest = scaled;
  if (rest < 0) {
    buffer[at++] = MINUS;
    rest = -rest;
  }
  let digits = 1;
  for (let power = 10; power <= rest; power *= 10) digits += 1;
  // 0.05 is 5 at two places: its digits are padded to one more than its places with zeros.
  digits = Math.max(digits, places + 1, minDigits);
  const length = places > 0 ? digits + 1 : digits;
  const point = at + digits - places;
  out.at = at + length;
  for (let index = at + length - 1; index >= at; index -= 1) {
    if (places > 0 && index === point) {
      buffer[index] = DECIMAL_POINT;
      continue;
    }
    // Exact for integers below 2^53: no division is rounded.
    const digit = rest % 10;
    buffer[index] = ZERO + digit;
    rest = (rest - digit) / 10;
  }
}

function writeJsonBoolean(value: unknown, out: JsonOutput): boolean {
  if (value === true) return writeBytes(TRUE, out);
  if (value === false) return writeBytes(FALSE, out);
  return false;
}

function writeJsonNull(value: unknown, out: JsonOutput): boolean {
  return value === null && writeBytes(NULL, out);
}

function writeJsonStringValue(value: unknown, out: JsonOutput): boolean {
  return typeof value === 'string' && writeJsonString(value, out);
}

/**
 * An object JSON.stringify writes key by key: a plain one, of `Object.prototype` or none (its own
 * `toJSON` is looked for among its keys; `Object.prototype` itself is taken to hold none, nor any
 * enumerable property).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** A property JSON.stringify leaves out of an object (and writes as null in an array). */
function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** An object's own `toJSON` method: JSON.stringify writes what it returns instead of the object. */
function callsToJson(key: string, value: unknown): boolean {
  return key === 'toJSON' && typeof value === 'function';
}

function writeAnyAt(value: unknown, out: JsonOutput, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return writeJsonString(value, out);
    case 'number':
      return writeJsonNumber(value, out);
    case 'boolean':
      return writeJsonBoolean(value, out);
    case 'object':
      if (value === null) return writeBytes(NULL, out);
      if (depth >= MAX_DEPTH) return false;
      if (isPlainArray(value)) return writeArrayOf(value, out, (element) => writeAnyAt(element, out, depth + 1));
      if (isPlainObject(value)) return writeObjectOfAny(value, out, depth + 1);
      return false;
    default:
      return false;
  }
}

/** Any JSON value, typed by nothing but what it is at run time. */
export const writeAnyJson: JsonWriter = (value, out) => writeAnyAt(value, out, 0);

function writeArrayOf(array: readonly unknown[], out: JsonOutput, writeElement: (element: unknown) => boolean): boolean {
  if (!writeByte(OPENING_BRACKET, out)) return false;
  for (let index = 0; index < array.length; index += 1) {
    if (index > 0 && !writeByte(COMMA, out)) return false;
    const element = array[index];
    if (!(isLeftOut(element) ? writeBytes(NULL, out) : writeElement(element))) return false;
  }
  return writeByte(CLOSING_BRACKET, out);
}

function writeObjectOfAny(object: Record<string, unknown>, out: JsonOutput, depth: number): boolean {
  if (!writeByte(OPENING_BRACE, out)) return false;
  let first = true;
  for (const key in object) {
    const value = object[key];
    if (isLeftOut(value)) {
      if (callsToJson(key, value)) return false;
      continue;
    }
    if (!first && !writeByte(COMMA, out)) return false;
    first = false;
    if (!writeJsonString(key, out) || !writeByte(COLON, out) || !writeAnyAt(value, out, depth)) return false;
  }
  return writeByte(CLOSING_BRACE, out);
}

/**
 * An object of declared properties: each declared key's `"key":` is encoded once and its value
 * written by its codec's writer. Keys are taken in the object's order; the next declared key is
 * tried first, as objects are mostly built in their codec's order, then any declared key; a key not
 * declared is written as any JSON.
 */
function objectWriterOf(props: t.Props): JsonWriter {
  const names = Object.keys(props);
  const keys = names.map((name) => bytesOf(`${JSON.stringify(name)}:`));
  const writers = names.map((name) => jsonWriterOf(props[name]!));
  const positions = new Map(names.map((name, index) => [name, index]));
  return (value, out) => {
    if (!isPlainObject(value) || !writeByte(OPENING_BRACE, out)) return false;
    let first = true;
    let next = 0;
    for (const key in value) {
      const property = value[key];
      if (isLeftOut(property)) {
        if (callsToJson(key, property)) return false;
        continue;
      }
      if (!first && !writeByte(COMMA, out)) return false;
      first = false;
      const position = names[next] === key ? next : (positions.get(key) ?? -1);
      if (position < 0) {
        if (!writeJsonString(key, out) || !writeByte(COLON, out) || !writeAnyAt(property, out, 1)) return false;
        continue;
      }
      if (!writeBytes(keys[position]!, out) || !writers[position]!(property, out)) return false;
      next = position + 1;
    }
    return writeByte(CLOSING_BRACE, out);
  };
}

function arrayWriterOf(element: t.Mixed): JsonWriter {
  const writeElement = jsonWriterOf(element);
  return (value, out) => isPlainArray(value) && writeArrayOf(value, out, (each) => writeElement(each, out));
}

/**
 * The writer of values of `codec`, compiled once: strings, numbers, booleans, null, keyof and
 * refinements of them, arrays and objects of declared properties; any other codec's values
 * (unions, unknown records) are written as any JSON.
 */
export function jsonWriterOf(codec: t.Mixed): JsonWriter {
  if (codec instanceof t.StringType || codec instanceof t.KeyofType) return writeJsonStringValue;
  if (codec instanceof t.NumberType) return writeJsonNumber;
  if (codec instanceof t.BooleanType) return writeJsonBoolean;
  if (codec instanceof t.NullType) return writeJsonNull;
  if (codec instanceof t.RefinementType) return jsonWriterOf(codec.type as t.Mixed);
  if (codec instanceof t.ArrayType) return arrayWriterOf(codec.type as t.Mixed);
  const props = propsOf(codec);
  if (props !== undefined) return objectWriterOf(props);
  return writeAnyJson;
}
