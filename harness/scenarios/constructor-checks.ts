import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import { dataFieldsOf, EVENT_CLASS_NAMES, EVENT_TYPES, hasFieldPath, isEventType, type EventType } from '../../domain/economy/events';
import { JUDGED_BLOCKS, matchFields, type InjectedEvent, type RuleEntry, type Validation } from '../../domain/benchmark/scenario';
import { parseConstraint, type Constraint, type ConstraintOperand } from '../../domain/benchmark/constraint';
import { conditionNames, parseCondition } from '../../domain/benchmark/condition';
import {
  CONSUMPTION_METRIC_NAMES,
  isConsumptionMetric,
  isKnownConditionName,
  KNOWN_CONDITION_NAMES,
  parseOrderingConstraint,
  PERFORMANCE_COMPARISON_METRICS,
} from '../../domain/benchmark/validation-vocabulary';
import { didYouMean } from './suggest';

/**
 * The constructor's checks of a decoded scenario against the system: the event catalogue, the
 * constraint and condition languages and the validator's metrics (docs/DESIGN.md section 5). Decoding
 * has already checked the shape; these check that every name means something.
 */

export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

const RULE_BLOCKS = ['required_events', 'required_event_sequence', 'forbidden_events'] as const;
type RuleBlock = (typeof RULE_BLOCKS)[number];

/** Match keys whose values `A BEFORE B` may name, besides labels and event types. */
const NAMING_KEYS = ['tool_name', 'data.tool_name', 'service_name', 'data.service_name'];

const VALUE_NAMES_NEEDING_JUDGEMENT = ['judge_score', 'threshold'];

const quote = (value: string) => JSON.stringify(value);

function unknownEventType(type: string): string {
  const byClassName = EVENT_CLASS_NAMES.get(type);
  const hint = byClassName === undefined ? didYouMean(type, EVENT_TYPES) : ` (did you mean "${byClassName}"?)`;
  return `expected a known event type, got ${quote(type)}${hint || ` (known types: ${EVENT_TYPES.join(', ')})`}`;
}

function unknownField(type: EventType, path: string): string {
  const prefix = path.startsWith('data.') ? 'data.' : '';
  const fields = dataFieldsOf(type);
  const hint = didYouMean(path, fields.map((field) => prefix + field));
  return `expected a field that ${type} events have (data fields: ${fields.join(', ')}), got ${quote(path)}${hint}`;
}

type OperandKind = ConstraintOperand['kind'];
const OPERAND_WORDS: Record<OperandKind, string> = {
  number: 'a number',
  percent: 'a percentage',
  baseline: '`baseline`',
  reference: '`label.field`',
};

/** Parses a constraint and rejects operands that mean nothing in its place (a label outside a rule entry, …). */
function constraintIn(text: string, allowed: readonly OperandKind[]): Either<string, Constraint> {
  const parsed = parseConstraint(text);
  if (isLeft(parsed) || allowed.includes(parsed.right.operand.kind)) return parsed;
  const words = allowed.map((kind) => OPERAND_WORDS[kind]).join(' or ');
  return left(
    `expected a comparator followed by ${words}, got ${quote(text)} (${OPERAND_WORDS[parsed.right.operand.kind]} has no meaning here)`,
  );
}

interface Binding {
  readonly index: number;
  readonly type: EventType | undefined;
}

/** What the rule blocks declare, for the checks that refer back to them. */
interface RuleNames {
  readonly labels: Set<string>;
  readonly toolAndServiceNames: Set<string>;
}

function checkLabelReference(
  reference: Extract<ConstraintOperand, { kind: 'reference' }>,
  index: number,
  block: RuleBlock,
  bindings: ReadonlyMap<string, Binding>,
): string | undefined {
  const { label, field } = reference;
  const binding = bindings.get(label);
  if (binding === undefined || binding.index >= index) {
    const earlier = [...bindings].filter(([, bound]) => bound.index < index).map(([name]) => name);
    const why =
      binding === undefined
        ? `no entry of ${block} binds ${quote(label)}`
        : `${quote(label)} is bound only by ${binding.index === index ? 'this entry itself' : `the later entry ${block}[${binding.index}]`}`;
    const known = earlier.length > 0 ? `labels bound before this entry: ${earlier.join(', ')}` : 'no label is bound before this entry';
    return `expected \`label.field\` with a label bound by an earlier entry of ${block}, got ${quote(`${label}.${field}`)}: ${why} (${known})`;
  }
  if (binding.type !== undefined && !hasFieldPath(binding.type, field)) {
    return `${quote(label)} is a ${binding.type} event: ${unknownField(binding.type, field)}`;
  }
  return undefined;
}

