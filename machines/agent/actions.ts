import { assertEvent, assign, enqueueActions, sendParent, sendTo, setup, type AnyActorRef } from 'xstate';
import { errorMessage } from '../../domain/codec/error-message';
import type { BrainEvent, BrainPrompt } from '../brains/protocol';
import { answerToTurn, ask, type WholeTurn } from '../mind';
import type { AgentEvent, AgentRequest, SchedulerEvent, TurnEnding } from '../messages';
import { afterNext, nextAction, nextToolCall, openBidsAfterWholeTurn, openBidsAtTurn, placesBid, promptOf, recordNoteOf, taken, thought, turnOf, wholeTurnIn } from './answer';
import { agentActors, agentTypes, type AgentContext } from './setup';

/** The agent's actions: beginning a turn, asking its brain, recording and performing each action, and telling the orchestrator how the turn ended. */
export const agentWithActions = setup({
  types: agentTypes,
  actors: agentActors,
  actions: {
    beginTurn: assign(({ context, event }) => {
      const turn = turnOf(event);
      return { actionsThisTurn: 0, openBids: openBidsAtTurn(context, turn), prompt: promptOf(context, turn), batch: [], results: [], abandonedAhead: undefined };
    }),
    /**
     * The mind's turn performed whole; the agent's context stays as it is (the mind keeps what came
     * of the turn, and `countOpenBidsAfterWholeTurn` counts the bids when their number changes).
     */
    playWholeTurn: ({ context, event, self }) => void playWholeTurn(context, event, self),
    /**
     * The same, for a turn offered at once: the orchestrator, which offered it within its own step,
     * reads from the offer how it ended and the world a window's calls left.
     */
    playOfferedTurn: ({ context, event, self }) => {
      assertEvent(event, 'turn.offered');
      const { ending, world } = playWholeTurn(context, event, self);
      event.offer.play(ending, world);
    },
    /** Before the turn is played: the mind's plan of it is its answer to the turn as it was. */
    countOpenBidsAfterWholeTurn: assign({ openBids: ({ context, event }) => openBidsAfterWholeTurn(context, event) }),
    /** The brain's turn deadline counts again from the call. */
    tellBrainTurnCalled: sendTo('brain', { type: 'turn.called' } satisfies BrainEvent),
    promptBrain: enqueueActions(({ context, enqueue }) => {
      if (context.prompt !== undefined) enqueue.sendTo('brain', context.prompt);
    }),
    /** Asking a mind changes it, as prompting a brain that is an actor changes that actor. */
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
      const { batch, results, notPerformed, actionsThisTurn } = afterNext(context, { type: 'tool.result', tool_name, ...outcome });
      return { batch, results, notPerformed, actionsThisTurn, openBids: context.openBids + (placesBid(event) ? 1 : 0) };
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
    /** A mind's turn performed a step at a time has ended: the mind is told what came of its last answer with its next turn. */
    handResultsToMind: ({ context }) => {
      if (context.mind !== undefined) context.mind.toldNext = context.results;
    },
    reportTurnEnded: sendParent(
      ({ context }, ending: TurnEnding): AgentRequest => ({ type: 'turn.ended', agent_id: context.agent_id, ending }),
    ),
    reportTurnAbandoned: sendParent(({ context, event }): AgentRequest => {
      assertEvent(event, 'turn.abandoned');
      return { type: 'turn.ended', agent_id: context.agent_id, ending: { exit_code: 1, reason: event.reason } };
    }),
    /** A turn announced ahead was abandoned before it was called: the orchestrator hears so when it calls it. */
    rememberAbandonment: assign({
      abandonedAhead: ({ event }) => {
        assertEvent(event, 'turn.abandoned');
        return event.reason;
      },
    }),
    reportAbandonedAhead: sendParent(({ context }): AgentRequest => ({
      type: 'turn.ended',
      agent_id: context.agent_id,
      ending: { exit_code: 1, reason: context.abandonedAhead ?? 'turn_abandoned' },
    })),
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
    tellMind: ({ context, event }) => {
      assertEvent(event, 'notified');
      context.mind?.heard(event.event);
    },
  },
});

/**
 * A mind's whole turn, each action recorded as a step at a time would record it: a bid placed in the
 * market directly, a window's call with what performing it recorded, a refused call as refused.
 */
function playWholeTurn(context: AgentContext, event: AgentEvent, self: AnyActorRef): WholeTurn {
  const whole = wholeTurnIn(context, event);
  const { mind, market, bus, agent_id } = context;
  if (whole === undefined || mind === undefined || market === undefined) throw new Error('a whole turn was played that was not planned');
  for (const action of whole.performed) {
    if (action.kind === 'reasoning' || action.kind === 'reflection') {
      recordNoteOf(context, action);
      continue;
    }
    const { tool_name, arguments: args = {} } = action.call;
    bus.emit('tool_call_initiated', agent_id, { tool_name, arguments: args });
    if (action.kind === 'bid') {
      const { result, response } = market.place(agent_id, self, action.order);
      bus.emit('tool_call_completed', agent_id, { tool_name, result, response });
    } else if (action.kind === 'call') {
      bus.emitAll(action.effect.emissions);
      bus.emit('tool_call_completed', agent_id, { tool_name, ...action.effect.outcome });
    } else {
      bus.emit('tool_call_completed', agent_id, { tool_name, result: 'failure', reason: action.reason });
    }
  }
  mind.played(whole);
  return whole;
}
