import { isLeft } from 'fp-ts/lib/Either.js';
import { formatNumber } from '../../domain/benchmark/constraint';
import { meanScore } from '../../domain/benchmark/judge-score';
import { JUDGED_BLOCKS, judgedBlocksOf } from '../../domain/benchmark/scenario';
import type { PredicateName, ValueName } from '../../domain/benchmark/validation-vocabulary';
import { checkNoObjectiveRegression } from './performance-validation';
import { describeScores, judgementFor, noJudgement } from './judged';
import type { BlockName, Evidence } from './evidence';
import { DataSources, initialStateField } from '../../domain/benchmark/initial-state';
import type { Trace } from '../../domain/economy/events';
import { describeEvent, eventsOfType, fieldValue } from './match';
import type { Check } from './verdict';

/**
 * The names a `success_condition` may use: predicates (true or false) and values (numbers to
 * compare), each computed from the trace and the checks of the rule blocks.
 */

export interface Finding {
  readonly holds: boolean;
  readonly detail: string;
}

export interface Reading {
  /** `undefined` when there is nothing to compute it from; `detail` says why. */
  readonly value: number | undefined;
  readonly detail: string;
}

interface Predicate {
  readonly doc: string;
  find(evidence: Evidence): Finding;
}

interface Value {
  readonly doc: string;
  read(evidence: Evidence): Reading;
}

function blocksHold(evidence: Evidence, names: readonly BlockName[]): Finding {
  const declared = names.filter((name) => evidence.blocks[name] !== undefined);
  if (declared.length === 0) return { holds: false, detail: `the scenario declares no ${names.join(' or ')}` };
  const checks = declared.flatMap((name) => evidence.blocks[name] ?? []);
  const failing = checks.filter((check) => !check.passed).map((check) => check.name);
  return failing.length === 0
    ? { holds: true, detail: `all ${checks.length} check(s) of ${declared.join(', ')} hold` }
    : { holds: false, detail: `failing: ${failing.join(', ')}` };
}

function fromCheck(check: Check): Finding {
  return { holds: check.passed, detail: check.detail };
}

function namedCheckHolds(evidence: Evidence, block: BlockName, name: string): Finding {
  const check = evidence.blocks[block]?.find((candidate) => candidate.name === name);
  return check === undefined ? { holds: false, detail: `the scenario declares no ${name}` } : fromCheck(check);
}

function both(first: Finding, second: Finding): Finding {
  return { holds: first.holds && second.holds, detail: `${first.detail}; ${second.detail}` };
}

/** Every required_events entry and the whole required_event_sequence are matched. */
function requiredEventsPresent(evidence: Evidence): Finding {
  return blocksHold(evidence, ['required_events', 'required_event_sequence']);
}

/** The judged criterion scores at or above the threshold of the judged block that lists it. */
function criterionReaches(evidence: Evidence, criterion: string): Finding {
  const block = judgedBlocksOf(evidence.scenario.validation).find((candidate) => candidate.criteria.includes(criterion));
  if (block === undefined) return { holds: false, detail: `no judged block lists the criterion ${criterion}` };
  const judgement = judgementFor(block, evidence.trace);
  if (judgement === undefined) return { holds: false, detail: noJudgement(block.criteria) };
  // judgementFor only returns a judgement that scores every criterion of the block.
  const score = judgement.scores.find((scored) => scored.criterion === criterion)!.score;
  return {
    holds: score >= block.threshold,
    detail: `${criterion} = ${formatNumber(score)} (judged at ${describeEvent(evidence.trace, judgement.index)}), required >= ${formatNumber(block.threshold)}`,
  };
}

function allServicesSucceeded({ trace }: Evidence): Finding {
  const invoked = eventsOfType(trace, 'service_invoked');
  if (invoked.length === 0) return { holds: false, detail: 'no service_invoked event' };
  const failed = invoked
    .filter(({ event }) => event.data.result !== 'success')
    .map(({ index, event }) => `${event.data.service_name} at ${describeEvent(trace, index)}: ${event.data.result}`);
  return failed.length === 0
    ? { holds: true, detail: `${invoked.length} service call(s), all succeeded` }
    : { holds: false, detail: `failed: ${failed.join(', ')}` };
}

