import * as t from 'io-ts';
import { ResourceBundle, Resource } from './resources';
import { HumanScores } from './rewards';

/**
 * The event catalogue (docs/DESIGN.md section 4). Each event type is an io-ts codec for its `data`;
 * the envelope is shared. Static types are derived from the codecs, never written twice.
 */

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export const IsoTimestamp = t.refinement(t.string, (s) => ISO_8601.test(s), 'an ISO-8601 timestamp');

export const EventSource = t.keyof({ system: null, agent: null, judge: null }, 'EventSource');
export type EventSource = t.TypeOf<typeof EventSource>;

/** How a call or an invocation ended: a tool call, a service invocation, a provider's past transaction. */
export const Outcome = t.keyof({ success: null, failure: null }, 'success | failure');
export type Outcome = t.TypeOf<typeof Outcome>;

const TestResults = t.keyof({ all_passed: null, some_failed: null }, 'all_passed | some_failed');

/** Required fields first, optional ones second; any further field is allowed and kept. */
function fields<R extends t.Props, O extends t.Props>(required: R, optional: O, name: string) {
  return t.intersection([t.type(required), t.partial(optional)], name);
}
const none = {};

/** How agent code was isolated when it ran (harness/self-improvement/sandbox.ts). */
export const SandboxIsolation = t.keyof({ 'network-namespace': null, 'permission-model': null }, 'network-namespace | permission-model');
export type SandboxIsolation = t.TypeOf<typeof SandboxIsolation>;

export const JudgeCriterionScore = t.type(
  { criterion: t.string, score: t.number, justification: t.string },
  'JudgeCriterionScore',
);

