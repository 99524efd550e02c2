import { and, assertEvent, assign, raise, sendParent, sendTo, setup, type ActorRefFrom } from 'xstate';
import { errorMessage } from '../domain/error-message';
import type { RandomStream } from '../domain/random';
import { idleBrain, type BrainAction, type BrainEvent, type BrainLogic, type Reasoning, type Reflection, type ToolCall } from './brains/protocol';
import type { EventBus } from './event-bus';
import type { AgentEvent, AgentRequest, SchedulerEvent, ToolResponse, TurnEnding } from './messages';
import { isPerformedByScheduler } from './tools/registry';

/**
 * One agent: dormant → bidding → awaiting allocation → executing → dormant, until it dies. It never
 * decides anything itself: its brain chooses each action, the world performs the tool calls (the
 * scheduler its bids, the orchestrator the rest), and the agent records both sides of every call and
 * keeps the turn going.
 */

export interface AgentInput {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  /** A brain that never ends its turn is cut off after this many actions. */
  readonly max_actions_per_turn: number;
}

interface AgentContext {
  readonly agent_id: string;
  readonly bus: EventBus;
  readonly random: RandomStream;
  readonly maxActions: number;
  readonly actionsThisTurn: number;
  /** Bids placed and not yet decided; while there are some the agent waits for the allocation. */
  readonly openBids: number;
  /** Set once the brain has crashed: from then on every turn ends at once, with this reason. */
  readonly brainFailure?: string;
}

const COMPLETED: TurnEnding = { exit_code: 0, reason: 'completed' };
/** The brain used up the turn's actions without ending it. */
const CUT_OFF: TurnEnding = { exit_code: 0, reason: 'window_closed' };

/** A turn's phase is its state: bidding before the allocation, executing inside a won window. */
const TAKE_TURN = [{ guard: 'isExecutingTurn', target: 'executing' }, { target: 'bidding' }] as const;

/** Bidding and executing are one kind of turn: the brain acts, one action at a time, until it ends the turn. */
const TURN = {
  entry: ['beginTurn', 'promptBrain'],
  on: {
    'brain.act': [
      { guard: and(['isTurnEnd', 'hasNoOpenBids']), target: 'dormant', actions: { type: 'reportTurnEnded', params: COMPLETED } },
      { guard: 'isTurnEnd', target: 'awaitingAllocation', actions: { type: 'reportTurnEnded', params: COMPLETED } },
      { guard: and(['turnActionLimitReached', 'hasNoOpenBids']), target: 'dormant', actions: { type: 'reportTurnEnded', params: CUT_OFF } },
      { guard: 'turnActionLimitReached', target: 'awaitingAllocation', actions: { type: 'reportTurnEnded', params: CUT_OFF } },
      { guard: 'isRefusedCall', actions: ['countAction', 'recordToolCall', 'refuseCall'] },
      { guard: 'isBid', actions: ['countAction', 'recordToolCall', 'placeBid'] },
      { guard: 'isToolCall', actions: ['countAction', 'recordToolCall', 'askWorld'] },
      // What is left is a note: a reasoning trace or a reflection.
      { actions: ['countAction', 'recordNote', 'answerBrainWithRecord'] },
    ],
    'tool.response': { actions: ['recordToolCompletion', 'countPlacedBid', 'answerBrainWithResult'] },
    'turn.abandoned': [
      { guard: 'hasNoOpenBids', target: 'dormant', actions: 'reportTurnAbandoned' },
      { target: 'awaitingAllocation', actions: 'reportTurnAbandoned' },
    ],
    'xstate.error.actor.brain': { target: 'brainFailed', actions: ['rememberBrainFailure', 'reportBrainFailure'] },
  },
} as const;

/** The brain's action: what the turn's guards and actions on `brain.act` read. */
function actionOf(event: AgentEvent): BrainAction {
  assertEvent(event, 'brain.act');
  return event.action;
}

/** Only a `tool` action gets past the `isToolCall` and `isBid` guards to the actions that perform it. */
function toolCallOf(event: AgentEvent): ToolCall {
  const action = actionOf(event);
  if (action.kind !== 'tool') throw new Error(`expected a tool call, got a ${action.kind} action`);
  return action;
}

/** What the guards leave of an action once ends and tool calls are taken: a note. */
function noteOf(event: AgentEvent): Reasoning | Reflection {
  const action = actionOf(event);
  if (action.kind !== 'reasoning' && action.kind !== 'reflection') throw new Error(`expected a note, got a ${action.kind} action`);
  return action;
}

