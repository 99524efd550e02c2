import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { DomainEvent } from '../../domain/economy/events';
import { totalSupplyFromTrace } from '../../domain/economy/supply';

/** The assertions every step of a generated path is held to, each returning what went wrong. */

export function undecodableEvents(trace: readonly unknown[]): string[] {
  return trace.flatMap((event, index) => {
    const decoded = decodeWith(DomainEvent, event, `$.trace[${index}]`);
    return isLeft(decoded) ? decoded.left.map(formatIssue) : [];
  });
}

export function supplyMismatch(trace: readonly DomainEvent[], expected: number): string[] {
  const fromTrace = totalSupplyFromTrace(trace);
  return fromTrace === expected ? [] : [`the trace accounts for ${fromTrace} credits, the ledger holds ${expected}`];
}

/** `subject` of the real actor against the model's, compared as JSON. */
export function mismatch(subject: string, actual: unknown, expected: unknown): string[] {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  return a === e ? [] : [`${subject}: the actor has ${a}, the model ${e}`];
}
