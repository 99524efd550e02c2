import { assertEvent } from 'xstate';
import { brainAct, type ActionResult, type BrainAct, type BrainAction, type BrainPrompt, type Reasoning, type Reflection, type ToolCall, type TurnStarted } from '../brains/protocol';
import { bidsClosedBy, promptOfTurn, wholeTurnOf, type Mind, type MindAnswer, type WholeTurn } from '../mind';
import type { AgentEvent, ToolResponse } from '../messages';
import { isPerformedByScheduler } from '../tools/registry';
import type { AgentContext } from './setup';

/** The answer an agent performs, and the turn it performs it in, as its guards and actions read and advance them. */

/** The next action of the answer being performed: what the guards and actions of `acting` read. */
export function nextAction(context: AgentContext): BrainAction | undefined {
  return context.batch[0];
}

/** Only a `tool` action gets past the `nextIsToolCall` and `nextIsBid` guards to the actions that perform it. */
export function nextToolCall(context: AgentContext): ToolCall {
  const action = nextAction(context);
  if (action?.kind !== 'tool') throw new Error(`expected a tool call, got ${action === undefined ? 'nothing' : `a ${action.kind} action`}`);
  return action;
}

/**
 * The next action performed and counted, with what came of it: the answer's actions after it remain,
 * or none once a call failed, since a batch stops at its first failed call.
 */
export function afterNext(context: AgentContext, result: ActionResult): Pick<AgentContext, 'batch' | 'results' | 'notPerformed' | 'actionsThisTurn'> {
  const rest = context.batch.slice(1);
  const failed = result.type === 'tool.result' && result.result === 'failure';
  return { batch: failed ? [] : rest, results: [...context.results, result], notPerformed: failed ? rest.length : 0, actionsThisTurn: context.actionsThisTurn + 1 };
}

/** An answer taken to be performed; the prompt it answers is let go, since a population holds one per agent. */
export function taken(act: BrainAct): Pick<AgentContext, 'batch' | 'answer' | 'results' | 'prompt'> {
  if ('actions' in act) return { batch: act.actions, answer: 'batch', results: [], prompt: undefined };
  return { batch: [act.action], answer: 'single', results: [], prompt: undefined };
}

/** A bid the market accepted: it stays open until the agent hears how it came out. */
export function placesBid({ tool_name, outcome }: ToolResponse): boolean {
  return isPerformedByScheduler(tool_name) && outcome.result === 'success';
}

/** What `think` makes of a mind's answer: the answer taken to be performed, or the failure. The mind keeps the memory it answered with. */
export function thought(mind: Mind, answer: MindAnswer): Partial<AgentContext> {
  mind.gave(answer);
  if ('failure' in answer) return { brainFailure: answer.failure, batch: [] };
  return taken(brainAct(answer.answer));
}

const TURN_EVENTS = ['turn.started', 'turn.offered', 'turn.announced'] as const;

/** The turn an event begins: a turn started, one offered to be played at once, or one announced ahead. */
export function turnOf(event: AgentEvent): TurnStarted {
  assertEvent(event, TURN_EVENTS);
  if (event.type === 'turn.offered') return event.offer.turn;
  return event.type === 'turn.announced' ? event.turn : event;
}

/** The prompt a turn is: the turn, with the results of the answer that ended the last one, which a mind keeps itself. */
export function promptOf(context: AgentContext, turn: TurnStarted): BrainPrompt {
  return promptOfTurn(turn, context.mind?.toldNext ?? context.results);
}

/** Bids the agent still waits to hear of once the turn has begun. */
export function openBidsAtTurn(context: AgentContext, turn: TurnStarted): number {
  return context.openBids - bidsClosedBy(turn);
}

/**
 * The turn the event begins, as its mind plays it whole, if it can: an offered window with the tools
 * of the world's performed on the window's world. A turn started rather than offered ends as the
 * agent reports it, completed: one its mind would have cut off goes a step at a time.
 */
export function wholeTurnIn(context: AgentContext, event: AgentEvent): WholeTurn | undefined {
  if (event.type === 'turn.offered') return wholeTurnOf(context, event.offer.turn, event.offer.window);
  const whole = wholeTurnOf(context, turnOf(event));
  return whole?.ending.reason === 'completed' ? whole : undefined;
}

/** Bids the agent waits to hear of after its mind's turn played whole: those left open, and those it placed. */
export function openBidsAfterWholeTurn(context: AgentContext, event: AgentEvent): number {
  const whole = wholeTurnIn(context, event);
  return whole === undefined ? openBidsAtTurn(context, turnOf(event)) : openBidsAfter(context, whole);
}

/** The same, for the turn's plan. */
export function openBidsAfter(context: AgentContext, whole: WholeTurn): number {
  return context.openBids - whole.closes + whole.bids;
}

export function recordNoteOf(context: AgentContext, note: Reasoning | Reflection): void {
  if (note.kind === 'reflection') {
    context.bus.emit('reflection', context.agent_id, { trigger: note.trigger, outcome_assessment: note.outcome_assessment });
  } else {
    const { kind: _kind, ...reasoning } = note;
    context.bus.emit('reasoning_trace', context.agent_id, reasoning);
  }
}

