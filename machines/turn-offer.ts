import type { TurnStarted } from './brains/protocol';

/**
 * A bidding turn offered to be played at once: the orchestrator offers bidders their turns one after
 * another within one step of its own, and an agent whose brain answers in the agent's own steps plays
 * the turn whole as it is offered and says so here. A turn not played (the brain is an actor of its
 * own, or the answer asks something of the world) is offered again as an ordinary turn, which the
 * orchestrator waits for. Offers are what make a population's agent-cycle one delivery.
 */
export class TurnOffer {
  #played = false;

  constructor(readonly turn: TurnStarted) {}

  /** The agent played the turn whole: it has ended. */
  play(): void {
    this.#played = true;
  }

  get played(): boolean {
    return this.#played;
  }
}