/** A bid succeeded when a `resources_allocated`, or a `bid_processed` with status winning, carries its bid_id after it was placed. */
function bidSucceeded(trace: Trace, placedAt: number, bidId: string): number | undefined {
  const index = trace.findIndex(
    (event, position) =>
      position > placedAt &&
      ((event.type === 'resources_allocated' && event.data.bid_id === bidId) ||
        (event.type === 'bid_processed' && event.data.bid_id === bidId && event.data.status === 'winning')),
  );
  return index === -1 ? undefined : index;
}

function labelledBidSucceeded({ trace, bindings }: Evidence, label: string): Finding {
  const placedAt = bindings.get(label);
  if (placedAt === undefined) return { holds: false, detail: `no event is bound to the label ${label} (its rule entry found no match)` };
  const bidId = fieldValue(trace[placedAt]!, 'bid_id');
  const placed = `the bid bound to ${label} at ${describeEvent(trace, placedAt)}`;
  if (typeof bidId !== 'string') return { holds: false, detail: `${placed} carries no bid_id` };
  const allocatedAt = bidSucceeded(trace, placedAt, bidId);
  return allocatedAt === undefined
    ? { holds: false, detail: `${placed} (${bidId}) was never allocated (no resources_allocated or winning bid_processed after it)` }
    : { holds: true, detail: `${placed} (${bidId}) was allocated at ${describeEvent(trace, allocatedAt)}` };
}

function allSourcesQueried({ scenario, trace }: Evidence): Finding {
  const sources = initialStateField(scenario, 'data_sources', DataSources);
  if (isLeft(sources)) return { holds: false, detail: sources.left };
  const queried = (source: string) =>
    trace.some((event) => event.type === 'service_invoked' && event.data.service_name === source && event.data.result === 'success');
  const missing = sources.right.filter((source) => !queried(source));
  return missing.length === 0
    ? { holds: true, detail: `every data source was queried successfully (${sources.right.join(', ')})` }
    : { holds: false, detail: `no successful service_invoked of ${missing.join(', ')}` };
}

function changeApplied({ trace }: Evidence): Finding {
  const applied = eventsOfType(trace, 'code_change_applied');
  const last = applied[applied.length - 1];
  return last === undefined
    ? { holds: false, detail: 'no code_change_applied event' }
    : { holds: true, detail: `${applied.length} change(s) applied, the last at ${describeEvent(trace, last.index)}` };
}

function testsPassed({ trace }: Evidence): Finding {
  const lastChange = eventsOfType(trace, 'code_change_applied').pop()?.index;
  const lastRun = eventsOfType(trace, 'tool_call_completed')
    .filter(({ index, event }) => event.data.tool_name === 'test.run' && index > (lastChange ?? -1))
    .pop();
  const after = lastChange === undefined ? '' : ` after the last code_change_applied (${describeEvent(trace, lastChange)})`;
  if (lastRun === undefined) return { holds: false, detail: `no test.run completion${after}` };
  const { test_results: results, failed_tests: failedTests = [] } = lastRun.event.data;
  const failures = failedTests.length > 0 ? ` (failed: ${failedTests.join(', ')})` : '';
  return {
    holds: results === 'all_passed',
    detail: `the last test.run${after} completed at ${describeEvent(trace, lastRun.index)} with test_results ${results ?? '(none)'}${failures}`,
  };
}

