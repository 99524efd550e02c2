import { assertEvent, assign, enqueueActions, sendParent, setup } from 'xstate';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { clearAuction, FULL_SUPPLY, type ClearingResult, type Supply } from '../domain/economy/auction';
import type { Balances } from '../domain/economy/ledger';
import { discoverPrices, type PriceUpdate, type Prices } from '../domain/economy/pricing';
import type { ToolOutcome } from './brains/protocol';
import type { EventBus } from './event-bus';
import type { EventOfType } from '../domain/economy/events';
import type { AgentEvent, Allocation, Bidder, SchedulerEvent, SchedulerReport, ToolResponse } from './messages';
import { Market } from './market';
import { bid as marketBid, type BidOrder } from './tools/market';

/**
 * The market: keeps the order book, answers each bid an agent places with it, and on the
 * orchestrator's request clears the book (one allocation) and publishes the prices that clearing
 * discovered. Whether a bid can be afforded it judges from the balances the orchestrator, which owns
 * the ledger, shares with it whenever they change.
 */

export interface SchedulerInput {
  readonly bus: EventBus;
  readonly prices: Prices;
  readonly balances: Balances;
  /** Capacity on offer in each allocation; all of every resource when absent. */
  readonly supply?: Supply;
  /** The market agents place bids in directly, shared with them; a market of its own when absent. */
  readonly market?: Market;
}

interface SchedulerContext {
  readonly bus: EventBus;
  /** The order book, and the balances shared, for the agents that place their bids in it directly. */
  readonly market: Market;
  /** The ledger's balances as the orchestrator last shared them. */
  readonly balances: Balances;
  readonly prices: Prices;
  /** The last allocation: its winners' payments set the next prices. */
  readonly clearing: ClearingResult;
  readonly allocations: readonly Allocation[];
  /** The rejections of the last allocation's losers, recorded as the trace holds them. */
  readonly notices: readonly EventOfType<'bid_rejected'>[];
  readonly executions: number;
  readonly priceUpdates: readonly PriceUpdate[];
  readonly supply: Supply;
}

type PlaceBid = Extract<SchedulerEvent, { type: 'bid.place' }>;

const NO_CLEARING: ClearingResult = { winners: [], losers: [], reasons: [], remaining: FULL_SUPPLY };

/** The guards and the action of one placement all read its order: its arguments are checked once. */
const ordersByPlacement = new WeakMap<PlaceBid, Either<ToolOutcome, BidOrder>>();

function orderOf(placement: PlaceBid, market: Market): Either<ToolOutcome, BidOrder> {
  let order = ordersByPlacement.get(placement);
  if (order === undefined) {
    order = market.orderOf(placement.arguments);
    ordersByPlacement.set(placement, order);
  }
  return order;
}

/** Only a well-formed placement gets past the `isMalformedBid` guard to the guards and actions that use its order. */
function validOrderOf(placement: PlaceBid, market: Market): BidOrder {
  const order = orderOf(placement, market);
  if (isLeft(order)) throw new Error(`a malformed bid reached the order book: ${JSON.stringify(placement.arguments)}`);
  return order.right;
}

function answer(bidder: Bidder, outcome: ToolOutcome): void {
  bidder.send({ type: 'tool.response', tool_name: marketBid.name, outcome } satisfies ToolResponse);
}

function executionId(number: number): string {
  return `exec-${String(number).padStart(6, '0')}`;
}

/*
 * Answers to agents go out from the action that records the event they report (`bidder.send`), so
 * that an agent hears of exactly the event the trace holds. A bid's answer is its action's last step,
 * so whatever the agent does next is recorded after it. The losers of an allocation hear of it with
 * their next turn: the scheduler hands their rejections to the orchestrator, which holds them until then.
 */
