import type { ToolCall, TurnStarted } from './brains/protocol';
import type { TurnEnding } from './turn-ending';
import type { ToolEffect } from './tools/tool';
import type { WorldState } from './world/state';

/**
 * A won window offered to be played at once: the world it opens on, and how the orchestrator performs
 * a tool call of the world's on a world, as it performs those an agent asks it for a step at a time.
 */
export interface OpenWindow {
  readonly world: WorldState;
  readonly perform: (world: WorldState, call: ToolCall) => ToolEffect;
}

/**
 * A turn offered to be played at once: the orchestrator offers bidders their turns, and winners their
 * windows, one after another within one step of its own, and an agent whose brain answers in the
 * agent's own steps plays the turn whole as it is offered and says so here, with how it ended and,
 * for a window, the world its calls left. A turn not played (the brain is an actor of its own, or the
 * answer asks what cannot be done within the step) is offered again as an ordinary turn, which the
 * orchestrator waits for. Offers are what make a population's agent-cycle one delivery.
 */
export class TurnOffer {
  #ending: TurnEnding | undefined;
  #worldAfter: WorldState | undefined;

  constructor(
    readonly turn: TurnStarted,
    readonly window?: OpenWindow,
  ) {}

  /** The agent played the turn whole: it ended so, leaving a window's world so. */
  play(ending: TurnEnding, worldAfter?: WorldState): void {
    this.#ending = ending;
    this.#worldAfter = worldAfter;
  }

  get played(): boolean {
    return this.#ending !== undefined;
  }

  /** How the turn ended, once played. */
  get ending(): TurnEnding | undefined {
    return this.#ending;
  }

  /** The world a window played whole left. */
  get worldAfter(): WorldState | undefined {
    return this.#worldAfter;
  }
}
