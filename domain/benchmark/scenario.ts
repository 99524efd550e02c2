import * as t from 'io-ts';
import { strictObject, validateAll } from '../codec/decode';
import { isOneOf } from '../codec/one-of';

/**
 * The benchmark scenario format (docs/DESIGN.md section 5), upstream-compatible: the 25 upstream files
 * decode unmodified. Unknown keys at the top level, in `validation` and in its blocks are errors.
 */

export const Domain = t.keyof(
  { functional_competence: null, economic_reasoning: null, self_improvement: null },
  'functional_competence | economic_reasoning | self_improvement',
);
export type Domain = t.TypeOf<typeof Domain>;
export const DOMAINS = Object.keys(Domain.keys) as Domain[];

/** The id of the agent a scenario scores, in the world built from it and in its traces. */
export const AGENT_UNDER_TEST = 'agent_under_test';

const Primitive = t.union([t.string, t.number, t.boolean, t.null], 'string | number | boolean | null');

/** The keys of a rule entry that say how to match rather than which field to compare. */
export const RULE_ENTRY_KEYWORDS = ['type', 'label', 'contains', 'constraints'] as const;

const RuleEntryRequired = t.type({ type: t.string });
const RuleEntryOptional = t.partial({ label: t.string, contains: t.string, constraints: t.record(t.string, t.string) });
const RuleEntryKeywords = t.intersection([RuleEntryRequired, RuleEntryOptional]);

/**
 * One rule entry, e.g. `{"type": "bid_placed", "label": "first", "data.service_name": "x",
 * "constraints": {"total_cost": "<=500"}}`: every key other than the keywords is a field to match,
 * bare (looked up in `data`, then the envelope) or as a `data.` path, with a primitive value.
 */
export const RuleEntry = new t.Type<
  t.TypeOf<typeof RuleEntryKeywords> & { readonly [field: string]: unknown },
  unknown,
  unknown
>(
  'RuleEntry',
  (u): u is t.TypeOf<typeof RuleEntryKeywords> => RuleEntryKeywords.is(u),
  (u, context) => {
    if (!t.UnknownRecord.is(u)) return t.failure(u, context, 'a rule entry object');
    const keywords = validateAll([RuleEntryRequired, RuleEntryOptional], u, context);
    if (keywords._tag === 'Left') return keywords;
    const record = u;
    const errors = Object.keys(record)
      .filter((key) => !isOneOf(RULE_ENTRY_KEYWORDS, key) && !Primitive.is(record[key]))
      .map((key) => ({
        value: record[key],
        context: [...context, { key, type: Primitive, actual: record[key] }],
        message: 'a string, number, boolean or null to match the field against',
      }));
    return errors.length > 0 ? t.failures(errors) : t.success(record as t.TypeOf<typeof RuleEntryKeywords>);
  },
  t.identity,
);
export type RuleEntry = t.TypeOf<typeof RuleEntry>;

/** The fields a rule entry matches on: every key that is not a keyword. */
export function matchFields(entry: RuleEntry): [string, unknown][] {
  return Object.entries(entry).filter(([key]) => !isOneOf(RULE_ENTRY_KEYWORDS, key));
}

const Criteria = t.refinement(t.array(t.string), (criteria) => criteria.length > 0, 'at least one criterion name');
const Threshold = t.refinement(t.number, (n) => n >= 1 && n <= 5, 'a threshold on the 1-5 scale');
const LlmJudge = t.literal('llm_judge');

/** `judge_evaluation`: several criteria; upstream writes the threshold as `pass_threshold` or `threshold`. */
export const JudgeEvaluationBlock = strictObject(
  'JudgeEvaluationBlock',
  { criteria: Criteria },
  { type: LlmJudge, threshold: Threshold, pass_threshold: Threshold },
);
/** `output_quality`: one criterion. */
export const OutputQualityBlock = strictObject(
  'OutputQualityBlock',
  { criterion: t.string, threshold: Threshold },
  { type: LlmJudge },
);
/** `code_quality_check`: several criteria, like `judge_evaluation`. */
export const CodeQualityBlock = strictObject(
  'CodeQualityBlock',
  { criteria: Criteria, threshold: Threshold },
  { type: LlmJudge },
);

export const DEFAULT_JUDGE_THRESHOLD = 3.0;
export type JudgedBlockName = 'judge_evaluation' | 'output_quality' | 'code_quality_check';
export const JUDGED_BLOCKS: readonly JudgedBlockName[] = ['judge_evaluation', 'output_quality', 'code_quality_check'];

