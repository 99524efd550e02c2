import type { DomainEvent, Trace } from '../../domain/economy/events';
import { judgedBlockOf, scenarioId, type JudgedBlockName, type Scenario, type Validation } from '../../domain/benchmark/scenario';
import { checkSuccessCondition } from './success-condition';
import { checkForbiddenEvents } from './forbidden-events';
import { checkRequiredSequence } from './required-event-sequence';
import { checkRequiredEvents } from './required-events';
import { checkJudgedBlock } from './judged';
import { checkPerformanceValidation } from './performance-validation';
import { checkOrderingConstraints } from './ordering';
import { checkOutputValidation } from './output-validation';
import { checkImprovementValidation } from './improvement-validation';
import { checkPerformanceComparison } from './performance-comparison';
import { checkStatisticalSignificance } from './statistical-significance';
import { checkResourceConsumption } from './resource-consumption';
import type { BlockName, Evidence } from './evidence';
import { judgeScoreOf, type Check, type ScenarioVerdict } from './verdict';

interface BlockContext {
  readonly scenario: Scenario;
  readonly trace: Trace;
  /** Labels bound so far; the rule-entry blocks add to it. */
  readonly bindings: Map<string, number>;
}

type BlockChecker<K extends BlockName> = (block: NonNullable<Validation[K]>, context: BlockContext) => Check[];

function judged(name: JudgedBlockName): BlockChecker<JudgedBlockName> {
  return (_, { scenario, trace }) => {
    const block = judgedBlockOf(scenario.validation, name);
    return block === undefined ? [] : [checkJudgedBlock(block, trace)];
  };
}

/** One checker per rule block the scenario format knows: a new block in the codec must get one here. */
const BLOCK_CHECKERS: { readonly [K in BlockName]: BlockChecker<K> } = {
  required_events: (entries, { trace, bindings }) => checkRequiredEvents(entries, trace, bindings),
  required_event_sequence: (entries, { trace, bindings }) => checkRequiredSequence(entries, trace, bindings),
  forbidden_events: (entries, { trace, bindings }) => checkForbiddenEvents(entries, trace, bindings),
  ordering_constraints: (constraints, { trace, bindings }) => checkOrderingConstraints(constraints, trace, bindings),
  resource_consumption: (block, { trace }) => checkResourceConsumption(block, trace),
  judge_evaluation: judged('judge_evaluation'),
  output_quality: judged('output_quality'),
  code_quality_check: judged('code_quality_check'),
  output_validation: (block, { scenario, trace }) => checkOutputValidation(block, scenario, trace),
  performance_comparison: (block, { trace }) => checkPerformanceComparison(block, trace),
  statistical_significance: (block, { trace }) => [checkStatisticalSignificance(block, trace)],
  improvement_validation: (block, { trace }) => [checkImprovementValidation(block, trace)],
  performance_validation: (block, { scenario, trace }) => checkPerformanceValidation(block, scenario, trace),
};

/** The blocks whose entries bind labels: they run first, so that every other block sees their labels. */
const BINDING_BLOCKS: readonly BlockName[] = ['required_events', 'required_event_sequence', 'forbidden_events'];

function isBlockName(key: string): key is BlockName {
  return Object.prototype.hasOwnProperty.call(BLOCK_CHECKERS, key);
}

function runBlock<K extends BlockName>(name: K, validation: Validation, context: BlockContext): Check[] {
  const block = validation[name];
  return block === undefined ? [] : BLOCK_CHECKERS[name](block, context);
}

/**
 * The verdict of a trace against a scenario: one or more checks per rule block it declares, in the
 * order of the file, and one for its `success_condition`. It passes only when every check passes.
 * Labels bind in the order of the file among the rule-entry blocks, entry by entry.
 */
export function validateTrace(scenario: Scenario, trace: readonly DomainEvent[]): ScenarioVerdict {
  const { validation } = scenario;
  const declared = Object.keys(validation).filter(isBlockName);
  const bindingFirst = [
    ...declared.filter((name) => BINDING_BLOCKS.includes(name)),
    ...declared.filter((name) => !BINDING_BLOCKS.includes(name)),
  ];
  const context: BlockContext = { scenario, trace, bindings: new Map() };
  const blocks: Partial<Record<BlockName, readonly Check[]>> = {};
  for (const name of bindingFirst) blocks[name] = runBlock(name, validation, context);
  const evidence: Evidence = { scenario, trace, bindings: context.bindings, blocks };
  const checks = [
    ...declared.flatMap((name) => blocks[name] ?? []),
    checkSuccessCondition(validation.success_condition, evidence),
  ];
  const judge_score = judgeScoreOf(trace);
  return { id: scenarioId(scenario), domain: scenario.domain, passed: checks.every((check) => check.passed), checks, ...(judge_score === undefined ? {} : { judge_score }) };
}
