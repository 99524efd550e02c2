import type { RuleEntry } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import { describeEntry, describeEvent, describeNearMisses, findMatch } from './match';
import type { Check } from './verdict';

/** `required_events`: each entry matched anywhere in the trace. */

/**
 * Each entry is matched by the first event that matches it, from the start of the trace or, `inOrder`,
 * after the previous entry's match (an unmatched entry leaves that point where it was). A label binds
 * the matched event for the entries and blocks that follow.
 */
export function checkMatched(
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
