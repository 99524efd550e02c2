import type { Bid } from '../domain/economy/auction';
import { roundCredits } from '../domain/economy/credits';
import type { ResourceBundle } from '../domain/economy/resources';
import type { Bidder } from './messages';

function bidId(sequence: number): string {
  return `bid-${String(sequence).padStart(6, '0')}`;
}

/**
 * The scheduler's open bids for the next allocation, with what each agent has committed to them.
 * It is mutable, and held by the scheduler's market (`market.ts`): the scheduler and the agents that
 * place their bids there directly write to it, one turn at a time. With ten thousand bids a cycle,
 * copying the book on every bid would make placement quadratic.
 */
export class OrderBook {
  #bids: Bid[] = [];
  #committed = new Map<string, number>();
  #bidders = new Map<string, Bidder>();
  #placed = 0;
  /** The next bid's id, made once for the plan that reads it and the placement that gives it. */
  #nextId: string | undefined;

  /** Credits the agent has offered in bids still open. */
  committedBy(agentId: string): number {
    return this.#committed.get(agentId) ?? 0;
  }

  /** The id the next bid placed will have. */
  nextBidId(): string {
    this.#nextId ??= bidId(this.#placed + 1);
    return this.#nextId;
  }

  place(agentId: string, bidder: Bidder, amount: number, bundle: ResourceBundle): Bid {
    const bid_id = this.nextBidId();
    this.#nextId = undefined;
    this.#placed += 1;
    const bid: Bid = { bid_id, agent_id: agentId, amount, bundle, sequence: this.#placed };
    this.#bids.push(bid);
    this.#committed.set(agentId, roundCredits(this.committedBy(agentId) + amount));
    this.#bidders.set(agentId, bidder);
    return bid;
  }

  /** Removes an open bid and answers who placed it; undefined when no open bid has that id. */
  withdraw(bidId: string): Bidder | undefined {
    const index = this.#bids.findIndex((bid) => bid.bid_id === bidId);
    if (index < 0) return undefined;
    const [bid] = this.#bids.splice(index, 1) as [Bid];
    this.#committed.set(bid.agent_id, roundCredits(this.committedBy(bid.agent_id) - bid.amount));
    return this.#bidders.get(bid.agent_id);
  }

  /** The open bids in placement order. */
  openBids(): readonly Bid[] {
    return this.#bids;
  }

  /** After an allocation has decided every open bid. */
  empty(): void {
    this.#bids = [];
    this.#committed = new Map();
    this.#bidders = new Map();
  }
}
