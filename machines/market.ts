import type { Either } from 'fp-ts/lib/Either.js';
import type { Bid } from '../domain/economy/auction';
import { roundCredits } from '../domain/economy/credits';
import { balanceIn, type Balances } from '../domain/economy/ledger';
import type { ToolOutcome } from './brains/protocol';
import type { EventBus } from './event-bus';
import type { Bidder } from './messages';
import { OrderBook } from './order-book';
import { readBid, type BidOrder } from './tools/market';

/**
 * The cycle's market, as bids are placed in it: the order book, and the ledger's balances as the
 * orchestrator last shared them with the scheduler. The orchestrator makes it and hands it to the
 * scheduler, which judges the bids sent to it here and clears it each allocation; an agent
 * whose brain answers inside its own steps places its bids here directly, in the step that performs
 * them, rather than sending each to the scheduler and waiting for its answer. Both ways a bid is
 * judged, recorded and answered by the same code below, so the trace cannot tell them apart.
 */
/** What placing a bid answers: it always succeeds, the order having been checked before. */
export type AcceptedBid = { readonly result: 'success'; readonly response: { readonly bid_id: string; readonly total_cost: number } };

export class Market {
  readonly book = new OrderBook();
  #balances: Balances;

  constructor(
    readonly bus: EventBus,
    balances: Balances,
  ) {
    this.#balances = balances;
  }

  /** The ledger's balances changed (a tool call, the allocation's charge). */
  adopt(balances: Balances): void {
    this.#balances = balances;
  }

  /**
   * What the agent can still offer: its balance less its other open bids. The scheduler judges by the
   * balances in its own context, which its model-based tests follow; they are the same as these.
   */
  availableFor(agentId: string, balances: Balances = this.#balances): number {
    return roundCredits(balanceIn(balances, agentId) - this.book.committedBy(agentId));
  }

  /** The bid's arguments read as an order, or the failure a malformed bid is answered with. */
  orderOf(args: Readonly<Record<string, unknown>>): Either<ToolOutcome, BidOrder> {
    return readBid(args);
  }

  canAfford(agentId: string, order: BidOrder, balances: Balances = this.#balances): boolean {
    return order.amount <= this.availableFor(agentId, balances);
  }

  /** Places an affordable order, records it and answers it. */
  place(agentId: string, bidder: Bidder, { amount, bundle }: BidOrder): AcceptedBid {
    const bid: Bid = this.book.place(agentId, bidder, amount, bundle);
    this.bus.emit('bid_placed', agentId, { agent_id: agentId, bid_id: bid.bid_id, bundle, total_cost: amount });
    return { result: 'success', response: { bid_id: bid.bid_id, total_cost: amount } };
  }

  /** Refuses an order the agent cannot afford, records the refusal and answers it. */
  refuse(agentId: string, order: BidOrder, balances: Balances): ToolOutcome {
    const refusal = { agent_id: agentId, reason: 'insufficient_balance', required: order.amount, available: this.availableFor(agentId, balances) };
    this.bus.emit('bid_rejected', agentId, refusal);
    return { result: 'failure', reason: 'insufficient_balance', response: refusal };
  }
}
