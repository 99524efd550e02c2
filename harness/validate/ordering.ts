import { isLeft } from 'fp-ts/lib/Either.js';
import { parseOrderingConstraint } from '../../domain/benchmark/validation-vocabulary';
import type { Trace } from '../../domain/economy/events';
import { describeEvent, fieldValue, type Bindings } from './match';
import type { Check } from './verdict';

/** `ordering_constraints`: `A BEFORE B`, where A and B name events by label, type, tool_name or service_name. */

/**
 * The first event named `name`: the event bound to that label, or one of that type, tool_name, or
 * service_name. A service is named by its invocation only: providers register their services when the
 * world starts, and that says nothing about the order in which the agent used them.
 */
export function firstEventNamed(name: string, trace: Trace, bindings: Bindings): number | undefined {
  const byField = trace.findIndex(
    (event) =>
      event.type === name ||
      fieldValue(event, 'tool_name') === name ||
      (event.type === 'service_invoked' && event.data.service_name === name),
  );
  const positions = [bindings.get(name), byField === -1 ? undefined : byField].filter((index) => index !== undefined);
  return positions.length === 0 ? undefined : Math.min(...positions);
}

export function checkOrderingConstraints(constraints: readonly string[], trace: Trace, bindings: Bindings): Check[] {
  return constraints.map((text, position) => {
    const name = `ordering_constraints[${position}]`;
    const parsed = parseOrderingConstraint(text);
    if (isLeft(parsed)) return { name, passed: false, detail: parsed.left };
    const { before, after } = parsed.right;
    const first = firstEventNamed(before, trace, bindings);
    const second = firstEventNamed(after, trace, bindings);
    if (first === undefined || second === undefined) {
      const missing = [first === undefined ? [before] : [], second === undefined ? [after] : []].flat();
      return { name, passed: false, detail: `${text}: no event named ${missing.join(' or ')} in the trace` };
    }
    const passed = first < second;
    const detail = `${text}: first ${before} at ${describeEvent(trace, first)}, first ${after} at ${describeEvent(trace, second)}`;
    return { name, passed, detail };
  });
}
