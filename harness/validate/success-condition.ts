import { isLeft } from 'fp-ts/lib/Either.js';
import { conditionNames, evaluateCondition, parseCondition } from '../../domain/benchmark/condition';
import type { Evidence } from './evidence';
import { isPredicateName, isValueName, KNOWN_CONDITION_NAMES } from '../../domain/benchmark/validation-vocabulary';
import { PREDICATES, VALUES } from './predicates';
import type { Check } from './verdict';

interface NameOutcome {
  readonly truth: boolean;
  readonly value: number | undefined;
  readonly detail: string;
}

function outcomeOf(name: string, evidence: Evidence): NameOutcome {
  if (isPredicateName(name)) {
    const { holds, detail } = PREDICATES[name].find(evidence);
    return { truth: holds, value: undefined, detail };
  }
  if (isValueName(name)) {
    const { value, detail } = VALUES[name].read(evidence);
    return { truth: false, value, detail };
  }
  return { truth: false, value: undefined, detail: `unknown name (known: ${KNOWN_CONDITION_NAMES.join(', ')})` };
}

/**
 * The `success_condition` as one check: its detail shows every name's value in place, e.g.
 * `correct_sequence=true AND all_services_succeeded=false`, then why each name has that value.
 */
export function checkSuccessCondition(text: string, evidence: Evidence): Check {
  const name = 'success_condition';
  const condition = parseCondition(text);
  if (isLeft(condition)) return { name, passed: false, detail: `${JSON.stringify(text)}: ${condition.left}` };
  const outcomes = new Map(conditionNames(condition.right).map((conditionName) => [conditionName, outcomeOf(conditionName, evidence)]));
  const { holds, explanation } = evaluateCondition(condition.right, {
    truth: (conditionName) => outcomes.get(conditionName)?.truth ?? false,
    value: (conditionName) => outcomes.get(conditionName)?.value,
  });
  const reasons = [...outcomes].map(([conditionName, outcome]) => `${conditionName}: ${outcome.detail}`);
  return { name, passed: holds, detail: `${explanation} — ${reasons.join('; ')}` };
}
