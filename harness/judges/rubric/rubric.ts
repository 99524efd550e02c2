import * as t from 'io-ts';
import { isLeft, left, mapLeft, type Either } from 'fp-ts/lib/Either.js';
import { strictObject } from '../../../domain/codec/decode';
import { hasFieldPath, isEventType } from '../../../domain/economy/events';
import { matchFields, RuleEntry } from '../../../domain/benchmark/scenario';
import { isFile, rubricFileOf, type ScenarioRef } from '../../scenarios';
import { readJsonFile } from '../../files';

/**
 * The structured expectations the rubric judge scores a judged scenario by, kept beside the scenario
 * as `<id>.rubric.json` (docs/DESIGN.md section 7): the decisions it expects or rejects with the actions
 * each expected decision implies, and for every criterion either the facts the agent's words must
 * state or that it scores the coherence of the decision with the actions.
 */

const Text = t.refinement(t.string, (text) => text.trim() !== '', 'a non-empty string');

/**
 * `codec` narrowed by `predicate`, like `t.refinement`, for objects and arrays: decode issues keep
 * the keys below it (they drop the keys below a `t.refinement`).
 */
function satisfying<C extends t.Mixed>(codec: C, predicate: (value: t.TypeOf<C>) => boolean, expected: string) {
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    expected,
    (u): u is t.TypeOf<C> => codec.is(u) && predicate(u),
    (u, context) => {
      const decoded = codec.validate(u, context);
      return isLeft(decoded) || predicate(decoded.right) ? decoded : t.failure(u, context, expected);
    },
    codec.encode,
  );
}

const NonEmpty = <C extends t.Mixed>(codec: C, what: string) =>
  satisfying(t.array(codec), (items) => items.length > 0, `at least one ${what}`);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}

const Pattern = t.refinement(t.string, (pattern) => pattern !== '' && compiles(pattern), 'a JavaScript regular expression');

/**
 * A way of stating a fact: one phrase, or several phrases that must all occur in the same sentence
 * (`["80", "120"]`). Phrases are literal, case and runs of white space ignored; a phrase that starts
 * or ends with a digit does not match inside a longer number (`80` is not found in `180` or `0.80`).
 */
const Wording = t.union([Text, NonEmpty(Text, 'phrase')], 'a phrase or a list of phrases for one sentence');

/**
 * One fact the agent's words must state, in any of the listed `any_of` wordings or `patterns`
 * (JavaScript regular expressions, case ignored, tried on one sentence at a time).
 */
export const Fact = satisfying(
  strictObject('Fact', { fact: Text }, { any_of: t.array(Wording), patterns: t.array(Pattern) }),
  (fact) => (fact.any_of?.length ?? 0) + (fact.patterns?.length ?? 0) > 0,
  'a fact with at least one wording or pattern',
);
export type Fact = t.TypeOf<typeof Fact>;

/** Where the agent's words are read: its reasoning and reflections, its code proposals, its submitted outputs. */
export const TextSource = t.keyof({ reasoning: null, code_changes: null, outputs: null }, 'reasoning | code_changes | outputs');
export type TextSource = t.TypeOf<typeof TextSource>;
export const DEFAULT_SOURCES: readonly TextSource[] = ['reasoning'];

const FactsCriterion = strictObject(
  'FactsCriterion',
  { scores: t.literal('facts'), facts: NonEmpty(Fact, 'fact') },
  { read: NonEmpty(TextSource, 'source') },
);
const CoherenceCriterion = strictObject('CoherenceCriterion', { scores: t.literal('coherence') }, {});

/** A criterion is scored from the facts it lists, or from the coherence of the decision with the actions. */
export const Criterion = new t.Type<t.TypeOf<typeof FactsCriterion> | t.TypeOf<typeof CoherenceCriterion>>(
  'Criterion',
  (u): u is t.TypeOf<typeof FactsCriterion> | t.TypeOf<typeof CoherenceCriterion> => FactsCriterion.is(u) || CoherenceCriterion.is(u),
  (u, context) => {
    const scores = t.UnknownRecord.is(u) ? u.scores : undefined;
    if (scores === 'facts') return FactsCriterion.validate(u, context);
    if (scores === 'coherence') return CoherenceCriterion.validate(u, context);
    return t.failure(scores, [...context, { key: 'scores', type: t.string, actual: scores }], '"facts" or "coherence"');
  },
  t.identity,
);
export type Criterion = t.TypeOf<typeof Criterion>;