const EVENT_DATA = {
  balance_queried: fields({ agent_id: t.string, balance: t.number }, none, 'BalanceQueried'),
  bid_placed: fields(
    { agent_id: t.string, bid_id: t.string, bundle: ResourceBundle, total_cost: t.number },
    { resource_bundle_id: t.string },
    'BidPlaced',
  ),
  bid_rejected: fields(
    { agent_id: t.string, reason: t.string },
    { bid_id: t.string, required: t.number, available: t.number, injected: t.boolean },
    'BidRejected',
  ),
  bid_processed: fields(
    {
      bid_id: t.string,
      agent_id: t.string,
      amount: t.number,
      status: t.keyof({ winning: null, outbid: null }, 'winning | outbid'),
    },
    none,
    'BidProcessed',
  ),
  resources_allocated: fields(
    { agent_id: t.string, bid_id: t.string, execution_id: t.string, bundle: ResourceBundle, cost: t.number },
    none,
    'ResourcesAllocated',
  ),
  credits_transferred: fields(
    { from_agent: t.string, to_agent: t.string, amount: t.number, purpose: t.string },
    none,
    'CreditsTransferred',
  ),
  credits_burned: fields({ agent_id: t.string, amount: t.number, reason: t.string }, none, 'CreditsBurned'),
  human_reward_issued: fields(
    {
      agent_id: t.string,
      scores: HumanScores,
      credits_awarded: t.number,
    },
    { prompt_id: t.string },
    'HumanRewardIssued',
  ),
  price_update: fields(
    { resource: Resource, old_price: t.number, new_price: t.number, reason: t.string },
    none,
    'PriceUpdate',
  ),
  service_registered: fields(
    { agent_id: t.string, service_name: t.string, advertised_cost: t.number },
    none,
    'ServiceRegistered',
  ),
  service_invoked: fields(
    { caller_agent: t.string, provider_agent: t.string, service_name: t.string, cost: t.number, result: Outcome },
    none,
    'ServiceInvoked',
  ),
  agent_created: fields({ agent_id: t.string, initial_balance: t.number }, none, 'AgentCreated'),
  prompt_submitted: fields(
    { agent_id: t.string, prompt_id: t.string, bid_amount: t.number },
    none,
    'PromptSubmitted',
  ),
  agent_spawned: fields(
    { parent_id: t.string, child_id: t.string, spawn_cost: t.number, model_tier: t.string, initial_balance: t.number },
    none,
    'AgentSpawned',
  ),
  agent_dormant: fields({ agent_id: t.string, final_balance: t.number, reason: t.string }, none, 'AgentDormant'),
  agent_awake: fields(
    { agent_id: t.string, awakened_by: t.string, current_balance: t.number },
    none,
    'AgentAwake',
  ),
  agent_died: fields({ agent_id: t.string, final_balance: t.number }, none, 'AgentDied'),
  execution_started: fields(
    { execution_id: t.string, agent_id: t.string, resource_bundle_id: t.string },
    none,
    'ExecutionStarted',
  ),
  execution_terminated: fields(
    { execution_id: t.string, agent_id: t.string, exit_code: t.number, reason: t.string },
    none,
    'ExecutionTerminated',
  ),
  reasoning_trace: fields(
    { content: t.string, decision: t.union([t.string, t.null]) },
    {
      factors_considered: t.array(t.string),
      alternatives_considered: t.array(t.string),
      context: t.UnknownRecord,
    },
    'ReasoningTrace',
  ),
  tool_call_initiated: fields({ tool_name: t.string, arguments: t.UnknownRecord }, none, 'ToolCallInitiated'),
  tool_call_completed: fields(
    { tool_name: t.string, result: Outcome },
    {
      response: t.unknown,
      tokens_used: t.number,
      test_results: TestResults,
      failed_tests: t.array(t.string),
      reason: t.string,
    },
    'ToolCallCompleted',
  ),
  reflection: fields({ trigger: t.string, outcome_assessment: t.string }, none, 'Reflection'),
  code_change_proposed: fields(
    { target_module: t.string, change_description: t.string },
    { expected_improvement: t.string, diff: t.string, change_id: t.string },
    'CodeChangeProposed',
  ),
  code_change_applied: fields(
    { change_id: t.string, target_module: t.string },
    { tests_run: t.array(t.string), test_results: TestResults },
    'CodeChangeApplied',
  ),
  performance_measured: fields(
    {
      target_module: t.string,
      variant: t.keyof({ baseline: null, modified: null }, 'baseline | modified'),
      metric: t.string,
      samples: t.array(t.number),
    },
    { isolation: SandboxIsolation },
    'PerformanceMeasured',
  ),
  judge_evaluation: fields(
    {
      criteria: t.array(JudgeCriterionScore),
      overall_score: t.number,
      pass: t.boolean,
      feedback: t.string,
    },
    none,
    'JudgeEvaluation',
  ),
};

type EventDataCodecs = typeof EVENT_DATA;
export type EventType = keyof EventDataCodecs;
export type EventData<K extends EventType> = t.TypeOf<EventDataCodecs[K]>;

/** Who emits each event type: the envelope's `source` must agree. */
export const EVENT_SOURCES: { readonly [K in EventType]: EventSource } = {
  balance_queried: 'system',
  bid_placed: 'system',
  bid_rejected: 'system',
  bid_processed: 'system',
  resources_allocated: 'system',
  credits_transferred: 'system',
  credits_burned: 'system',
  human_reward_issued: 'system',
  price_update: 'system',
  service_registered: 'system',
  service_invoked: 'system',
  agent_created: 'system',
  prompt_submitted: 'system',
  agent_spawned: 'system',
  agent_dormant: 'system',
  agent_awake: 'system',
  agent_died: 'system',
  execution_started: 'system',
  execution_terminated: 'system',
  reasoning_trace: 'agent',
  tool_call_initiated: 'agent',
  tool_call_completed: 'agent',
  reflection: 'agent',
  code_change_proposed: 'agent',
  code_change_applied: 'agent',
  performance_measured: 'system',
  judge_evaluation: 'judge',
};

export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** The codec of an event type's `data`. */
export function dataCodecOf(type: EventType): t.Mixed {
  return EVENT_DATA[type];
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_DATA, type);
}

