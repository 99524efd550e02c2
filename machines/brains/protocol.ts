import * as t from 'io-ts';
import { fromTransition, type ActorLogic, type ActorRef, type Snapshot } from 'xstate';
import { strictObject } from '../../domain/codec/decode';
import { DomainEvent } from '../../domain/economy/events';
import { ResourceBundle } from '../../domain/economy/resources';
import type { RandomStream } from '../../domain/economy/random';

/**
 * What passes between an agent and the brain that decides for it. The agent offers a turn, the brain
 * answers with one action or a batch of actions; the agent performs them and answers back (a tool's
 * result, that a note was recorded, or the results of a batch), and the brain acts again, until it
 * ends the turn. Events of the world that concern the agent arrive as notices, which need no answer.
 * A script, a policy or an external process can all be a brain: the codecs below are the whole
 * contract.
 */

export const Phase = t.keyof({ bidding: null, executing: null }, 'bidding | executing');
export type Phase = t.TypeOf<typeof Phase>;

/**
 * `refusal`: the brain's side could not make a call of what it was given (arguments that are not
 * JSON); the agent records the call as failed with this reason without asking the world.
 */
export const ToolCall = strictObject(
  'ToolCall',
  { kind: t.literal('tool'), tool_name: t.string },
  { arguments: t.UnknownRecord, refusal: t.string },
);
export const Reasoning = strictObject(
  'Reasoning',
  { kind: t.literal('reasoning'), content: t.string, decision: t.union([t.string, t.null]) },
  { factors_considered: t.array(t.string), alternatives_considered: t.array(t.string), context: t.UnknownRecord },
);
export const Reflection = strictObject(
  'Reflection',
  { kind: t.literal('reflection'), trigger: t.string, outcome_assessment: t.string },
  {},
);
export const EndTurn = strictObject('EndTurn', { kind: t.literal('end_turn') }, {});

export type ToolCall = t.TypeOf<typeof ToolCall>;
export type Reasoning = t.TypeOf<typeof Reasoning>;
export type Reflection = t.TypeOf<typeof Reflection>;
export type EndTurn = t.TypeOf<typeof EndTurn>;
export type BrainAction = ToolCall | Reasoning | Reflection | EndTurn;

const ACTION_CODECS = { tool: ToolCall, reasoning: Reasoning, reflection: Reflection, end_turn: EndTurn } as const;
const ActionKind = t.keyof(ACTION_CODECS, 'tool | reasoning | reflection | end_turn');

/** Decodes an action by its `kind`, so that a wrong kind reads as one error rather than four failed branches. */
export const BrainAction = new t.Type<BrainAction, BrainAction, unknown>(
  'BrainAction',
  (u): u is BrainAction => t.UnknownRecord.is(u) && ActionKind.is(u.kind) && ACTION_CODECS[u.kind].is(u),
  (u, context) => {
    if (!t.UnknownRecord.is(u)) return t.failure(u, context, 'an action object');
    const kind = ActionKind.validate(u.kind, [...context, { key: 'kind', type: ActionKind, actual: u.kind }]);
    if (kind._tag === 'Left') return kind;
    return ACTION_CODECS[kind.right].validate(u, context) as t.Validation<BrainAction>;
  },
  t.identity,
);

/**
 * Several actions answering one prompt, performed in order without prompting the brain in between.
 * Only the last may end the turn: nothing could be performed after it.
 */
export const ActionBatch = new t.Type<readonly BrainAction[], readonly BrainAction[], unknown>(
  'ActionBatch',
  (u): u is readonly BrainAction[] => Array.isArray(u) && u.length > 0 && u.every((action, index) => BrainAction.is(action) && (action.kind !== 'end_turn' || index === u.length - 1)),
  (u, context) => {
    if (!Array.isArray(u) || u.length === 0) return t.failure(u, context, 'a non-empty array of actions');
    const actions: BrainAction[] = [];
    const errors: t.Errors = [];
    u.forEach((item, index) => {
      const itemContext = [...context, { key: String(index), type: BrainAction, actual: item }];
      const decoded = BrainAction.validate(item, itemContext);
      if (decoded._tag === 'Left') errors.push(...decoded.left);
      else if (decoded.right.kind === 'end_turn' && index < u.length - 1) errors.push({ value: item, context: itemContext, message: 'end_turn only as the last action of a batch' });
      else actions.push(decoded.right);
    });
    return errors.length > 0 ? t.failures(errors) : t.success(actions);
  },
  t.identity,
);

export const PriceList = t.type(
  { cpu: t.number, memory: t.number, tokens: t.number, attention: t.number },
  'PriceList',
);