function checkRuleBlock(
  block: RuleBlock,
  entries: readonly RuleEntry[],
  labelPaths: Map<string, string>,
  names: RuleNames,
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const at = (index: number) => `$.validation.${block}[${index}]`;
  // Every label of the block, with where it is bound, so that a reference to a later one says so.
  const bindings = new Map<string, Binding>();
  entries.forEach((entry, index) => {
    if (entry.label !== undefined && !bindings.has(entry.label)) {
      bindings.set(entry.label, { index, type: isEventType(entry.type) ? entry.type : undefined });
    }
  });
  entries.forEach((entry, index) => {
    const type = isEventType(entry.type) ? entry.type : undefined;
    if (type === undefined) issues.push({ path: `${at(index)}.type`, message: unknownEventType(entry.type) });
    for (const [key, value] of matchFields(entry)) {
      if (type !== undefined && !hasFieldPath(type, key)) {
        issues.push({ path: `${at(index)}.${key}`, message: unknownField(type, key) });
      }
      if (NAMING_KEYS.includes(key) && typeof value === 'string') names.toolAndServiceNames.add(value);
    }
    for (const [field, text] of Object.entries(entry.constraints ?? {})) {
      const path = `${at(index)}.constraints.${field}`;
      if (type !== undefined && !hasFieldPath(type, field)) issues.push({ path, message: unknownField(type, field) });
      const constraint = constraintIn(text, ['number', 'reference']);
      const problem = isLeft(constraint)
        ? constraint.left
        : constraint.right.operand.kind === 'reference'
          ? checkLabelReference(constraint.right.operand, index, block, bindings)
          : undefined;
      if (problem !== undefined) issues.push({ path, message: problem });
    }
    if (entry.label !== undefined) {
      const boundAt = labelPaths.get(entry.label);
      if (boundAt === undefined) labelPaths.set(entry.label, `${at(index)}.label`);
      else {
        issues.push({
          path: `${at(index)}.label`,
          message: `expected a label no other entry binds, got ${quote(entry.label)} (already bound at ${boundAt})`,
        });
      }
      names.labels.add(entry.label);
    }
  });
  return issues;
}

function checkOrdering(constraints: readonly string[], names: RuleNames): ScenarioIssue[] {
  const nameable = [...names.labels, ...names.toolAndServiceNames];
  const isNameable = (name: string) => nameable.includes(name) || isEventType(name);
  return constraints.flatMap((text, index) => {
    const path = `$.validation.ordering_constraints[${index}]`;
    const parsed = parseOrderingConstraint(text);
    if (isLeft(parsed)) return [{ path, message: parsed.left }];
    return [parsed.right.before, parsed.right.after]
      .filter((name) => !isNameable(name))
      .map((name) => ({
        path,
        message: `expected "A BEFORE B" where A and B each name a label, an event type, or a tool_name or service_name of a rule entry (${nameable.length > 0 ? nameable.join(', ') : 'the rule entries name none'}), got ${quote(name)}${didYouMean(name, [...nameable, ...EVENT_TYPES])}`,
      }));
  });
}

function checkConsumption(consumption: Readonly<Record<string, string>>): ScenarioIssue[] {
  const metrics: readonly string[] = CONSUMPTION_METRIC_NAMES;
  return Object.entries(consumption).flatMap(([metric, text]) => {
    const path = `$.validation.resource_consumption.${metric}`;
    const issues: ScenarioIssue[] = [];
    if (!isConsumptionMetric(metric)) {
      issues.push({
        path,
        message: `expected a metric the validator measures (${metrics.join(', ')}), got ${quote(metric)}${didYouMean(metric, metrics)}`,
      });
    }
    const constraint = constraintIn(text, ['number']);
    if (isLeft(constraint)) issues.push({ path, message: constraint.left });
    return issues;
  });
}