export const agentMachine = setup({
  types: {} as { context: AgentContext; events: AgentEvent; input: AgentInput },
  // Each population provides its own brain (see `agentMachineFor`); an agent without one stays passive.
  actors: { brain: idleBrain },
  actions: {
    beginTurn: assign(({ context, event }) => {
      assertEvent(event, 'turn.started');
      // An executing turn spends the won bid it was bought with.
      return { actionsThisTurn: 0, openBids: event.phase === 'executing' ? context.openBids - 1 : context.openBids };
    }),
    promptBrain: sendTo('brain', ({ event }): BrainEvent => {
      assertEvent(event, 'turn.started');
      return event;
    }),
    countAction: assign({ actionsThisTurn: ({ context }) => context.actionsThisTurn + 1 }),
    recordToolCall: ({ context, event }) => {
      const call = toolCallOf(event);
      context.bus.emit('tool_call_initiated', context.agent_id, { tool_name: call.tool_name, arguments: call.arguments ?? {} });
    },
    placeBid: sendTo(
      ({ system }) => system.get('scheduler'),
      ({ context, event, self }): SchedulerEvent => ({
        type: 'bid.place',
        agent_id: context.agent_id,
        bidder: self,
        arguments: toolCallOf(event).arguments ?? {},
      }),
    ),
    askWorld: sendParent(({ context, event }): AgentRequest => {
      const call = toolCallOf(event);
      return { type: 'tool.request', agent_id: context.agent_id, tool_name: call.tool_name, arguments: call.arguments ?? {} };
    }),
    refuseCall: raise(({ event }): ToolResponse => {
      const { tool_name, refusal = '' } = toolCallOf(event);
      return { type: 'tool.response', tool_name, outcome: { result: 'failure', reason: refusal } };
    }),
    recordToolCompletion: ({ context, event }) => {
      assertEvent(event, 'tool.response');
      const { tool_name, outcome } = event;
      context.bus.emit('tool_call_completed', context.agent_id, { tool_name, ...outcome });
    },
    countPlacedBid: assign({
      openBids: ({ context, event }) => {
        assertEvent(event, 'tool.response');
        const { tool_name, outcome } = event;
        return isPerformedByScheduler(tool_name) && outcome.result === 'success' ? context.openBids + 1 : context.openBids;
      },
    }),
    answerBrainWithResult: sendTo(
      'brain',
      ({ event }): BrainEvent => {
        assertEvent(event, 'tool.response');
        const { tool_name, outcome } = event;
        return { type: 'tool.result', tool_name, ...outcome };
      },
    ),
    recordNote: ({ context, event }) => {
      const note = noteOf(event);
      if (note.kind === 'reflection') {
        context.bus.emit('reflection', context.agent_id, { trigger: note.trigger, outcome_assessment: note.outcome_assessment });
        return;
      }
      const { kind: _kind, ...reasoning } = note;
      context.bus.emit('reasoning_trace', context.agent_id, reasoning);
    },
    answerBrainWithRecord: sendTo(
      'brain',
      ({ event }): BrainEvent => ({ type: 'action.recorded', kind: noteOf(event).kind }),
    ),
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
    closeLostBid: assign({ openBids: ({ context }) => context.openBids - 1 }),
    forwardNotice: sendTo(
      'brain',
      ({ event }): BrainEvent => {
        assertEvent(event, ['bid.lost', 'notified']);
        return { type: 'notified', event: event.event };
      },
    ),
  },
  guards: {
    isTurnEnd: ({ event }) => actionOf(event).kind === 'end_turn',
    turnActionLimitReached: ({ context }) => context.actionsThisTurn >= context.maxActions,
    isBid: ({ event }) => {
      const action = actionOf(event);
      return action.kind === 'tool' && isPerformedByScheduler(action.tool_name);
    },
    isToolCall: ({ event }) => actionOf(event).kind === 'tool',
    isRefusedCall: ({ event }) => {
      const action = actionOf(event);
      return action.kind === 'tool' && action.refusal !== undefined;
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
  context: ({ input }) => ({
    agent_id: input.agent_id,
    bus: input.bus,
    random: input.random,
    maxActions: input.max_actions_per_turn,
    actionsThisTurn: 0,
    openBids: 0,
  }),
  invoke: {
    id: 'brain',
    src: 'brain',
    input: ({ context, self }) => ({ agent_id: context.agent_id, agent: self, random: context.random }),
  },
  initial: 'dormant',
  on: {
    notified: { actions: 'forwardNotice' },
    // A bid decided while its agent is in a turn leaves the turn as it is.
    'bid.lost': { actions: ['closeLostBid', 'forwardNotice'] },
    'bid.withdrawn': { actions: 'closeLostBid' },
    'agent.died': '.dead',
    'xstate.error.actor.brain': { target: '.brainFailed', actions: 'rememberBrainFailure' },
  },
  states: {
    dormant: {
      on: { 'turn.started': TAKE_TURN },
    },
    /** A turn ended with bids still to be decided; the last one decided leaves the agent dormant. */
    awaitingAllocation: {
      on: {
        'turn.started': TAKE_TURN,
        'bid.lost': [
          { guard: 'isLastOpenBid', target: 'dormant', actions: ['closeLostBid', 'forwardNotice'] },
          { actions: ['closeLostBid', 'forwardNotice'] },
        ],
        'bid.withdrawn': [{ guard: 'isLastOpenBid', target: 'dormant', actions: 'closeLostBid' }, { actions: 'closeLostBid' }],
      },
    },
    bidding: TURN,
    executing: TURN,
    /** Without a brain the agent cannot act; the orchestrator still gets an answer to every turn it offers. */
    brainFailed: {
      on: { 'turn.started': { actions: 'reportBrainFailure' } },
    },
    dead: { type: 'final' },
  },
});

export type AgentRef = ActorRefFrom<typeof agentMachine>;

const machinesByBrain = new WeakMap<BrainLogic, typeof agentMachine>();

/** The agent machine driven by `brain`; agents sharing a brain share one machine definition. */
export function agentMachineFor(brain: BrainLogic): typeof agentMachine {
  let machine = machinesByBrain.get(brain);
  if (machine === undefined) {
    machine = agentMachine.provide({ actors: { brain } });
    machinesByBrain.set(brain, machine);
  }
  return machine;
}
