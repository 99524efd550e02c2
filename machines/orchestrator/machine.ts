import { Market } from '../market';
import { NoticeBoard } from '../notice-board';
import { orchestratorWithActions } from './actions';
import { orchestratorGuards } from './guards';
import { withAgentsCreated } from './roster';

/**
 * The world's loop. Each cycle: a bidding turn for every live, awake agent; the scheduler's
 * allocation; an execution window for each winner in clearing order; the market update; the human's
 * answers to prompts; the death check. It owns the economy's state and performs every tool call
 * except bids, which agents place with the scheduler.
 */

export const orchestratorMachine = orchestratorWithActions.extend({ guards: orchestratorGuards }).createMachine({
  id: 'orchestrator',
  context: ({ input, self }) => {
    const market = new Market(input.bus, input.world.ledger.balances);
    const base = { bus: input.bus, world: input.world, maxActions: input.max_actions_per_turn, market };
    const roster = withAgentsCreated({ order: [], agents: new Map() }, input.agents, self, base);
    return {
      ...base,
      env: input.env,
      cycles: input.cycles,
      roster,
      deaths: 0,
      bidders: [],
      announced: new Set<string>(),
      concurrentTurns: input.concurrent_turns,
      allocations: [],
      next: 0,
      opening: input.opening,
      notices: new NoticeBoard(),
      supply: input.supply,
    };
  },
  invoke: {
    id: 'scheduler',
    systemId: 'scheduler',
    src: 'scheduler',
    input: ({ context }) => ({ bus: context.bus, prices: context.world.prices, balances: context.world.ledger.balances, supply: context.supply, market: context.market }),
  },
  entry: ['recordOpening', 'startAllAgents'],
  initial: 'ready',
  on: {
    'tool.request': { actions: 'performToolCall' },
  },
  states: {
    ready: {
      on: {
        'cycle.run': { target: 'cycle', actions: 'beginCycle' },
        'run.finish': { target: 'finished', actions: 'releaseUnansweredPrompts' },
      },
    },
    cycle: {
      initial: 'bidding',
      always: { guard: 'hasFailed', target: 'halted' },
      states: {
        bidding: {
          entry: ['queueBidders', 'announceTurns', 'offerBiddingTurns'],
          always: { guard: 'allBiddersHadTheirTurn', target: 'allocating' },
          on: {
            'turns.offered': { actions: 'offerBiddingTurn' },
            'turn.ended': { guard: 'isTurnHolder', actions: ['endTurn', 'offerBiddingTurns'] },
          },
        },
        allocating: {
          entry: 'requestAllocation',
          on: { 'allocation.done': { target: 'executing', actions: ['chargeWinners', 'holdNotices', 'shareBalances'] } },
        },
        executing: {
          entry: 'offerWindows',
          always: { guard: 'allWindowsExecuted', target: 'updatingMarket' },
          on: {
            'windows.offered': { actions: 'callWindow' },
            'turn.ended': { guard: 'isTurnHolder', actions: ['closeExecution', 'endTurn', 'offerWindows'] },
          },
        },
        updatingMarket: {
          entry: 'requestMarketUpdate',
          on: { 'market.updated': { target: 'attention', actions: 'adoptPrices' } },
        },
        attention: {
          entry: 'answerPrompts',
          // The human's answers can fail the run (a score out of range); this state's own eventless
          // transition would otherwise be taken before the cycle's `hasFailed` check.
          always: [{ guard: 'hasFailed', target: '#orchestrator.halted' }, { target: 'deathCheck' }],
        },
        deathCheck: {
          entry: 'buryTheDead',
          always: [
            { guard: 'runIsOver', target: '#orchestrator.finished', actions: 'releaseUnansweredPrompts' },
            { target: '#orchestrator.ready' },
          ],
        },
      },
    },
    // Terminal, but deliberately not `type: 'final'`: XState stops a finished machine's children one
    // by one, copying its map of children each time, which is quadratic in the population.
    finished: {},
    halted: {},
  },
});