/**
 * The constraints of the self-improvement blocks, which compare a measurement with its baseline;
 * each accepts the operands the validator gives a meaning to there.
 */
function checkMeasurementConstraints(validation: Validation): ScenarioIssue[] {
  const { performance_comparison, improvement_validation, performance_validation } = validation;
  const comparisonKeys = Object.keys(PERFORMANCE_COMPARISON_METRICS);
  const unknownComparisons = Object.keys(performance_comparison ?? {})
    .filter((key) => !comparisonKeys.includes(key))
    .map((key) => ({
      path: `$.validation.performance_comparison.${key}`,
      message: `expected a comparison the validator measures (${comparisonKeys.join(', ')}), got ${quote(key)}${didYouMean(key, comparisonKeys)}`,
    }));
  const constraints: (readonly [path: string, text: string | undefined, allowed: readonly OperandKind[]])[] = [
    ...Object.entries(performance_comparison ?? {}).map(
      ([key, text]) => [`$.validation.performance_comparison.${key}`, text, ['number', 'percent', 'baseline']] as const,
    ),
    ['$.validation.improvement_validation.target', improvement_validation?.target, ['number', 'baseline']],
    ['$.validation.performance_validation.weighted_score_improvement', performance_validation?.weighted_score_improvement, ['percent']],
  ];
  return [
    ...unknownComparisons,
    ...constraints.flatMap(([path, text, allowed]) => {
      if (text === undefined) return [];
      const constraint = constraintIn(text, allowed);
      return isLeft(constraint) ? [{ path, message: constraint.left }] : [];
    }),
  ];
}

function checkSuccessCondition(validation: Validation): ScenarioIssue[] {
  const path = '$.validation.success_condition';
  const text = validation.success_condition;
  const condition = parseCondition(text);
  if (isLeft(condition)) return [{ path, message: `cannot parse ${quote(text)} ${condition.left}` }];
  const names = conditionNames(condition.right);
  const issues: ScenarioIssue[] = names
    .filter((name) => !isKnownConditionName(name))
    .map((name) => {
      const hint = didYouMean(name, KNOWN_CONDITION_NAMES);
      return {
        path,
        message: `expected a known predicate or value, got ${quote(name)}${hint || ` (known: ${KNOWN_CONDITION_NAMES.join(', ')})`}`,
      };
    });
  const judged = names.filter((name) => VALUE_NAMES_NEEDING_JUDGEMENT.includes(name));
  if (judged.length > 0 && !JUDGED_BLOCKS.some((block) => validation[block] !== undefined)) {
    issues.push({
      path,
      message: `${judged.map(quote).join(' and ')} need a judged block in validation (${JUDGED_BLOCKS.join(', ')}), and there is none`,
    });
  }
  return issues;
}

/** Each injected event is one the catalogue knows, with fields its type has. */
export function checkInjectedEvents(injected: readonly InjectedEvent[]): ScenarioIssue[] {
  return injected.flatMap(({ event }, index) => {
    const at = `$.injected_events[${index}].event`;
    if (!isEventType(event.type)) return [{ path: `${at}.type`, message: unknownEventType(event.type) }];
    const type = event.type;
    return Object.keys(event)
      .filter((key) => key !== 'type' && !hasFieldPath(type, key))
      .map((key) => ({ path: `${at}.${key}`, message: unknownField(type, key) }));
  });
}

/** Every issue of the scenario's validation rules, block by block. */
export function checkValidationRules(validation: Validation): ScenarioIssue[] {
  const labelPaths = new Map<string, string>();
  const names: RuleNames = { labels: new Set(), toolAndServiceNames: new Set() };
  const ruleIssues = RULE_BLOCKS.flatMap((block) => checkRuleBlock(block, validation[block] ?? [], labelPaths, names));
  return [
    ...ruleIssues,
    ...checkOrdering(validation.ordering_constraints ?? [], names),
    ...checkConsumption(validation.resource_consumption ?? {}),
    ...checkMeasurementConstraints(validation),
    ...checkSuccessCondition(validation),
  ];
}
