import { assertEvent } from 'xstate';
import type { AgentEvent } from '../messages';
import { isPerformedByScheduler } from '../tools/registry';
import { nextAction, openBidsAfter, openBidsAfterWholeTurn, placesBid, wholeTurnIn } from './answer';
import type { AgentContext } from './setup';

type AgentGuard = (args: { readonly context: AgentContext; readonly event: AgentEvent }) => boolean;

/** What the agent's transitions ask of its context and the event: which kind of turn, what the answer does next, whether bids are open. */
export const agentGuards = {
  hasMind: ({ context }) => context.mind !== undefined,
  isWholeTurn: ({ context, event }) => wholeTurnIn(context, event) !== undefined,
  leavesBidsOpen: ({ context, event }) => openBidsAfterWholeTurn(context, event) > 0,
  /** The turn is whole and leaves as many bids open as there were, some: the agent's count of them stays as it is. */
  isWholeTurnKeepingItsBidsOpen: ({ context, event }) => {
    const whole = wholeTurnIn(context, event);
    if (whole === undefined) return false;
    const after = openBidsAfter(context, whole);
    return after > 0 && after === context.openBids;
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
} satisfies Record<string, AgentGuard>;
