import type { RuleEntry } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import { checkMatched } from './required-events';
import type { Check } from './verdict';

/** An ordered subsequence, each entry matched by the earliest event after the previous entry's match. */
export function checkRequiredSequence(entries: readonly RuleEntry[], trace: Trace, bindings: Map<string, number>): Check[] {
  return checkMatched('required_event_sequence', entries, trace, bindings, true);
}