const Range = satisfying(
  t.tuple([t.number, t.number]),
  ([min, max]) => min <= max,
  'a [min, max] pair of numbers with min <= max',
);

const ActionShape = strictObject(
  'Action',
  /** `action` says in words what the event shows, e.g. "bids 40 to 60 credits". */
  { action: Text, event: RuleEntry },
  /** field path → [min, max], both inclusive, e.g. `{"total_cost": [40, 60]}`. */
  { within: t.record(t.string, Range) },
);

/**
 * An action the trace shows: a rule entry in the scenario language (docs/DESIGN.md section 6) whose type
 * is an event type and whose fields that type declares, plus optional numeric ranges.
 */
export const Action = new t.Type<t.TypeOf<typeof ActionShape>>(
  'Action',
  ActionShape.is,
  (u, context) => {
    const decoded = ActionShape.validate(u, context);
    if (isLeft(decoded)) return decoded;
    const { event, within = {} } = decoded.right;
    const eventContext = [...context, { key: 'event', type: RuleEntry, actual: event }];
    if (!isEventType(event.type)) {
      return t.failure(event.type, [...eventContext, { key: 'type', type: t.string, actual: event.type }], 'an event type of the catalogue');
    }
    const type = event.type;
    const constraintsContext = [...eventContext, { key: 'constraints', type: t.UnknownRecord, actual: event.constraints }];
    const withinContext = [...context, { key: 'within', type: t.UnknownRecord, actual: within }];
    const fields: [t.Context, string, unknown][] = [
      ...matchFields(event).map(([path, value]): [t.Context, string, unknown] => [eventContext, path, value]),
      ...Object.entries(event.constraints ?? {}).map(([path, value]): [t.Context, string, unknown] => [constraintsContext, path, value]),
      ...Object.entries(within).map(([path, value]): [t.Context, string, unknown] => [withinContext, path, value]),
    ];
    const errors = fields
      .filter(([, path]) => !hasFieldPath(type, path))
      .map(([parent, key, value]) => ({
        value,
        context: [...parent, { key, type: t.string, actual: value }],
        message: `a field that ${type} events have`,
      }));
    return errors.length > 0 ? t.failures(errors) : decoded;
  },
  t.identity,
);
export type Action = t.TypeOf<typeof Action>;

const DecisionVerdict = t.keyof({ expected: null, unacceptable: null }, 'expected | unacceptable');

/**
 * A decision the agent may state in a `reasoning_trace`, by its id and other spellings of it. An
 * expected decision lists what its actions must show after it is stated (`requires`) and must never
 * show (`forbids`).
 */
export const Decision = satisfying(
  strictObject(
    'Decision',
    { decision: Text, verdict: DecisionVerdict, because: Text },
    { aliases: t.array(Text), requires: t.array(Action), forbids: t.array(Action) },
  ),
  (decision) => decision.verdict === 'expected' || (decision.requires === undefined && decision.forbids === undefined),
  'an unacceptable decision without requires or forbids (only an expected decision is checked against the actions)',
);
export type Decision = t.TypeOf<typeof Decision>;

const RubricShape = strictObject(
  'Rubric',
  { scenario_id: Text, criteria: t.record(t.string, Criterion) },
  { decisions: t.array(Decision) },
);

/** A criterion that scores coherence needs a decision to be coherent with. */
export const Rubric = satisfying(
  RubricShape,
  (rubric) =>
    !Object.values(rubric.criteria).some((criterion) => criterion.scores === 'coherence') ||
    (rubric.decisions ?? []).some((decision) => decision.verdict === 'expected'),
  'a rubric with at least one expected decision when a criterion scores coherence',
);
export type Rubric = t.TypeOf<typeof Rubric>;

/**
 * The rubric of a scenario, found by its id in the project's `scenarios/<domain>/` (or under `root`);
 * a missing or invalid rubric is one message naming the file and every problem with its JSON path.
 */
export function loadRubricFor(scenario: ScenarioRef, root?: string): Either<string, Rubric> {
  const file = rubricFileOf(scenario, root);
  if (!isFile(file)) return left(`no rubric for ${scenario.id} (expected ${file})`);
  return readRubricFile(file);
}

/** A rubric file named directly (the arena's, which has no scenario folder): one message naming the file and every problem. */
export function readRubricFile(file: string): Either<string, Rubric> {
  return mapLeft((problems: string[]) => problems.join('; '))(readJsonFile(file, Rubric));
}
