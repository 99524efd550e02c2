import { and, assertEvent, assign, enqueueActions, sendParent, sendTo, setup, type ActorRefFrom } from 'xstate';
import { errorMessage } from '../domain/codec/error-message';
import type { RandomStream } from '../domain/economy/random';
import {
  idleBrain,
  brainAct,
  definitionOf,
  noticed,
  type ActionResult,
  type BrainAct,
  type BrainAction,
  type BrainEvent,
  type BrainInput,
  type BrainLogic,
  type BrainPrompt,
  type Reasoning,
  type Reflection,
  type ToolCall,
  type TurnStarted,
} from './brains/protocol';
import type { EventBus } from './event-bus';
import type { Market } from './market';
import { answerToTurn, ask, plannedWholeTurn, wholeTurnOf, type Mind, type MindAnswer } from './mind';
import type { AgentEvent, AgentRequest, SchedulerEvent, ToolResponse, TurnEnding } from './messages';
import { isPerformedByScheduler } from './tools/registry';

/**
 * One agent: dormant → bidding → awaiting allocation → executing → dormant, until it dies. It never
 * decides anything itself: its brain chooses each action, the world performs the tool calls (the
 * scheduler its bids, the orchestrator the rest), and the agent records both sides of every call and
 * keeps the turn going. A brain defined as plain functions (`defineBrain`) is asked inside the
 * agent's own steps; any other brain runs as an actor of its own, which the agent prompts and
 * which answers with `brain.act`.
 */

export interface AgentInput {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  readonly brain: BrainLogic;
  /** A brain that never ends its turn is cut off after this many actions. */
  readonly max_actions_per_turn: number;
  /** Where a brain that answers inside the agent's steps places its bids directly; without it every bid goes to the scheduler. */
  readonly market?: Market;
}

interface AgentContext {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  readonly maxActions: number;
  readonly actionsThisTurn: number;
  /** Bids placed and not yet heard of; while there are some the agent waits for the allocation. */
  readonly openBids: number;
  /** The brain asked inside the agent's steps; absent when the brain is an actor of its own. */
  readonly mind?: Mind;
  readonly market?: Market;
  /** What the brain is asked next: the turn, or what came of its last answer. */
  readonly prompt?: BrainPrompt;
  /** The actions of the brain's last answer still to perform, in order. */
  readonly batch: readonly BrainAction[];
  /** Whether that answer was one action, answered as such, or a batch, answered with all its results at once. */
  readonly answer: 'single' | 'batch';
  /** What became of the answer's actions performed so far; those of an answer that ended the turn are told with the next. */
  readonly results: readonly ActionResult[];
  /** Actions of a batch cut short by a failed call. */
  readonly notPerformed: number;
  /** Set once the brain has crashed: from then on every turn ends at once, with this reason. */
  readonly brainFailure?: string;
}

const COMPLETED: TurnEnding = { exit_code: 0, reason: 'completed' };
/** The brain used up the turn's actions without ending it. */
const CUT_OFF: TurnEnding = { exit_code: 0, reason: 'window_closed' };

/** A mind's whole turn, performed and ended in the step that offers it. */
const PLAY_WHOLE_TURN = ['playWholeTurn', { type: 'reportTurnEnded', params: COMPLETED }] as const;

/**
 * A turn's phase is its state: bidding before the allocation, executing inside a won window. A mind
 * answers the turn as it begins: when its answer asks nothing of the world but bids the market takes
 * and notes, the turn is performed and ended in this one step; otherwise the agent starts the turn
 * acting. A brain of its own is prompted.
 */
const TAKE_TURN = [
  { guard: and(['isWholeTurn', 'leavesBidsOpen']), target: 'awaitingAllocation', actions: PLAY_WHOLE_TURN },
  { guard: 'isWholeTurn', target: 'dormant', actions: PLAY_WHOLE_TURN },
  { guard: and(['isExecutingTurn', 'hasMind']), target: 'executing.acting', actions: ['beginTurn', 'thinkOnTurn'] },
  { guard: 'isExecutingTurn', target: 'executing', actions: 'beginTurn' },
  { guard: 'hasMind', target: 'bidding.acting', actions: ['beginTurn', 'thinkOnTurn'] },
  { target: 'bidding', actions: 'beginTurn' },
] as const;

/** A tool call's result recorded and taken; when the answer ends the turn after it, the turn ends at once. */
const TAKE_RESULT = ['recordToolCompletion', 'takeToolResult'] as const;

