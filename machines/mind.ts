import { isLeft } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../domain/codec/error-message';
import type { DomainEvent } from '../domain/economy/events';
import {
  answered,
  noticed,
  type ActionResult,
  type BrainAction,
  type BrainAnswer,
  type BrainDefinition,
  type BrainPrompt,
  type Reasoning,
  type Reflection,
  type ToolCall,
  type TurnStarted,
} from './brains/protocol';
import type { Market } from './market';
import type { ToolEffect } from './tools/tool';
import { COMPLETED, CUT_OFF, type TurnEnding } from './turn-ending';
import type { OpenWindow } from './turn-offer';
import type { WorldState } from './world/state';
import type { BidOrder } from './tools/market';
import { isPerformedByScheduler, reachesOutsideTheWorld } from './tools/registry';

/**
 * A brain defined as plain functions (`defineBrain`), which its agent asks inside its own steps: its
 * answers, and the turns it can play whole. A whole turn is performed and ended in the one step that
 * offers it, which is what makes an agent-cycle of a population cost one agent transition.
 */

/**
 * A brain the agent asks directly. Like a brain that is an actor of its own, it keeps its state to
 * itself: its memory, and the results of the answer that ended its last turn, which it is told with
 * its next. The agent's actions change both as they ask it, so that a whole turn changes nothing in
 * the agent's context: an XState `assign` copies the agent's snapshot, which cost a third of a
 * population's agent-cycle.
 */
export class Mind {
  /** The results of the answer that ended its last turn, told with its next. */
  toldNext: readonly ActionResult[] = [];

  constructor(
    readonly definition: BrainDefinition<unknown>,
    public memory: unknown,
  ) {}

  /** The mind gave this answer: its memory is the one it answered with. */
  gave(answer: MindAnswer): void {
    if (!('failure' in answer)) this.memory = answer.memory;
  }

  /** The mind's turn was played whole: what it is told with its next turn is what came of it. */
  played(whole: WholeTurn): void {
    this.memory = whole.memory;
    this.toldNext = whole.results;
  }

  heard(notice: DomainEvent): void {
    this.memory = noticed(this.definition, this.memory, notice);
  }
}

/** What a mind answered a prompt with, and its memory after; or why it failed to answer. */
export type MindAnswer = { readonly memory: unknown; readonly answer: BrainAnswer } | { readonly failure: string };

export function ask(mind: Mind, prompt: BrainPrompt): MindAnswer {
  return answerOf(mind.definition, mind.memory, prompt);
}

/** What a mind with this memory answers the prompt with: planning a turn asks it again without changing it. */
function answerOf(definition: BrainDefinition<unknown>, memory: unknown, prompt: BrainPrompt): MindAnswer {
  try {
    const [remembered, answer] = answered(definition, memory, prompt);
    // Asked again at once, a mind that answers nothing would keep the agent acting forever.
    if (Array.isArray(answer) && answer.length === 0) return { failure: 'brain_failed: an empty batch of actions' };
    return { memory: remembered, answer };
  } catch (error) {
    return { failure: `brain_failed: ${errorMessage(error)}` };
  }
}

/**
 * The last turn a mind was asked about, and what came of it: the guards that look at a turn and the
 * action that takes it run one after another in one step, so one entry serves them all. (A WeakMap
 * entry for every turn of a population cost the collector more than the asking.) Asking again is
 * only slower: a mind's answer depends on its memory and the prompt alone, and a mind's memory changes
 * only as it gives an answer or hears a notice.
 */
interface AskedTurn {
  readonly mind: Mind;
  readonly memory: unknown;
  readonly turn: TurnStarted;
  readonly answer: MindAnswer;
  whole?: WholeTurn | null;
}

let lastAsked: AskedTurn | undefined;

function askedTurn(mind: Mind, turn: TurnStarted, prompt: () => BrainPrompt): AskedTurn {
  if (lastAsked === undefined || lastAsked.turn !== turn || lastAsked.mind !== mind || lastAsked.memory !== mind.memory) {
    lastAsked = { mind, memory: mind.memory, turn, answer: ask(mind, prompt()) };
  }
  return lastAsked;
}

/** A mind's answer to a turn, asked once for the guards that look at it and the action that takes it. */
export function answerToTurn(mind: Mind, turn: TurnStarted, prompt: BrainPrompt): MindAnswer {
  return askedTurn(mind, turn, () => prompt).answer;
}

/** The prompt a turn is: the turn, with the results of the answer that ended the last one. */
export function promptOfTurn(turn: TurnStarted, results: readonly ActionResult[]): BrainPrompt {
  if (results.length === 0) return turn;
  // Written out rather than spread: once a population's turns are in, V8 spreads a turn at several times the cost.
  const { type, phase, observation, notices } = turn;
  return notices === undefined ? { type, phase, observation, results } : { type, phase, observation, notices, results };
}

export type PlacedBid = { readonly kind: 'bid'; readonly call: ToolCall; readonly order: BidOrder };
/** A tool call of the world's, performed on the window's world as the orchestrator performs the calls it is asked for. */
export type PerformedCall = { readonly kind: 'call'; readonly call: ToolCall; readonly effect: ToolEffect };
/** A call refused before it was made, its arguments malformed: recorded as made, and failed. */
export type RefusedCall = { readonly kind: 'refused'; readonly call: ToolCall; readonly reason: string };

