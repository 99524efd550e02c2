import { isLeft } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../../domain/benchmark/constraint';
import { describeActual } from '../../domain/codec/decode';
import type { DomainEvent, EventOfType, EventType, Trace } from '../../domain/economy/events';
import { matchFields, type RuleEntry } from '../../domain/benchmark/scenario';

/** Matching one rule entry against the events of a trace (docs/DESIGN.md section 6). */

/** label → the position in the trace of the event the label bound. */
export type Bindings = ReadonlyMap<string, number>;

/** The events of one type, with their positions in the trace. */
export function eventsOfType<K extends EventType>(trace: Trace, type: K): { index: number; event: EventOfType<K> }[] {
  // Narrowing a union by a generic discriminant needs the cast; the type test is what makes it sound.
  return trace.flatMap((event, index) => (event.type === type ? [{ index, event: event as EventOfType<K> }] : []));
}

/** Where a check found its evidence, e.g. `#3 evt-3`: the position in the trace (from 1) and the event id. */
export function describeEvent(trace: Trace, index: number): string {
  return `#${index + 1} ${trace[index]?.event_id ?? '(none)'}`;
}

export function describeEntry(entry: RuleEntry): string {
  return JSON.stringify(entry);
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The value at `path`: `data.a.b` inside `data`; a bare path in `data` first, then in the envelope. */
export function fieldValue(event: DomainEvent, path: string): unknown {
  const segments = path.split('.');
  if (segments[0] === 'data') return valueAt(event.data, segments.slice(1));
  return valueAt(event.data, segments) ?? valueAt(event, segments);
}

/** Does some string inside `value` (nested objects and arrays too) contain `needle`, ignoring case? */
export function containsText(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(needle.toLowerCase());
  if (Array.isArray(value)) return value.some((item) => containsText(item, needle));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((item) => containsText(item, needle));
  return false;
}

function constraintMismatch(key: string, text: string, event: DomainEvent, trace: Trace, bindings: Bindings) {
  const parsed = parseConstraint(text);
  if (isLeft(parsed)) return `constraint ${key}: ${parsed.left}`;
  const constraint = parsed.right;
  const actual = fieldValue(event, key);
  if (typeof actual !== 'number') return `${key}: expected a number to check ${formatConstraint(constraint)}, got ${describeActual(actual)}`;
  const { operand } = constraint;
  let bound: number;
  let boundText: string;
  switch (operand.kind) {
    case 'number':
      bound = operand.value;
      boundText = formatNumber(bound);
      break;
    case 'reference': {
      const index = bindings.get(operand.label);
      if (index === undefined) return `${key}: label "${operand.label}" is not bound (no earlier entry with that label matched)`;
      const referenced = fieldValue(trace[index]!, operand.field);
      if (typeof referenced !== 'number') {
        return `${key}: ${operand.label}.${operand.field} of ${describeEvent(trace, index)} is ${describeActual(referenced)}, not a number`;
      }
      bound = referenced;
      boundText = `${operand.label}.${operand.field} = ${formatNumber(bound)}`;
      break;
    }
    case 'percent':
    case 'baseline':
      return `${key}: ${formatConstraint(constraint)} cannot constrain an event field (use a number or label.field)`;
  }
  return compare(constraint.op, actual, bound) ? undefined : `${key} = ${formatNumber(actual)}, required ${constraint.op} ${boundText}`;
}

/** Why `event` does not match `entry`, one reason per differing key; empty when it matches. */
export function mismatches(entry: RuleEntry, event: DomainEvent, trace: Trace, bindings: Bindings): string[] {
  if (event.type !== entry.type) return [`type is ${event.type}, not ${entry.type}`];
  const reasons = matchFields(entry).flatMap(([key, expected]) => {
    const actual = fieldValue(event, key);
    return actual === expected ? [] : [`${key}: expected ${JSON.stringify(expected)}, got ${describeActual(actual)}`];
  });
  if (entry.contains !== undefined && !containsText(event.data, entry.contains)) {
    reasons.push(`no text in data contains ${JSON.stringify(entry.contains)}`);
  }
  for (const [key, text] of Object.entries(entry.constraints ?? {})) {
    const reason = constraintMismatch(key, text, event, trace, bindings);
    if (reason !== undefined) reasons.push(reason);
  }
  return reasons;
}

function matches(entry: RuleEntry, event: DomainEvent, trace: Trace, bindings: Bindings): boolean {
  return mismatches(entry, event, trace, bindings).length === 0;
}

/** The position of the first event at or after `from` that matches `entry`. */
export function findMatch(entry: RuleEntry, trace: Trace, bindings: Bindings, from = 0): number | undefined {
  const index = trace.findIndex((event, position) => position >= from && matches(entry, event, trace, bindings));
  return index === -1 ? undefined : index;
}

/** Every position at which `entry` matches. */
export function findAllMatches(entry: RuleEntry, trace: Trace, bindings: Bindings): number[] {
  return trace.flatMap((event, index) => (matches(entry, event, trace, bindings) ? [index] : []));
}

const NEAREST_SHOWN = 3;

/**
 * Why nothing at or after `from` matches `entry`: the events of the same type that differ least,
 * with what differed, so that the reader sees which key or constraint to look at.
 */
export function describeNearMisses(entry: RuleEntry, trace: Trace, bindings: Bindings, from = 0): string {
  const where = from > 0 ? ` after ${describeEvent(trace, from - 1)}` : '';
  const candidates = trace.flatMap((event, index) =>
    index >= from && event.type === entry.type ? [{ index, reasons: mismatches(entry, event, trace, bindings) }] : [],
  );
  if (candidates.length === 0) return `no ${entry.type} event${where}`;
  const nearest = candidates.sort((a, b) => a.reasons.length - b.reasons.length).slice(0, NEAREST_SHOWN);
  const described = nearest.map(({ index, reasons }) => `${describeEvent(trace, index)} (${reasons.join('; ')})`);
  return `${candidates.length} ${entry.type} event(s)${where}, none matches; nearest: ${described.join(', ')}`;
}