/**
 * Bidding and executing are one kind of turn: the brain thinks, then the agent performs its answer's
 * actions one after another, waiting for the world's result of each tool call, until the answer is
 * spent (the brain is told what came of it and thinks again) or ends the turn.
 */
const TURN = {
  initial: 'thinking',
  states: {
    /** A brain of its own thinks: the agent waits for its answer. */
    thinking: {
      entry: 'promptBrain',
      on: { 'brain.act': { target: 'acting', actions: 'takeAnswer' } },
    },
    acting: {
      always: [
        { guard: 'mindHasFailed', target: '#agent.brainFailed', actions: 'reportBrainFailure' },
        { guard: and(['nextIsTurnEnd', 'hasNoOpenBids']), target: '#agent.dormant', actions: { type: 'reportTurnEnded', params: COMPLETED } },
        { guard: 'nextIsTurnEnd', target: '#agent.awaitingAllocation', actions: { type: 'reportTurnEnded', params: COMPLETED } },
        { guard: and(['answerIsSpent', 'hasMind']), actions: ['keepResultsAsPrompt', 'think'] },
        { guard: 'answerIsSpent', target: 'thinking', actions: 'keepResultsAsPrompt' },
        { guard: and(['turnActionLimitReached', 'hasNoOpenBids']), target: '#agent.dormant', actions: { type: 'reportTurnEnded', params: CUT_OFF } },
        { guard: 'turnActionLimitReached', target: '#agent.awaitingAllocation', actions: { type: 'reportTurnEnded', params: CUT_OFF } },
        // An action counts once performed: a tool call when its result is taken.
        { guard: 'nextIsRefusedCall', actions: ['recordToolCall', 'refuseCall'] },
        { guard: 'nextIsBid', target: 'awaitingResult', actions: ['recordToolCall', 'placeBid'] },
        { guard: 'nextIsToolCall', target: 'awaitingResult', actions: ['recordToolCall', 'askWorld'] },
        // What is left is a note: a reasoning trace or a reflection.
        { actions: 'recordNote' },
      ],
    },
    awaitingResult: {
      on: {
        'tool.response': [
          { guard: and(['resultEndsTurn', 'hasNoOpenBidsAfterResult']), target: '#agent.dormant', actions: [...TAKE_RESULT, { type: 'reportTurnEnded', params: COMPLETED }] },
          { guard: 'resultEndsTurn', target: '#agent.awaitingAllocation', actions: [...TAKE_RESULT, { type: 'reportTurnEnded', params: COMPLETED }] },
          { target: 'acting', actions: TAKE_RESULT },
        ],
      },
    },
  },
  on: {
    'turn.abandoned': [
      // The results the abandoned prompt told are not told again.
      { guard: 'hasNoOpenBids', target: 'dormant', actions: ['reportTurnAbandoned', 'forgetResults'] },
      { target: 'awaitingAllocation', actions: ['reportTurnAbandoned', 'forgetResults'] },
    ],
    'xstate.error.actor.brain': { target: 'brainFailed', actions: ['rememberBrainFailure', 'reportBrainFailure'] },
  },
} as const;

/** The next action of the answer being performed: what the guards and actions of `acting` read. */
function nextAction(context: AgentContext): BrainAction | undefined {
  return context.batch[0];
}

/** Only a `tool` action gets past the `nextIsToolCall` and `nextIsBid` guards to the actions that perform it. */
function nextToolCall(context: AgentContext): ToolCall {
  const action = nextAction(context);
  if (action?.kind !== 'tool') throw new Error(`expected a tool call, got ${action === undefined ? 'nothing' : `a ${action.kind} action`}`);
  return action;
}

/**
 * The next action performed and counted, with what came of it: the answer's actions after it remain,
 * or none once a call failed, since a batch stops at its first failed call.
 */
function afterNext(context: AgentContext, result: ActionResult): Pick<AgentContext, 'batch' | 'results' | 'notPerformed' | 'actionsThisTurn'> {
  const rest = context.batch.slice(1);
  const failed = result.type === 'tool.result' && result.result === 'failure';
  return { batch: failed ? [] : rest, results: [...context.results, result], notPerformed: failed ? rest.length : 0, actionsThisTurn: context.actionsThisTurn + 1 };
}

