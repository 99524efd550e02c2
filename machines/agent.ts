import { and, assertEvent, assign, raise, sendParent, sendTo, setup, type ActorRefFrom } from 'xstate';
import type { RandomStream } from '../domain/random';
import {
  idleBrain,
  type BrainAct,
  type BrainEvent,
  type BrainLogic,
  type Notified,
  type Reasoning,
  type Reflection,
  type ToolCall,
  type ToolOutcome,
  type TurnAbandoned,
  type TurnStarted,
} from './brains/protocol';
import type { EventBus } from './event-bus';
import type { AgentEvent, AgentRequest, BidLost, BrainFailed, SchedulerEvent, ToolResponse, TurnEnding } from './messages';
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

const actionOf = (event: AgentEvent) => (event as BrainAct).action;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const agentMachine = setup({
  types: {} as { context: AgentContext; events: AgentEvent; input: AgentInput },
  // Each population provides its own brain (see `agentMachineFor`); an agent without one stays passive.
  actors: { brain: idleBrain },
  actions: {
    beginTurn: assign(({ context, event }) => ({
      actionsThisTurn: 0,
      // An executing turn spends the won bid it was bought with.
      openBids: (event as TurnStarted).phase === 'executing' ? context.openBids - 1 : context.openBids,
    })),
    promptBrain: sendTo('brain', ({ event }) => event as BrainEvent),
    countAction: assign({ actionsThisTurn: ({ context }) => context.actionsThisTurn + 1 }),
    recordToolCall: ({ context, event }) => {
      const call = actionOf(event) as ToolCall;
      context.bus.emit('tool_call_initiated', context.agent_id, { tool_name: call.tool_name, arguments: call.arguments ?? {} });
    },
    placeBid: sendTo(
      ({ system }) => system.get('scheduler'),
      ({ context, event, self }): SchedulerEvent => ({
        type: 'bid.place',
        agent_id: context.agent_id,
        bidder: self,
        arguments: (actionOf(event) as ToolCall).arguments ?? {},
      }),
    ),
    askWorld: sendParent(({ context, event }): AgentRequest => {
      const call = actionOf(event) as ToolCall;
      return { type: 'tool.request', agent_id: context.agent_id, tool_name: call.tool_name, arguments: call.arguments ?? {} };
    }),
    refuseCall: raise(({ event }): ToolResponse => {
      const { tool_name, refusal = '' } = actionOf(event) as ToolCall;
      return { type: 'tool.response', tool_name, outcome: { result: 'failure', reason: refusal } };
    }),
    recordToolCompletion: ({ context, event }) => {
      const { tool_name, outcome } = event as ToolResponse;
      context.bus.emit('tool_call_completed', context.agent_id, { tool_name, ...outcome });
    },
    countPlacedBid: assign({
      openBids: ({ context, event }) => {
        const { tool_name, outcome } = event as ToolResponse;
        return isPerformedByScheduler(tool_name) && outcome.result === 'success' ? context.openBids + 1 : context.openBids;
      },
    }),
    answerBrainWithResult: sendTo(
      'brain',
      ({ event }): BrainEvent => {
        const { tool_name, outcome } = event as ToolResponse;
        return { type: 'tool.result', tool_name, ...outcome };
      },
    ),
    recordNote: ({ context, event }) => {
      const note = actionOf(event) as Reasoning | Reflection;
      if (note.kind === 'reflection') {
        context.bus.emit('reflection', context.agent_id, { trigger: note.trigger, outcome_assessment: note.outcome_assessment });
        return;
      }
      const { kind: _kind, ...reasoning } = note;
      context.bus.emit('reasoning_trace', context.agent_id, reasoning);
    },
    answerBrainWithRecord: sendTo(
      'brain',
      ({ event }): BrainEvent => ({ type: 'action.recorded', kind: (actionOf(event) as Reasoning | Reflection).kind }),
    ),
    reportTurnEnded: sendParent(
      ({ context }, ending: TurnEnding): AgentRequest => ({ type: 'turn.ended', agent_id: context.agent_id, ending }),
    ),
    reportTurnAbandoned: sendParent(({ context, event }): AgentRequest => {
      assertEvent(event, 'turn.abandoned');
      return { type: 'turn.ended', agent_id: context.agent_id, ending: { exit_code: 1, reason: event.reason } };
    }),
    rememberBrainFailure: assign({
      brainFailure: ({ event }) => `brain_failed: ${describeError((event as BrainFailed).error)}`,
    }),
    reportBrainFailure: sendParent(({ context }): AgentRequest => ({
      type: 'turn.ended',
      agent_id: context.agent_id,
      ending: { exit_code: 1, reason: context.brainFailure ?? 'brain_failed' },
    })),
    closeLostBid: assign({ openBids: ({ context }) => context.openBids - 1 }),
    forwardNotice: sendTo(
      'brain',
      ({ event }): BrainEvent => ({ type: 'notified', event: (event as BidLost | Notified).event }),
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
    isExecutingTurn: ({ event }) => (event as TurnStarted).phase === 'executing',
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