/** A turn played whole: what it performs, in order, and how it ends. */
export interface WholeTurn {
  readonly memory: unknown;
  readonly performed: readonly (PlacedBid | PerformedCall | RefusedCall | Reasoning | Reflection)[];
  /** What the brain is told of its last answer's actions with its next turn, as for any turn that ends. */
  readonly results: readonly ActionResult[];
  readonly bids: number;
  /** The bids the turn closes as it begins (`bidsClosedBy`). */
  readonly closes: number;
  readonly ending: TurnEnding;
  /** The window's world after the turn's calls: a window offered at once hands it back to the orchestrator. */
  readonly world?: WorldState;
}

/** What of the agent a whole turn depends on. */
export interface Player {
  readonly agent_id: string;
  readonly maxActions: number;
  readonly mind?: Mind;
  readonly market?: Market;
  readonly brainFailure?: string;
}

/**
 * The turn as a whole, when everything the mind answers can be performed in the step that offers the
 * turn: notes, calls refused for their arguments, at most one bid the market will take, and in a
 * window offered at once (`window`) the tools of the world's, performed on the window's world. The
 * mind is asked again as each answer is spent, with what came of it, until it ends the turn or uses up
 * the turn's actions, exactly as a turn performed a step at a time asks it; anything else (a tool of
 * the world's outside such a window, a bid refused or in a window, a spawn, a failing mind) is
 * performed a step at a time. Planned once for the turn offered, for the guards and the action that
 * plays it: the mind and the world are left as they were until it is played.
 */
export function wholeTurnOf(player: Player, turn: TurnStarted, window?: OpenWindow): WholeTurn | undefined {
  const { mind, market } = player;
  if (mind === undefined || market === undefined || player.brainFailure !== undefined) return undefined;
  const asked = askedTurn(mind, turn, () => promptOfTurn(turn, mind.toldNext));
  asked.whole ??= planTurn(player, mind, market, asked.answer, bidsClosedBy(turn), window) ?? null;
  return asked.whole ?? undefined;
}

/**
 * The agent's open bids a turn closes as it begins: the won bid an executing turn spends, and those
 * that lost at allocation, whose rejections it is told with the turn.
 */
export function bidsClosedBy(turn: TurnStarted): number {
  let closed = turn.phase === 'executing' ? 1 : 0;
  const { notices } = turn;
  if (notices !== undefined) for (let index = 0; index < notices.length; index += 1) if (notices[index]!.type === 'bid_rejected') closed += 1;
  return closed;
}

/** A tool call's arguments as the agent records and sends them. */
const argumentsOf = (call: ToolCall): Readonly<Record<string, unknown>> => call.arguments ?? {};

/** The turn the mind's answers make, from its first answer on, if it can be played whole. */
function planTurn(player: Player, mind: Mind, market: Market, first: MindAnswer, closes: number, window: OpenWindow | undefined): WholeTurn | undefined {
  const performed: (PlacedBid | PerformedCall | RefusedCall | Reasoning | Reflection)[] = [];
  let world = window?.world;
  let bids = 0;
  let answer = first;
  for (;;) {
    if ('failure' in answer) return undefined;
    const single = !Array.isArray(answer.answer);
    const actions: readonly BrainAction[] = single ? [answer.answer as BrainAction] : (answer.answer as readonly BrainAction[]);
    const results: ActionResult[] = [];
    let notPerformed = 0;
    let ending: TurnEnding | undefined;
    for (let index = 0; index < actions.length; index += 1) {
      const action = actions[index]!;
      if (action.kind === 'end_turn') {
        ending = COMPLETED;
        break;
      }
      if (performed.length >= player.maxActions) {
        ending = CUT_OFF;
        break;
      }
      let result: ActionResult;
      if (action.kind !== 'tool') {
        performed.push(action);
        result = { type: 'action.recorded', kind: action.kind };
      } else if (action.refusal !== undefined) {
        performed.push({ kind: 'refused', call: action, reason: action.refusal });
        result = { type: 'tool.result', tool_name: action.tool_name, result: 'failure', reason: action.refusal };
      } else if (isPerformedByScheduler(action.tool_name)) {
        // A window's calls change balances the market judges bids by: a bid in one goes a step at a time.
        if (bids > 0 || window !== undefined) return undefined;
        const order = market.orderOf(argumentsOf(action));
        if (isLeft(order) || !market.canAfford(player.agent_id, order.right)) return undefined;
        performed.push({ kind: 'bid', call: action, order: order.right });
        result = { type: 'tool.result', tool_name: action.tool_name, result: 'success', response: { bid_id: market.book.nextBidId(), total_cost: order.right.amount } };
        bids += 1;
      } else {
        // A call the world alone answers is performed as the window is planned; one reaching outside it, only when made.
        if (window === undefined || world === undefined || reachesOutsideTheWorld(action.tool_name)) return undefined;
        const effect = window.perform(world, action);
        if (effect.spawn !== undefined) return undefined;
        world = effect.world;
        performed.push({ kind: 'call', call: action, effect });
        result = { type: 'tool.result', tool_name: action.tool_name, ...effect.outcome };
      }
      results.push(result);
      // A batch stops at its first failed call.
      if (result.type === 'tool.result' && result.result === 'failure') {
        notPerformed = actions.length - index - 1;
        break;
      }
    }
    if (ending !== undefined) {
      const { memory } = answer;
      return world === undefined ? { memory, performed, results, bids, closes, ending } : { memory, performed, results, bids, closes, ending, world };
    }
    // The answer is spent: the mind is asked again with what came of it.
    const prompt: BrainPrompt = single && results[0] !== undefined ? results[0] : { type: 'actions.performed', results, not_performed: notPerformed };
    answer = answerOf(mind.definition, answer.memory, prompt);
  }
}