/** The execution window a won bid bought, shown to the brain for its executing turn. */
export const ExecutionView = t.type(
  { execution_id: t.string, bid_id: t.string, bundle: ResourceBundle, token_budget: t.number },
  'ExecutionView',
);
export type ExecutionView = t.TypeOf<typeof ExecutionView>;

export const Observation = t.intersection(
  [
    t.type({ agent_id: t.string, cycle: t.number, balance: t.number, prices: PriceList }),
    /** `briefing`: what the agent was told of its situation beyond what the world models (a scenario's initial state). */
    t.partial({ execution: ExecutionView, briefing: t.UnknownRecord }),
  ],
  'Observation',
);
export type Observation = t.TypeOf<typeof Observation>;

/** How a tool call came out; the agent records it as `tool_call_completed` and hands it to the brain. */
export const ToolOutcome = t.union(
  [
    t.intersection([
      t.type({ result: t.literal('success') }),
      t.partial({
        response: t.unknown,
        tokens_used: t.number,
        test_results: t.keyof({ all_passed: null, some_failed: null }),
        failed_tests: t.array(t.string),
      }),
    ]),
    t.intersection([t.type({ result: t.literal('failure'), reason: t.string }), t.partial({ response: t.unknown })]),
  ],
  'ToolOutcome',
);
export type ToolOutcome = t.TypeOf<typeof ToolOutcome>;

export const ToolResult = t.intersection(
  [t.type({ type: t.literal('tool.result'), tool_name: t.string }), ToolOutcome],
  'ToolResult',
);
export const ActionRecorded = t.type(
  { type: t.literal('action.recorded'), kind: t.keyof({ reasoning: null, reflection: null }) },
  'ActionRecorded',
);
/** What became of one performed action of a batch: the answer a single action would have had. */
export const ActionResult = t.union([ToolResult, ActionRecorded], 'ActionResult');

/**
 * The answer to a batch that did not end the turn. `results` holds one entry per action performed, in
 * order; a batch stops at its first failed tool call, and `not_performed` counts the actions after it.
 */
export const ActionsPerformed = t.type(
  { type: t.literal('actions.performed'), results: t.readonlyArray(ActionResult), not_performed: t.number },
  'ActionsPerformed',
);

export const TurnStarted = t.intersection(
  [
    t.type({ type: t.literal('turn.started'), phase: Phase, observation: Observation }),
    t.partial({
      /** The results of the batch that ended the agent's previous turn: a turn-ending batch has no answer of its own. */
      results: t.readonlyArray(ActionResult),
      /**
       * Events of the world that concern the agent and arose since its last turn: the rejections of its
       * bids that lost at allocation. They are told with the next turn rather than as they happen, so
       * that a lost bid costs no delivery of its own.
       */
      notices: t.readonlyArray(DomainEvent),
    }),
  ],
  'TurnStarted',
);
export const Notified = t.type({ type: t.literal('notified'), event: DomainEvent }, 'Notified');
/** The brain's answer: one action (`action`) or a batch (`actions`). */
export const BrainAct = t.union(
  [t.type({ type: t.literal('brain.act'), action: BrainAction }), t.type({ type: t.literal('brain.act'), actions: ActionBatch })],
  'BrainAct',
);

export type TurnStarted = t.TypeOf<typeof TurnStarted>;
export type ToolResult = t.TypeOf<typeof ToolResult>;
export type ActionRecorded = t.TypeOf<typeof ActionRecorded>;
export type ActionResult = t.TypeOf<typeof ActionResult>;
export type ActionsPerformed = t.TypeOf<typeof ActionsPerformed>;
export type Notified = t.TypeOf<typeof Notified>;
export type BrainAct = t.TypeOf<typeof BrainAct>;

/** The events a brain must answer, with one action or a batch. */
export type BrainPrompt = TurnStarted | ToolResult | ActionRecorded | ActionsPerformed;

/** What a brain answers a prompt with: one action, or a batch performed in order. */
export type BrainAnswer = BrainAction | readonly BrainAction[];

export function brainAct(answer: BrainAnswer): BrainAct {
  return Array.isArray(answer) ? { type: 'brain.act', actions: answer } : { type: 'brain.act', action: answer as BrainAction };
}

/** The actions of an answer, in the order they are performed. */
export function actionsOf(act: BrainAct): readonly BrainAction[] {
  return 'actions' in act ? act.actions : [act.action];
}
/**
 * `turn.called`: a bidding turn announced ahead (`concurrent_turns`) is now the agent's to act on; the
 * turn's deadline counts again from here, so that waiting for the call costs a brain none of its time.
 */
