import type { DomainEvent } from '../domain/economy/events';

/**
 * Notices waiting for their agents' next turns: the rejections of bids that lost at allocation. The
 * orchestrator's one mutable structure, touched only by it: a lost bid is told with the turn that
 * follows rather than delivered on its own, and copying a map of ten thousand agents' notices on
 * every turn would make a cycle quadratic.
 */
export class NoticeBoard {
  #waiting = new Map<string, DomainEvent[]>();

  post(notices: readonly DomainEvent[]): void {
    for (const notice of notices) {
      const agentId = notice.agent_id;
      const waiting = this.#waiting.get(agentId);
      if (waiting === undefined) this.#waiting.set(agentId, [notice]);
      else waiting.push(notice);
    }
  }

  /** The agent's notices, in the order they were posted, left on the board: for a turn that may not be played. */
  peek(agentId: string): readonly DomainEvent[] | undefined {
    return this.#waiting.get(agentId);
  }

  /** The agent's notices, in the order they were posted, taken off the board. */
  take(agentId: string): readonly DomainEvent[] | undefined {
    const waiting = this.#waiting.get(agentId);
    if (waiting !== undefined) this.#waiting.delete(agentId);
    return waiting;
  }

  /** The dead are told nothing more. */
  discard(agentIds: readonly string[]): void {
    for (const agentId of agentIds) this.#waiting.delete(agentId);
  }
}