export const OutputValidationBlock = strictObject(
  'OutputValidationBlock',
  {},
  {
    schema_conformance: t.boolean,
    data_integration: t.literal('all_sources_represented'),
  },
);

export const StatisticalSignificanceBlock = strictObject(
  'StatisticalSignificanceBlock',
  {
    num_trials: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 2, 'an integer of at least 2'),
    confidence_level: t.refinement(t.number, (n) => n > 0 && n < 1, 'a probability between 0 and 1'),
  },
  {},
);

export const ImprovementValidationBlock = strictObject(
  'ImprovementValidationBlock',
  { metric: t.string, baseline: t.number, target: t.string },
  {},
);

export const PerformanceValidationBlock = strictObject(
  'PerformanceValidationBlock',
  {},
  { weighted_score_improvement: t.string, no_objective_regression: t.boolean },
);

export const Validation = strictObject(
  'Validation',
  { success_condition: t.string },
  {
    required_events: t.array(RuleEntry),
    required_event_sequence: t.array(RuleEntry),
    forbidden_events: t.array(RuleEntry),
    ordering_constraints: t.array(t.string),
    /** metric → constraint, e.g. `tokens_used: "<=200"` */
    resource_consumption: t.record(t.string, t.string),
    judge_evaluation: JudgeEvaluationBlock,
    output_quality: OutputQualityBlock,
    code_quality_check: CodeQualityBlock,
    output_validation: OutputValidationBlock,
    /** metric → constraint with a percentage or `baseline`, e.g. `">= 10%"`, `">= baseline"` */
    performance_comparison: t.record(t.string, t.string),
    statistical_significance: StatisticalSignificanceBlock,
    improvement_validation: ImprovementValidationBlock,
    performance_validation: PerformanceValidationBlock,
  },
);
export type Validation = t.TypeOf<typeof Validation>;

/**
 * One judged block in the shape the judges and the validator share: criterion ids verbatim and the
 * threshold that passes. `output_quality` names a single `criterion`; upstream writes the
 * `judge_evaluation` threshold as `threshold` or `pass_threshold`, or leaves it out for the default.
 */
export interface JudgedBlock {
  readonly block: JudgedBlockName;
  readonly criteria: readonly string[];
  readonly threshold: number;
}

/** The block named `block`, if the validation declares it. */
export function judgedBlockOf(validation: Validation, block: JudgedBlockName): JudgedBlock | undefined {
  switch (block) {
    case 'judge_evaluation': {
      const spec = validation.judge_evaluation;
      if (spec === undefined) return undefined;
      return { block, criteria: spec.criteria, threshold: spec.threshold ?? spec.pass_threshold ?? DEFAULT_JUDGE_THRESHOLD };
    }
    case 'output_quality': {
      const spec = validation.output_quality;
      return spec === undefined ? undefined : { block, criteria: [spec.criterion], threshold: spec.threshold };
    }
    case 'code_quality_check': {
      const spec = validation.code_quality_check;
      return spec === undefined ? undefined : { block, criteria: spec.criteria, threshold: spec.threshold };
    }
  }
}

/** Every judged block the validation declares, in the order of `JUDGED_BLOCKS`. */
export function judgedBlocksOf(validation: Validation): JudgedBlock[] {
  return JUDGED_BLOCKS.flatMap((block) => judgedBlockOf(validation, block) ?? []);
}

/** What fires an injected event. */
export const Trigger = t.keyof({ at_start: null, after_first_bid: null, after_first_execution: null }, 'Trigger');
export type Trigger = t.TypeOf<typeof Trigger>;

export const InjectedEvent = strictObject(
  'InjectedEvent',
  { trigger: Trigger, event: t.intersection([t.type({ type: t.string }), t.UnknownRecord]) },
  {},
);
export type InjectedEvent = t.TypeOf<typeof InjectedEvent>;

/** The world the agent starts in. Only the balance is common to all; the rest is per scenario and kept. */
export const InitialState = t.intersection(
  [t.type({ agent_balance: t.number }), t.UnknownRecord],
  'InitialState',
);

export const Scenario = strictObject(
  'Scenario',
  { domain: Domain, description: t.string, initial_state: InitialState, validation: Validation },
  {
    task_id: t.string,
    scenario_id: t.string,
    name: t.string,
    state_description: t.string,
    expected_behavior: t.string,
    injected_events: t.array(InjectedEvent),
  },
);
export type Scenario = t.TypeOf<typeof Scenario>;

/** Upstream names the id `task_id` in some files and `scenario_id` in others. */
export function scenarioId(scenario: Scenario): string {
  return scenario.scenario_id ?? scenario.task_id ?? '';
}