export type BrainEvent = BrainPrompt | Notified | { type: 'turn.called' };

/**
 * The brain gives up the turn it was offered, with the reason the turn ends with: it ran out of time
 * (`brain_timeout`), of tokens (`token_limit`), or broke the protocol. Unlike a crash, the brain is
 * offered its next turn as usual.
 */
export type TurnAbandoned = { type: 'turn.abandoned'; reason: string };

export interface BrainInput {
  readonly agent_id: string;
  /** Where the brain sends its `brain.act` answers, or gives up its turn. */
  readonly agent: ActorRef<Snapshot<unknown>, BrainAct | TurnAbandoned>;
  /** This agent's own stream, forked from the run's seed. */
  readonly random: RandomStream;
}

/**
 * Any actor logic that speaks the protocol. What a brain keeps in its snapshot is its own business,
 * and XState's logic type is invariant in the snapshot, hence `any` there.
 */
export type BrainLogic = ActorLogic<any, BrainEvent, BrainInput>;

/** A brain written as plain functions over its own memory. */
export interface BrainDefinition<Memory> {
  initial(input: BrainInput): Memory;
  act(memory: Memory, prompt: BrainPrompt): readonly [Memory, BrainAnswer];
  notice?(memory: Memory, event: DomainEvent): Memory;
}

interface BrainState<Memory> {
  readonly agent: BrainInput['agent'];
  readonly memory: Memory;
}

/** A definition's memory after a notice. */
export function noticed<Memory>(definition: BrainDefinition<Memory>, memory: Memory, event: DomainEvent): Memory {
  return definition.notice === undefined ? memory : definition.notice(memory, event);
}

/** A definition's answer to a prompt, told the notices the prompt arrives with first. */
export function answered<Memory>(definition: BrainDefinition<Memory>, memory: Memory, prompt: BrainPrompt): readonly [Memory, BrainAnswer] {
  const told = prompt.type === 'turn.started' && prompt.notices !== undefined ? prompt.notices.reduce((kept, event) => noticed(definition, kept, event), memory) : memory;
  return definition.act(told, prompt);
}

const DEFINITION = Symbol('definition');

/**
 * The definition behind a brain made by `defineBrain`. An agent runs such a brain inside its own
 * steps, asking the definition directly, rather than as an actor it exchanges events with: a
 * synchronous brain's answer costs no delivery. Any other brain is an actor.
 */
export function definitionOf(brain: BrainLogic): BrainDefinition<unknown> | undefined {
  return (brain as { [DEFINITION]?: BrainDefinition<unknown> })[DEFINITION];
}

/** Turns a definition into a brain: actor logic that keeps the protocol (one answer per prompt, none per notice), which agents run inline. */
export function defineBrain<Memory>(definition: BrainDefinition<Memory>): BrainLogic {
  const logic = fromTransition(
    (state: BrainState<Memory>, event: BrainEvent, { defer }): BrainState<Memory> => {
      if (event.type === 'notified') return { agent: state.agent, memory: noticed(definition, state.memory, event.event) };
      // A mind has no deadline to count again.
      if (event.type === 'turn.called') return state;
      const [memory, answer] = answered(definition, state.memory, event);
      defer(() => state.agent.send(brainAct(answer)));
      return { agent: state.agent, memory };
    },
    ({ input }: { input: BrainInput }): BrainState<Memory> => ({ agent: input.agent, memory: definition.initial(input) }),
  );
  return Object.assign(logic, { [DEFINITION]: definition });
}

function withBriefing(turn: TurnStarted, briefing: Readonly<Record<string, unknown>>): TurnStarted {
  return { ...turn, observation: { ...turn.observation, briefing } };
}

/** The same brain, told `briefing` in the observation of every turn it is offered. */
export function briefed(brain: BrainLogic, briefing: Readonly<Record<string, unknown>>): BrainLogic {
  const definition = definitionOf(brain);
  if (definition !== undefined) {
    return defineBrain({
      ...definition,
      act: (memory, prompt) => definition.act(memory, prompt.type === 'turn.started' ? withBriefing(prompt, briefing) : prompt),
    });
  }
  return {
    ...brain,
    transition: (snapshot, event, scope) => brain.transition(snapshot, event.type === 'turn.started' ? withBriefing(event, briefing) : event, scope),
  };
}

/** A brain that ends every turn at once: a passive participant, such as a service provider. */
export const idleBrain = defineBrain<null>({ initial: () => null, act: () => [null, { kind: 'end_turn' }] });
