import type { RuleEntry } from '../domain/scenario';
import { describeEntry, describeEvent, describeNearMisses, findAllMatches, findMatch, type Bindings, type Trace } from './match';
import type { Check } from './verdict';

/** The rule kinds over rule entries: required (any order), required in sequence, forbidden. */

/**
 * Each entry is matched by the first event that matches it, from the start of the trace or, `inOrder`,
 * after the previous entry's match (an unmatched entry leaves that point where it was). A label binds
 * the matched event for the entries and blocks that follow.
 */
function checkMatched(
  block: 'required_events' | 'required_event_sequence',
  entries: readonly RuleEntry[],
  trace: Trace,
  bindings: Map<string, number>,
  inOrder: boolean,
): Check[] {
  let next = 0;
  return entries.map((entry, position) => {
    const name = `${block}[${position}]`;
    const from = inOrder ? next : 0;
    const index = findMatch(entry, trace, bindings, from);
    if (index === undefined) {
      return { name, passed: false, detail: `${describeEntry(entry)} found no match: ${describeNearMisses(entry, trace, bindings, from)}` };
    }
    if (entry.label !== undefined) bindings.set(entry.label, index);
    next = index + 1;
    return { name, passed: true, detail: `${describeEntry(entry)} matched ${describeEvent(trace, index)}` };
  });
}

export function checkRequiredEvents(entries: readonly RuleEntry[], trace: Trace, bindings: Map<string, number>): Check[] {
  return checkMatched('required_events', entries, trace, bindings, false);
}

/** An ordered subsequence, each entry matched by the earliest event after the previous entry's match. */
export function checkRequiredSequence(entries: readonly RuleEntry[], trace: Trace, bindings: Map<string, number>): Check[] {
  return checkMatched('required_event_sequence', entries, trace, bindings, true);
}

const OFFENDERS_SHOWN = 3;

export function checkForbiddenEvents(entries: readonly RuleEntry[], trace: Trace, bindings: Bindings): Check[] {
  return entries.map((entry, position) => {
    const name = `forbidden_events[${position}]`;
    const offenders = findAllMatches(entry, trace, bindings);
    if (offenders.length === 0) return { name, passed: true, detail: `no event matches ${describeEntry(entry)}` };
    const shown = offenders.slice(0, OFFENDERS_SHOWN).map((index) => describeEvent(trace, index));
    const more = offenders.length > OFFENDERS_SHOWN ? ` and ${offenders.length - OFFENDERS_SHOWN} more` : '';
    return { name, passed: false, detail: `${describeEntry(entry)} is forbidden but matched ${shown.join(', ')}${more}` };
  });
}
