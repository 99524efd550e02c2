import { isLeft } from 'fp-ts/lib/Either.js';
import { compare, formatConstraint, formatNumber, parseConstraint } from '../../domain/benchmark/constraint';
import type { DomainEvent } from '../../domain/economy/events';
import { isConsumptionMetric, type ConsumptionMetric } from '../../domain/benchmark/validation-vocabulary';
import type { Check } from './verdict';

/** What a `resource_consumption` key measures, summed over the whole trace. */
export const CONSUMPTION_METRICS = {
  tokens_used: {
    doc: 'LLM tokens: the sum of tool_call_completed.data.tokens_used',
    measure: (trace: readonly DomainEvent[]) =>
      sum(trace, (event) => (event.type === 'tool_call_completed' ? event.data.tokens_used : undefined)),
  },
  credits_burned: {
    doc: 'credits spent on resources: the sum of credits_burned.data.amount',
    measure: (trace: readonly DomainEvent[]) =>
      sum(trace, (event) => (event.type === 'credits_burned' ? event.data.amount : undefined)),
  },
} satisfies Record<ConsumptionMetric, { doc: string; measure: (trace: readonly DomainEvent[]) => number }>;

function sum(trace: readonly DomainEvent[], amountOf: (event: DomainEvent) => number | undefined): number {
  return trace.reduce((total, event) => total + (amountOf(event) ?? 0), 0);
}

/** One check per metric: the measured total against a numeric constraint, e.g. `tokens_used: "<=200"`. */
export function checkResourceConsumption(block: Readonly<Record<string, string>>, trace: readonly DomainEvent[]): Check[] {
  return Object.entries(block).map(([metric, text]) => {
    const name = `resource_consumption.${metric}`;
    if (!isConsumptionMetric(metric)) {
      return { name, passed: false, detail: `unknown metric; known: ${Object.keys(CONSUMPTION_METRICS).join(', ')}` };
    }
    const constraint = parseConstraint(text);
    if (isLeft(constraint)) return { name, passed: false, detail: constraint.left };
    const { op, operand } = constraint.right;
    if (operand.kind !== 'number') {
      return { name, passed: false, detail: `expected a number to compare with, got ${formatConstraint(constraint.right)}` };
    }
    const measured = CONSUMPTION_METRICS[metric].measure(trace);
    const passed = compare(op, measured, operand.value);
    return { name, passed, detail: `${metric} = ${formatNumber(measured)}, required ${formatConstraint(constraint.right)}` };
  });
}