/** An answer taken to be performed; the prompt it answers is let go, since a population holds one per agent. */
function taken(act: BrainAct): Pick<AgentContext, 'batch' | 'answer' | 'results' | 'prompt'> {
  const answer = 'actions' in act ? { batch: act.actions, answer: 'batch' as const } : { batch: [act.action], answer: 'single' as const };
  return { ...answer, results: [], prompt: undefined };
}

/** A bid the market accepted: it stays open until the agent hears how it came out. */
function placesBid({ tool_name, outcome }: ToolResponse): boolean {
  return isPerformedByScheduler(tool_name) && outcome.result === 'success';
}

/** Bids that lost at allocation, told with the turn: each one closes an open bid. */
function lostBids(turn: TurnStarted): number {
  return turn.notices?.reduce((lost, notice) => (notice.type === 'bid_rejected' ? lost + 1 : lost), 0) ?? 0;
}

/** What `think` makes of an answer: the mind's new memory and the answer taken to be performed, or the failure. */
function thought(mind: Mind, answer: MindAnswer): Partial<AgentContext> {
  if ('failure' in answer) return { brainFailure: answer.failure, batch: [] };
  return { mind: { definition: mind.definition, memory: answer.memory }, ...taken(brainAct(answer.answer)) };
}

/** The prompt a turn is: the turn, with the results of the answer that ended the last one. */
function promptOf(context: AgentContext, turn: TurnStarted): BrainPrompt {
  return context.results.length === 0 ? turn : { ...turn, results: context.results };
}

/** Bids the agent still waits to hear of once the turn has begun: the won bid an executing turn spends, and those lost, are closed. */
function openBidsAtTurn(context: AgentContext, turn: TurnStarted): number {
  return context.openBids - (turn.phase === 'executing' ? 1 : 0) - lostBids(turn);
}

function recordNoteOf(context: AgentContext, note: Reasoning | Reflection): void {
  if (note.kind === 'reflection') {
    context.bus.emit('reflection', context.agent_id, { trigger: note.trigger, outcome_assessment: note.outcome_assessment });
  } else {
    const { kind: _kind, ...reasoning } = note;
    context.bus.emit('reasoning_trace', context.agent_id, reasoning);
  }
}

