import { and } from 'xstate';
import { COMPLETED, CUT_OFF } from '../turn-ending';

/** The agent's turns as states: how a turn is taken, and the states a turn of acting goes through. */

/** A turn performed a step at a time ends: a mind keeps its results for its next turn. */
const ENDED = ['handResultsToMind', { type: 'reportTurnEnded', params: COMPLETED }] as const;
const ENDED_CUT_OFF = ['handResultsToMind', { type: 'reportTurnEnded', params: CUT_OFF }] as const;

/** A mind's whole turn, performed and ended in the step that offers it. */
const PLAY_WHOLE_TURN = ['playWholeTurn', { type: 'reportTurnEnded', params: COMPLETED }] as const;

/** A whole turn taken that changes the agent's count of its open bids, and the state it leaves the agent in. */
function wholeTurnTaken<const Play extends readonly unknown[]>(play: Play) {
  return [
    { guard: and(['isWholeTurn', 'leavesBidsOpen']), target: 'awaitingAllocation', actions: ['countOpenBidsAfterWholeTurn', ...play] },
    { guard: 'isWholeTurn', target: 'dormant', actions: ['countOpenBidsAfterWholeTurn', ...play] },
  ] as const;
}

/**
 * A bidding turn offered at once is played only when it is whole (the orchestrator reads the end of
 * it from the offer); anything else leaves the offer unplayed, and the orchestrator offers the turn
 * again as an ordinary turn.
 */
export const TAKE_OFFERED_TURN = wholeTurnTaken(['playOfferedTurn']);

/**
 * The turn of almost every bidder of a population: it lost its last bid and bids again. Its whole
 * turn leaves its bids as many as they were, so the agent stays as it is: one guard, one action, and
 * no change to its context or its state.
 */
export const KEEP_AWAITING_OFFERED_TURN = { guard: 'isWholeTurnKeepingItsBidsOpen', actions: 'playOfferedTurn' } as const;
export const KEEP_AWAITING_TURN = { guard: 'isWholeTurnKeepingItsBidsOpen', actions: PLAY_WHOLE_TURN } as const;

/**
 * A turn's phase is its state: bidding before the allocation, executing inside a won window. A mind
 * answers the turn as it begins: when its answer asks nothing of the world but bids the market takes
 * and notes, the turn is performed and ended in this one step; otherwise the agent starts the turn
 * acting. A brain of its own is prompted.
 */
export const TAKE_TURN = [
  ...wholeTurnTaken(PLAY_WHOLE_TURN),
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
export const TURN = {
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
        { guard: and(['nextIsTurnEnd', 'hasNoOpenBids']), target: '#agent.dormant', actions: ENDED },
        { guard: 'nextIsTurnEnd', target: '#agent.awaitingAllocation', actions: ENDED },
        { guard: and(['answerIsSpent', 'hasMind']), actions: ['keepResultsAsPrompt', 'think'] },
        { guard: 'answerIsSpent', target: 'thinking', actions: 'keepResultsAsPrompt' },
        { guard: and(['turnActionLimitReached', 'hasNoOpenBids']), target: '#agent.dormant', actions: ENDED_CUT_OFF },
        { guard: 'turnActionLimitReached', target: '#agent.awaitingAllocation', actions: ENDED_CUT_OFF },
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
          { guard: and(['resultEndsTurn', 'hasNoOpenBidsAfterResult']), target: '#agent.dormant', actions: [...TAKE_RESULT, ...ENDED] },
          { guard: 'resultEndsTurn', target: '#agent.awaitingAllocation', actions: [...TAKE_RESULT, ...ENDED] },
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

/** A brain's crash before its turn is called: the orchestrator hears of it when it calls the turn. */
const CRASHED_AHEAD = { 'xstate.error.actor.brain': { target: '#agent.brainFailed', actions: 'rememberBrainFailure' } } as const;

/**
 * A bidding turn is a turn that may be announced ahead (`concurrent_turns`): the brain thinks over it
 * while others take theirs, and the agent acts on the answer only once its turn is called. A turn
 * abandoned before it was called (the brain's deadline) ends as the orchestrator calls it.
 */
export const BIDDING_TURN = {
  ...TURN,
  states: {
    ...TURN.states,
    thinkingAhead: {
      entry: 'promptBrain',
      on: {
        'brain.act': { target: 'answeredAhead', actions: 'takeAnswer' },
        'turn.called': { target: 'awaitingAnswer', actions: 'tellBrainTurnCalled' },
        'turn.abandoned': { target: 'abandonedAhead', actions: 'rememberAbandonment' },
        ...CRASHED_AHEAD,
      },
    },
    answeredAhead: { on: { 'turn.called': { target: 'acting', actions: 'tellBrainTurnCalled' }, ...CRASHED_AHEAD } },
    /** Called while its brain still thinks: the agent waits for the answer, as in `thinking`. */
    awaitingAnswer: { on: { 'brain.act': { target: 'acting', actions: 'takeAnswer' } } },
    abandonedAhead: {
      on: {
        'turn.called': [
          { guard: 'hasNoOpenBids', target: '#agent.dormant', actions: ['reportAbandonedAhead', 'forgetResults'] },
          { target: '#agent.awaitingAllocation', actions: ['reportAbandonedAhead', 'forgetResults'] },
        ],
        ...CRASHED_AHEAD,
      },
    },
  },
} as const;

/** A bidding turn announced ahead begins with the brain thinking over it. */
export const TAKE_ANNOUNCED_TURN = { target: 'bidding.thinkingAhead', actions: 'beginTurn' } as const;
