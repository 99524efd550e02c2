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
import type { BidOrder } from './tools/market';
import { isPerformedByScheduler } from './tools/registry';

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
  try {
    const [memory, answer] = answered(mind.definition, mind.memory, prompt);
    // Asked again at once, a mind that answers nothing would keep the agent acting forever.
    if (Array.isArray(answer) && answer.length === 0) return { failure: 'brain_failed: an empty batch of actions' };
    return { memory, answer };
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

/** A turn that asks nothing of the world but one bid the market takes, and notes. */
export interface WholeTurn {
  readonly memory: unknown;
  readonly performed: readonly (PlacedBid | Reasoning | Reflection)[];
  /** What the brain is told of them with its next turn, as for any answer that ends a turn. */
  readonly results: readonly ActionResult[];
  readonly bids: number;
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
 * The turn as a whole, when the mind's answer is notes and at most one bid the market will take,
 * within the turn's actions, then the end of the turn. Anything else (a tool of the world's, a bid
 * refused or malformed, an answer that does not end the turn) is performed a step at a time. Planned
 * once for the turn offered (the mind is asked the turn with the results of the answer that ended its
 * last turn), for the guards and the action that plays it.
 */
export function wholeTurnOf(player: Player, turn: TurnStarted): WholeTurn | undefined {
  const { mind, market } = player;
  if (mind === undefined || market === undefined || player.brainFailure !== undefined) return undefined;
  const asked = askedTurn(mind, turn, () => promptOfTurn(turn, mind.toldNext));
  asked.whole ??= planAnswer(player, market, asked.answer) ?? null;
  return asked.whole ?? undefined;
}

/** The answer's actions as a whole turn, if they make one. */
function planAnswer(player: Player, market: Market, answer: MindAnswer): WholeTurn | undefined {
  if ('failure' in answer) return undefined;
  const performed: (PlacedBid | Reasoning | Reflection)[] = [];
  const results: ActionResult[] = [];
  let bids = 0;
  for (const action of Array.isArray(answer.answer) ? answer.answer : [answer.answer as BrainAction]) {
    if (action.kind === 'end_turn') return { memory: answer.memory, performed, results, bids };
    if (performed.length >= player.maxActions) return undefined;
    if (action.kind === 'tool') {
      if (bids > 0 || action.refusal !== undefined || !isPerformedByScheduler(action.tool_name)) return undefined;
      const order = market.orderOf(action.arguments ?? {});
      if (isLeft(order) || !market.canAfford(player.agent_id, order.right)) return undefined;
      performed.push({ kind: 'bid', call: action, order: order.right });
      results.push({ type: 'tool.result', tool_name: action.tool_name, result: 'success', response: { bid_id: market.book.nextBidId(), total_cost: order.right.amount } });
      bids += 1;
    } else {
      performed.push(action);
      results.push({ type: 'action.recorded', kind: action.kind });
    }
  }
  return undefined;
}
