import type { RuleEntry } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import { describeEntry, describeEvent, findAllMatches, type Bindings } from './match';
import type { Check } from './verdict';

/** `forbidden_events`: no event may match an entry. */

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