export const schedulerMachine = setup({
  types: {} as { context: SchedulerContext; events: SchedulerEvent; input: SchedulerInput },
  actions: {
    refuseMalformedBid: ({ context, event }) => {
      assertEvent(event, 'bid.place');
      const placement = event;
      const order = orderOf(placement, context.market);
      if (isLeft(order)) answer(placement.bidder, order.left);
    },
    placeBid: ({ context, event }) => {
      assertEvent(event, 'bid.place');
      const { agent_id, bidder } = event;
      answer(bidder, context.market.place(agent_id, bidder, validOrderOf(event, context.market)));
    },
    refuseBid: ({ context, event }) => {
      assertEvent(event, 'bid.place');
      const { agent_id, bidder } = event;
      answer(bidder, context.market.refuse(agent_id, validOrderOf(event, context.market), context.balances));
    },
    adoptBalances: assign({
      balances: ({ event }) => {
        assertEvent(event, 'balances.shared');
        return event.balances;
      },
    }),
    shareBalancesWithMarket: ({ context }) => context.market.adopt(context.balances),
    withdrawBid: ({ context, event }) => {
      assertEvent(event, 'bid.withdraw');
      const { bid_id } = event;
      const bidder = context.market.book.withdraw(bid_id);
      bidder?.send({ type: 'bid.withdrawn' } satisfies AgentEvent);
    },
    clear: assign(({ context, event }) => {
      assertEvent(event, 'allocation.run');
      const { balances } = event;
      const clearing = clearAuction(context.market.book.openBids(), balances, context.supply);
      const allocations = clearing.winners.map((bid, index) => ({ bid, execution_id: executionId(context.executions + index + 1) }));
      return { clearing, allocations, executions: context.executions + allocations.length };
    }),
    recordClearing: enqueueActions(({ context, enqueue }) => {
      const { bus, market, clearing, allocations } = context;
      const notices: EventOfType<'bid_rejected'>[] = [];
      enqueue(() => {
        for (const { bid, execution_id } of allocations) {
          const { agent_id, bid_id, amount, bundle } = bid;
          bus.emit('bid_processed', agent_id, { bid_id, agent_id, amount, status: 'winning' });
          bus.emit('resources_allocated', agent_id, { agent_id, bid_id, execution_id, bundle, cost: amount });
          bus.emit('credits_burned', agent_id, { agent_id, amount, reason: 'resource_purchase' });
        }
        for (const [index, bid] of clearing.losers.entries()) {
          const reason = clearing.reasons[index]!;
          const { agent_id, bid_id, amount } = bid;
          bus.emit('bid_processed', agent_id, { bid_id, agent_id, amount, status: 'outbid' });
          notices.push(bus.notice('bid_rejected', agent_id, { agent_id, bid_id, reason }));
        }
        market.book.empty();
      });
      // The recording above has run by the time this assignment is resolved: `notices` holds the losers' rejections.
      enqueue.assign({ notices });
    }),
    /** The losers' rejections go to the orchestrator, to be told to their agents with their next turn. */
    reportAllocation: sendParent(({ context }): SchedulerReport => ({ type: 'allocation.done', allocations: context.allocations, notices: context.notices })),
    discoverPrices: assign(({ context }) => {
      const { prices, updates } = discoverPrices(context.prices, context.clearing.winners);
      return { prices, priceUpdates: updates, clearing: NO_CLEARING };
    }),
    recordPriceUpdates: ({ context }) => {
      for (const { resource, old_price, new_price } of context.priceUpdates) {
        context.bus.emit('price_update', 'system', { resource, old_price, new_price, reason: 'allocation_clearing' });
      }
    },
    reportPrices: sendParent(({ context }): SchedulerReport => ({ type: 'market.updated', prices: context.prices })),
  },
  guards: {
    isMalformedBid: ({ context, event }) => {
      assertEvent(event, 'bid.place');
      return isLeft(orderOf(event, context.market));
    },
    canAfford: ({ context, event }) => {
      assertEvent(event, 'bid.place');
      return context.market.canAfford(event.agent_id, validOrderOf(event, context.market), context.balances);
    },
  },
}).createMachine({
  id: 'scheduler',
  context: ({ input }) => ({
    bus: input.bus,
    market: input.market ?? new Market(input.bus, input.balances),
    balances: input.balances,
    prices: input.prices,
    clearing: NO_CLEARING,
    allocations: [],
    notices: [],
    executions: 0,
    priceUpdates: [],
    supply: input.supply ?? FULL_SUPPLY,
  }),
  initial: 'open',
  states: {
    open: {
      on: {
        'bid.place': [
          { guard: 'isMalformedBid', actions: 'refuseMalformedBid' },
          { guard: 'canAfford', actions: 'placeBid' },
          { actions: 'refuseBid' },
        ],
        'balances.shared': { actions: ['adoptBalances', 'shareBalancesWithMarket'] },
        'bid.withdraw': { actions: 'withdrawBid' },
        'allocation.run': { actions: ['clear', 'recordClearing', 'reportAllocation'] },
        'market.update': { actions: ['discoverPrices', 'recordPriceUpdates', 'reportPrices'] },
      },
    },
  },
});