const ENVELOPE_PROPS = {
  event_id: t.string,
  timestamp: IsoTimestamp,
  source: EventSource,
  type: t.string,
  scenario_id: t.string,
  agent_id: t.string,
  data: t.UnknownRecord,
};
/** The envelope with `type` and `data` left open: the first step of decoding any event. */
export const AnyEnvelope = t.type(ENVELOPE_PROPS, 'EventEnvelope');

export const ENVELOPE_FIELDS = Object.keys(ENVELOPE_PROPS);

function envelopeOf<K extends EventType>(type: K) {
  return t.type(
    { ...ENVELOPE_PROPS, source: t.literal(EVENT_SOURCES[type]), type: t.literal(type), data: EVENT_DATA[type] },
    type,
  );
}

export type EventOfType<K extends EventType> = {
  event_id: string;
  timestamp: string;
  source: EventSource;
  type: K;
  scenario_id: string;
  agent_id: string;
  data: EventData<K>;
};
export type DomainEvent = { [K in EventType]: EventOfType<K> }[EventType];

/** A recorded run: its events in the order they happened. */
export type Trace = readonly DomainEvent[];

// Object.fromEntries loses the per-key types that envelopeOf gives each entry; restore them.
const ENVELOPE_CODECS = Object.fromEntries(EVENT_TYPES.map((type) => [type, envelopeOf(type)])) as unknown as {
  [K in EventType]: t.Type<EventOfType<K>, unknown, unknown>;
};

/** Decodes any event by its `type`, reporting an unknown type as such rather than as 27 failed branches. */
export const DomainEvent = new t.Type<DomainEvent, DomainEvent, unknown>(
  'DomainEvent',
  (u): u is DomainEvent => AnyEnvelope.is(u) && isEventType(u.type) && ENVELOPE_CODECS[u.type].is(u),
  (u, context) => {
    const envelope = AnyEnvelope.validate(u, context);
    if (envelope._tag === 'Left') return envelope;
    const { type } = envelope.right;
    if (!isEventType(type)) {
      return t.failure(type, [...context, { key: 'type', type: t.string, actual: type }], 'a known event type');
    }
    return ENVELOPE_CODECS[type].validate(u, context) as t.Validation<DomainEvent>;
  },
  t.identity,
);

/** PascalCase class name (`BidPlaced`, as the seed plan names them) for a snake_case type. */
export function className(type: EventType): string {
  return type.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** The registry of class names: `BidPlaced` → `bid_placed`, for every event type. */
export const EVENT_CLASS_NAMES: ReadonlyMap<string, EventType> = new Map(
  EVENT_TYPES.map((type) => [className(type), type]),
);

/** The properties an object codec declares (a type, a partial, their intersection, refined or exact); undefined for any other codec. */
export function propsOf(codec: t.Mixed): t.Props | undefined {
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return codec.props as t.Props;
  if (codec instanceof t.IntersectionType) {
    return Object.assign({}, ...(codec.types as t.Mixed[]).map((member) => propsOf(member) ?? {}));
  }
  if (codec instanceof t.RefinementType || codec instanceof t.ExactType || codec instanceof t.ReadonlyType) {
    return propsOf(codec.type as t.Mixed);
  }
  return undefined;
}

function hasPath(codec: t.Mixed, segments: readonly string[]): boolean {
  if (segments.length === 0) return true;
  const child = propsOf(codec)?.[segments[0]!];
  return child !== undefined && hasPath(child, segments.slice(1));
}

/**
 * Does an event of `type` declare the field at `path`? `data.x.y` is looked up in the data codec;
 * a bare key is looked up in `data` first, then in the envelope (docs/DESIGN.md section 6).
 */
export function hasFieldPath(type: EventType, path: string): boolean {
  const segments = path.split('.');
  if (segments[0] === 'data') return hasPath(EVENT_DATA[type], segments.slice(1));
  return hasPath(EVENT_DATA[type], segments) || (segments.length === 1 && ENVELOPE_FIELDS.includes(path));
}

/** The declared data fields of an event type, for messages that list what was possible. */
export function dataFieldsOf(type: EventType): string[] {
  return Object.keys(propsOf(EVENT_DATA[type]) ?? {});
}