export const PREDICATES = {
  all_required_present: {
    doc: 'every required_events entry and the whole required_event_sequence are matched',
    find: requiredEventsPresent,
  },
  no_forbidden_present: {
    doc: 'no forbidden_events entry matches any event',
    find: (evidence) => blocksHold(evidence, ['forbidden_events']),
  },
  correct_sequence: {
    doc: 'the required_event_sequence is matched in order and every ordering constraint holds',
    find: (evidence) => blocksHold(evidence, ['required_event_sequence', 'ordering_constraints']),
  },
  all_services_succeeded: {
    doc: 'at least one service_invoked, and every service_invoked has result success',
    find: allServicesSucceeded,
  },
  second_attempt_succeeded: {
    doc: 'the bid bound to the label second_attempt was allocated (resources_allocated or bid_processed winning after it)',
    find: (evidence) => labelledBidSucceeded(evidence, 'second_attempt'),
  },
  within_budget: {
    doc: 'every resource_consumption metric meets its constraint',
    find: (evidence) => blocksHold(evidence, ['resource_consumption']),
  },
  acceptable_quality: {
    doc: 'every judged block (judge_evaluation, output_quality, code_quality_check) reaches its threshold',
    find: (evidence) => blocksHold(evidence, JUDGED_BLOCKS),
  },
  all_sources_queried: {
    doc: 'every initial_state.data_sources entry has a successful service_invoked of that service_name',
    find: allSourcesQueried,
  },
  valid_output: {
    doc: 'the output_validation block holds for the submitted output',
    find: (evidence) => blocksHold(evidence, ['output_validation']),
  },
  bottleneck_identified: {
    doc: 'the required events are present and the judged criterion identifies_real_bottleneck reaches its block threshold',
    find: (evidence) => both(requiredEventsPresent(evidence), criterionReaches(evidence, 'identifies_real_bottleneck')),
  },
  viable_solution_proposed: {
    doc: 'the required events are present and the judged criterion proposes_viable_solution reaches its block threshold',
    find: (evidence) => both(requiredEventsPresent(evidence), criterionReaches(evidence, 'proposes_viable_solution')),
  },
  change_applied: {
    doc: 'at least one code_change_applied event',
    find: changeApplied,
  },
  tests_passed: {
    doc: 'the last test.run completion after the last code_change_applied reports test_results all_passed',
    find: testsPassed,
  },
  statistically_significant_improvement: {
    doc: 'the statistical_significance block holds (one-sided Welch t-test that execution_time_ms went down)',
    find: (evidence) => blocksHold(evidence, ['statistical_significance']),
  },
  no_regression: {
    doc: 'every performance_comparison metric meets its constraint',
    find: (evidence) => blocksHold(evidence, ['performance_comparison']),
  },
  roi_improved: {
    doc: 'the improvement_validation block holds: the modified mean of its metric meets the target',
    find: (evidence) => blocksHold(evidence, ['improvement_validation']),
  },
  strategy_shows_adaptiveness: {
    doc: 'every judged block reaches its threshold (the judge rates the strategic flaw and the adaptive strategy)',
    find: (evidence) => blocksHold(evidence, JUDGED_BLOCKS),
  },
  improved_overall_score: {
    doc: 'performance_validation: the weighted improvement over the objectives meets its constraint',
    find: (evidence) =>
      namedCheckHolds(evidence, 'performance_validation', 'performance_validation.weighted_score_improvement'),
  },
  balanced_trade_offs: {
    doc: 'no objective of initial_state.objectives is worse than its baseline',
    find: ({ scenario, trace }) => fromCheck(checkNoObjectiveRegression(scenario, trace)),
  },
} satisfies Record<PredicateName, Predicate>;

function judgeScore({ scenario, trace }: Evidence): Reading {
  const blocks = judgedBlocksOf(scenario.validation);
  if (blocks.length === 0) return { value: undefined, detail: 'the scenario declares no judged block' };
  const judgements = blocks.map((block) => ({ block, judgement: judgementFor(block, trace) }));
  const unjudged = judgements.filter(({ judgement }) => judgement === undefined).flatMap(({ block }) => block.criteria);
  if (unjudged.length > 0) return { value: undefined, detail: noJudgement(unjudged) };
  const scored = judgements.flatMap(({ judgement }) => (judgement === undefined ? [] : [judgement]));
  return {
    value: meanScore(scored.flatMap((judgement) => judgement.scores)),
    detail: `mean of ${scored.map(describeScores).join(', ')}`,
  };
}

export const VALUES = {
  judge_score: {
    doc: 'the mean score over the criteria of every judged block (no value without a judgement)',
    read: judgeScore,
  },
  threshold: {
    doc: 'the threshold of the judged blocks (the highest, if several)',
    read: ({ scenario }) => {
      const blocks = judgedBlocksOf(scenario.validation);
      return blocks.length === 0
        ? { value: undefined, detail: 'the scenario declares no judged block' }
        : { value: Math.max(...blocks.map((block) => block.threshold)), detail: `of ${blocks.map((block) => block.block).join(', ')}` };
    },
  },
} satisfies Record<ValueName, Value>;