export const agentMachine = setup({
  types: {} as { context: AgentContext; events: AgentEvent; input: AgentInput },
  // An agent's brain, when it is an actor, is provided by `agentMachineFor`.
  actors: { brain: idleBrain },
  actions: {
    beginTurn: assign(({ context, event }) => {
      assertEvent(event, 'turn.started');
      return { actionsThisTurn: 0, openBids: openBidsAtTurn(context, event), prompt: promptOf(context, event), batch: [], results: [] };
    }),
    /**
     * The turn begun and its actions performed in order, each recorded as a step at a time would
     * record it, a bid placed in the market directly; the context is copied once.
     */
    playWholeTurn: enqueueActions(({ context, event, enqueue, self }) => {
      assertEvent(event, 'turn.started');
      const whole = plannedWholeTurn(event);
      const { mind, market } = context;
      if (whole === undefined || mind === undefined || market === undefined) throw new Error('a whole turn was played that was not planned');
      enqueue.assign({
        mind: { definition: mind.definition, memory: whole.memory },
        prompt: undefined,
        batch: [],
        results: whole.results,
        actionsThisTurn: whole.performed.length,
        openBids: openBidsAtTurn(context, event) + whole.bids,
      });
      enqueue(() => {
        for (const action of whole.performed) {
          if (action.kind !== 'bid') {
            recordNoteOf(context, action);
            continue;
          }
          const { tool_name, arguments: args = {} } = action.call;
          context.bus.emit('tool_call_initiated', context.agent_id, { tool_name, arguments: args });
          const outcome = market.place(context.agent_id, self, action.order);
          context.bus.emit('tool_call_completed', context.agent_id, { tool_name, ...outcome });
        }
      });
    }),
    promptBrain: enqueueActions(({ context, enqueue }) => {
      if (context.prompt !== undefined) enqueue.sendTo('brain', context.prompt);
    }),
    think: assign(({ context }) => {
      const { mind, prompt } = context;
      if (mind === undefined || prompt === undefined) return {};
      return thought(mind, ask(mind, prompt));
    }),
    /** The turn's own prompt: the guards that chose this transition may have asked it already. */
    thinkOnTurn: assign(({ context, event }) => {
      assertEvent(event, 'turn.started');
      const { mind, prompt } = context;
      if (mind === undefined || prompt === undefined) return {};
      return thought(mind, answerToTurn(mind, event, prompt));
    }),
    takeAnswer: assign(({ event }) => {
      assertEvent(event, 'brain.act');
      return taken(event);
    }),
    recordToolCall: ({ context }) => {
      const call = nextToolCall(context);
      context.bus.emit('tool_call_initiated', context.agent_id, { tool_name: call.tool_name, arguments: call.arguments ?? {} });
    },
    placeBid: sendTo(
      ({ system }) => system.get('scheduler'),
      ({ context, self }): SchedulerEvent => ({
        type: 'bid.place',
        agent_id: context.agent_id,
        bidder: self,
        arguments: nextToolCall(context).arguments ?? {},
      }),
    ),
    askWorld: sendParent(({ context }): AgentRequest => {
      const call = nextToolCall(context);
      return { type: 'tool.request', agent_id: context.agent_id, tool_name: call.tool_name, arguments: call.arguments ?? {} };
    }),
    refuseCall: assign(({ context }) => {
      const { tool_name, refusal = '' } = nextToolCall(context);
      context.bus.emit('tool_call_completed', context.agent_id, { tool_name, result: 'failure', reason: refusal });
      return afterNext(context, { type: 'tool.result', tool_name, result: 'failure', reason: refusal });
    }),
    recordToolCompletion: ({ context, event }) => {
      assertEvent(event, 'tool.response');
      const { tool_name, outcome } = event;
      context.bus.emit('tool_call_completed', context.agent_id, { tool_name, ...outcome });
    },
    /** A placed bid stays open until the agent hears how it came out. */
    takeToolResult: assign(({ context, event }) => {
      assertEvent(event, 'tool.response');
      const { tool_name, outcome } = event;
      return { ...afterNext(context, { type: 'tool.result', tool_name, ...outcome }), openBids: context.openBids + (placesBid(event) ? 1 : 0) };
    }),
    recordNote: assign(({ context }) => {
      const note = nextAction(context);
      if (note?.kind !== 'reflection' && note?.kind !== 'reasoning') throw new Error(`expected a note, got ${note === undefined ? 'nothing' : `a ${note.kind} action`}`);
      recordNoteOf(context, note);
      return afterNext(context, { type: 'action.recorded', kind: note.kind });
    }),
    keepResultsAsPrompt: assign({
      prompt: ({ context }): BrainPrompt => {
        const { answer, results, notPerformed } = context;
        const only = results[0];
        if (answer === 'single' && only !== undefined) return only;
        return { type: 'actions.performed', results, not_performed: notPerformed };
      },
    }),
    forgetResults: assign({ results: [] }),
    reportTurnEnded: sendParent(
      ({ context }, ending: TurnEnding): AgentRequest => ({ type: 'turn.ended', agent_id: context.agent_id, ending }),
    ),
    reportTurnAbandoned: sendParent(({ context, event }): AgentRequest => {
      assertEvent(event, 'turn.abandoned');
      return { type: 'turn.ended', agent_id: context.agent_id, ending: { exit_code: 1, reason: event.reason } };
    }),
    rememberBrainFailure: assign({
      brainFailure: ({ event }) => {
        assertEvent(event, 'xstate.error.actor.brain');
        return `brain_failed: ${errorMessage(event.error)}`;
      },
    }),
    reportBrainFailure: sendParent(({ context }): AgentRequest => ({
      type: 'turn.ended',
      agent_id: context.agent_id,
      ending: { exit_code: 1, reason: context.brainFailure ?? 'brain_failed' },
    })),
    closeWithdrawnBid: assign({ openBids: ({ context }) => context.openBids - 1 }),
    forwardNotice: sendTo('brain', ({ event }): BrainEvent => {
      assertEvent(event, 'notified');
      return event;
    }),
    tellMind: assign({
      mind: ({ context, event }) => {
        assertEvent(event, 'notified');
        const { mind } = context;
        return mind === undefined ? undefined : { definition: mind.definition, memory: noticed(mind.definition, mind.memory, event.event) };
      },
    }),
  },
  guards: {
    hasMind: ({ context }) => context.mind !== undefined,
    isWholeTurn: ({ context, event }) => {
      assertEvent(event, 'turn.started');
      return wholeTurnOf(context, event, promptOf(context, event)) !== undefined;
    },
    leavesBidsOpen: ({ context, event }) => {
      assertEvent(event, 'turn.started');
      return openBidsAtTurn(context, event) + (wholeTurnOf(context, event, promptOf(context, event))?.bids ?? 0) > 0;
    },
    mindHasFailed: ({ context }) => context.mind !== undefined && context.brainFailure !== undefined,
    nextIsTurnEnd: ({ context }) => nextAction(context)?.kind === 'end_turn',
    /** The call succeeded and the answer ends the turn after it. */
    resultEndsTurn: ({ context, event }) => {
      assertEvent(event, 'tool.response');
      return event.outcome.result === 'success' && context.batch[1]?.kind === 'end_turn';
    },
    hasNoOpenBidsAfterResult: ({ context, event }) => {
      assertEvent(event, 'tool.response');
      return context.openBids + (placesBid(event) ? 1 : 0) <= 0;
    },
    answerIsSpent: ({ context }) => context.batch.length === 0,
    turnActionLimitReached: ({ context }) => context.actionsThisTurn >= context.maxActions,
    nextIsBid: ({ context }) => {
      const action = nextAction(context);
      return action?.kind === 'tool' && isPerformedByScheduler(action.tool_name);
    },
    nextIsToolCall: ({ context }) => nextAction(context)?.kind === 'tool',
    nextIsRefusedCall: ({ context }) => {
      const action = nextAction(context);
      return action?.kind === 'tool' && action.refusal !== undefined;
    },
    hasNoOpenBids: ({ context }) => context.openBids <= 0,
    isLastOpenBid: ({ context }) => context.openBids <= 1,
    isExecutingTurn: ({ event }) => {
      assertEvent(event, 'turn.started');
      return event.phase === 'executing';
    },
  },
}).createMachine({
  id: 'agent',
  context: ({ input, spawn, self }) => {
    const brainInput: BrainInput = { agent_id: input.agent_id, agent: self, random: input.random };
    const definition = definitionOf(input.brain);
    if (definition === undefined) spawn('brain', { id: 'brain', input: brainInput });
    return {
      agent_id: input.agent_id,
      bus: input.bus,
      random: input.random,
      maxActions: input.max_actions_per_turn,
      ...(input.market === undefined ? {} : { market: input.market }),
      actionsThisTurn: 0,
      openBids: 0,
      ...(definition === undefined ? {} : { mind: { definition, memory: definition.initial(brainInput) } }),
      batch: [],
      answer: 'single',
      results: [],
      notPerformed: 0,
    };
  },
  initial: 'dormant',
  on: {
    notified: [{ guard: 'hasMind', actions: 'tellMind' }, { actions: 'forwardNotice' }],
    // A bid withdrawn while its agent is in a turn leaves the turn as it is.
    'bid.withdrawn': { actions: 'closeWithdrawnBid' },
    'agent.died': '.dead',
    'world.stopped': '.stopped',
    'xstate.error.actor.brain': { target: '.brainFailed', actions: 'rememberBrainFailure' },
  },
  states: {
    dormant: {
      on: { 'turn.started': TAKE_TURN },
    },
    /** A turn ended with bids placed: the agent hears how they came out with its next turn, the last one withdrawn leaves it dormant. */
    awaitingAllocation: {
      on: {
        'turn.started': TAKE_TURN,
        'bid.withdrawn': [{ guard: 'isLastOpenBid', target: 'dormant', actions: 'closeWithdrawnBid' }, { actions: 'closeWithdrawnBid' }],
      },
    },
    bidding: TURN,
    executing: TURN,
    /** Without a brain the agent cannot act; the orchestrator still gets an answer to every turn it offers. */
    brainFailed: {
      on: { 'turn.started': { actions: 'reportBrainFailure' } },
    },
    dead: { type: 'final' },
    /**
     * The world was stopped. Ending here stops the agent's brain, one child, where stopping the
     * orchestrator would stop its agents one at a time, copying its map of them for each (XState's
     * `stopChild`): quadratic, 4.3 s for 1,000 agents.
     */
    stopped: { type: 'final' },
  },
});

export type AgentRef = ActorRefFrom<typeof agentMachine>;

const machinesByBrain = new WeakMap<BrainLogic, typeof agentMachine>();

/** The agent machine for agents whose input names `brain`: it spawns the brain when the brain is an actor; agents sharing a brain share one machine. */
export function agentMachineFor(brain: BrainLogic): typeof agentMachine {
  let machine = machinesByBrain.get(brain);
  if (machine === undefined) {
    machine = agentMachine.provide({ actors: { brain } });
    machinesByBrain.set(brain, machine);
  }
  return machine;
}
