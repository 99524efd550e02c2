import { assertEvent, assign, enqueueActions, sendTo, setup } from 'xstate';
import { isLeft } from 'fp-ts/lib/Either.js';
import { burnMany, balanceOf, type Balances } from '../domain/economy/ledger';
import type { Supply } from '../domain/economy/auction';
import { fork } from '../domain/economy/random';
import { agentMachineFor, type AgentInput, type AgentRef } from './agent';
import type { BrainLogic, Observation, Phase } from './brains/protocol';
import { answerPrompts, deathsDue, releaseUnansweredPrompts, wakeSleepers } from './world/cycle-steps';
import type { Emission, EventBus } from './event-bus';
import type { AgentEvent, Allocation, OrchestratorEvent, SchedulerEvent, ToolResponse } from './messages';
import { Market } from './market';
import { NoticeBoard } from './notice-board';
import { schedulerMachine } from './scheduler';
import { performTool } from './tools/perform';
import { TOKENS_PER_CAPACITY, type AgentSetup } from './world/config';
import type { ExecutionWindow, ToolEnvironment, WorldState } from './world/state';

/**
 * The world's loop. Each cycle: a bidding turn for every live, awake agent; the scheduler's
 * allocation; an execution window for each winner in clearing order; the market update; the human's
 * answers to prompts; the death check. It owns the economy's state and performs every tool call
 * except bids, which agents place with the scheduler.
 */

export interface OrchestratorInput {
  readonly bus: EventBus;
  readonly world: WorldState;
  /** Announcements of the world as configured (`agent_created`, `service_registered`), recorded at start. */
  readonly opening: readonly Emission[];
  readonly agents: readonly AgentSetup[];
  readonly env: ToolEnvironment;
  readonly cycles: number;
  readonly max_actions_per_turn: number;
  /** Capacity on offer in each allocation; all of every resource when absent. */
  readonly supply?: Supply;
}

export interface RosterEntry {
  readonly ref: AgentRef;
  /** What a child it spawns runs with, unless the spawn policy says otherwise. */
  readonly brain: BrainLogic;
}

/** The living agents, in the order they joined: the order they are offered their turns in. */
export interface Roster {
  readonly order: readonly string[];
  readonly agents: ReadonlyMap<string, RosterEntry>;
}

interface Turn {
  readonly agent_id: string;
  readonly phase: Phase;
}

export interface OrchestratorContext {
  readonly bus: EventBus;
  readonly env: ToolEnvironment;
  readonly cycles: number;
  readonly maxActions: number;
  readonly supply?: Supply;
  readonly world: WorldState;
  readonly roster: Roster;
  readonly deaths: number;
  /** The agents offered a bidding turn this cycle. */
  readonly bidders: readonly string[];
  /** This cycle's won bids, executed in clearing order. */
  readonly allocations: readonly Allocation[];
  /** The next bidder or allocation to offer a turn to. */
  readonly next: number;
  readonly turn?: Turn;
  readonly opening: readonly Emission[];
  /** Agents of the configuration not started yet: they start a group at a time before the first cycle. */
  readonly joining: readonly AgentSetup[];
  /** Lost bids' rejections, held for their agents' next turns. */
  readonly notices: NoticeBoard;
  /** The scheduler's order book, where agents whose brains answer in their own steps place their bids. */
  readonly market: Market;
  /** Why the run had to stop; set only when something the economy guarantees did not hold. */
  readonly error?: string;
}

function observe(world: WorldState, agentId: string): Observation {
  const observation = { agent_id: agentId, cycle: world.cycle, balance: balanceOf(world.ledger, agentId), prices: world.prices };
  const window = world.window;
  if (window === undefined || window.agent_id !== agentId) return observation;
  const { execution_id, bid_id, bundle, token_budget } = window;
  return { ...observation, execution: { execution_id, bid_id, bundle, token_budget } };
}

/** XState's `spawn`, as the orchestrator uses it: for agents. */
type SpawnAgent = (machine: ReturnType<typeof agentMachineFor>, options: { systemId: string; input: AgentInput }) => AgentRef;

/** An agent to start: its id and the brain it runs with. */
type Newcomer = Pick<AgentSetup, 'id' | 'brain'>;

/**
 * Starts agents as actors and adds them to the roster, in order, copying the roster once. Each is
 * registered as `agent:<id>`, with its own stream forked from the run's seed.
 */
function withAgentsStarted(
  roster: Roster,
  newcomers: readonly Newcomer[],
  spawn: SpawnAgent,
  context: Pick<OrchestratorContext, 'bus' | 'world' | 'maxActions' | 'market'>,
): Roster {
  const agents = new Map(roster.agents);
  for (const { id, brain } of newcomers) {
    const input: AgentInput = {
      agent_id: id,
      bus: context.bus,
      random: fork(context.world.random, `agent:${id}`),
      brain,
      max_actions_per_turn: context.maxActions,
      market: context.market,
    };
    agents.set(id, { ref: spawn(agentMachineFor(brain), { systemId: `agent:${id}`, input }), brain });
  }
  return { order: [...roster.order, ...newcomers.map(({ id }) => id)], agents };
}

/**
 * Agents start this many at a time, each group in a step of its own. XState starts the actors a step
 * spawns from one list it empties from the front; at tens of thousands that list is moved in memory
 * for each actor it starts, which made starting 100,000 agents quadratic (most of 20 s).
 */
const AGENTS_STARTED_PER_STEP = 5_000;


function withoutAgents(roster: Roster, dead: readonly string[]): Roster {
  const gone = new Set(dead);
  const agents = new Map(roster.agents);
  for (const agentId of dead) agents.delete(agentId);
  return { order: roster.order.filter((agentId) => !gone.has(agentId)), agents };
}

/** Balances of the living only: an agent that died cannot win an allocation with a bid it left behind. */
function livingBalances(context: OrchestratorContext): Balances {
  if (context.deaths === 0) return context.world.ledger.balances;
  return Object.fromEntries(context.roster.order.map((agentId) => [agentId, balanceOf(context.world.ledger, agentId)]));
}

function windowFor(allocation: Allocation, env: ToolEnvironment): ExecutionWindow {
  const { bid, execution_id } = allocation;
  return {
    agent_id: bid.agent_id,
    execution_id,
    bid_id: bid.bid_id,
    bundle: bid.bundle,
    token_budget: env.token_budget ?? Math.round(bid.bundle.tokens * TOKENS_PER_CAPACITY),
    tokens_used: 0,
  };
}

function balancesShared(world: WorldState): SchedulerEvent {
  return { type: 'balances.shared', balances: world.ledger.balances };
}

/** A turn offered to an agent, with the notices that have waited for it. */
function turnStarted(phase: Phase, observation: Observation, notices: NoticeBoard): AgentEvent {
  const told = notices.take(observation.agent_id);
  return told === undefined ? { type: 'turn.started', phase, observation } : { type: 'turn.started', phase, observation, notices: told };
}

export const orchestratorMachine = setup({
  types: {} as { context: OrchestratorContext; events: OrchestratorEvent; input: OrchestratorInput },
  actors: { scheduler: schedulerMachine },
  actions: {
    recordOpening: ({ context }) => context.bus.emitAll(context.opening),
    startNextAgents: assign(({ context, spawn }) => ({
      roster: withAgentsStarted(context.roster, context.joining.slice(0, AGENTS_STARTED_PER_STEP), spawn, context),
      joining: context.joining.slice(AGENTS_STARTED_PER_STEP),
    })),
    /** Sent, not raised: a step of its own, so that the group's actors start before the next group is spawned. */
    callNextAgents: enqueueActions(({ context, enqueue, self }) => {
      if (context.joining.length > 0) enqueue.sendTo(self, { type: 'agents.join' } satisfies OrchestratorEvent);
    }),
    beginCycle: enqueueActions(({ context, enqueue }) => {
      const cycle = context.world.cycle + 1;
      const { world, emissions } = wakeSleepers({ ...context.world, cycle });
      enqueue.assign({ world });
      enqueue(() => {
        context.bus.startCycle(cycle);
        context.bus.emitAll(emissions);
      });
    }),
    queueBidders: assign(({ context }) => ({
      bidders: context.roster.order.filter((agentId) => !context.world.sleepers.has(agentId)),
      next: 0,
    })),
    /** The turn of the bidder at `next`, if any is left: the turn and the cursor assigned at once, a context copy a turn. */
    offerBiddingTurn: enqueueActions(({ context, enqueue }, params: { after: number }) => {
      const next = context.next + params.after;
      const agentId = context.bidders[next];
      const entry = agentId === undefined ? undefined : context.roster.agents.get(agentId);
      if (agentId === undefined || entry === undefined) {
        enqueue.assign({ turn: undefined, next });
        return;
      }
      enqueue.assign({ turn: { agent_id: agentId, phase: 'bidding' }, next });
      enqueue.sendTo(entry.ref, turnStarted('bidding', observe(context.world, agentId), context.notices));
    }),
    endTurn: assign(({ context }) => ({ turn: undefined, next: context.next + 1 })),
    performToolCall: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'tool.request');
      const request = event;
      const requester = context.roster.agents.get(request.agent_id);
      if (requester === undefined) return;
      const { ref } = requester;
      const { turn } = context;
      const reply = (outcome: ToolResponse['outcome']) =>
        enqueue.sendTo(ref, { type: 'tool.response', tool_name: request.tool_name, outcome } satisfies ToolResponse);
      if (turn === undefined || turn.agent_id !== request.agent_id) {
        reply({ result: 'failure', reason: 'not_your_turn' });
        return;
      }
      const { agent_id, tool_name } = request;
      const effect = performTool(context.world, { agent_id, tool_name, arguments: request.arguments, phase: turn.phase }, context.env);
      enqueue.assign({ world: effect.world });
      enqueue(() => context.bus.emitAll(effect.emissions));
      // Before the answer: what the agent does next, a bid among it, must meet the scheduler's new balances.
      if (effect.world.ledger !== context.world.ledger) enqueue.sendTo('scheduler', balancesShared(effect.world));
      const order = effect.spawn;
      if (order !== undefined) {
        // The child runs with the brain the spawn policy gives it, else its parent's.
        const brain = context.env.spawn.brainFor?.(order) ?? requester.brain;
        enqueue.assign(({ context: current, spawn }) => ({ roster: withAgentsStarted(current.roster, [{ id: order.child_id, brain }], spawn, current) }));
      }
      reply(effect.outcome);
    }),
    /** The scheduler judges bids by the ledger's balances: it is sent them whenever they change (here, by the allocation's charge). */
    shareBalances: sendTo('scheduler', ({ context }) => balancesShared(context.world)),
    requestAllocation: sendTo('scheduler', ({ context }): SchedulerEvent => ({ type: 'allocation.run', balances: livingBalances(context) })),
    chargeWinners: assign(({ context, event }) => {
      assertEvent(event, 'allocation.done');
      const { allocations } = event;
      const charged = burnMany(
        context.world.ledger,
        allocations.map(({ bid }) => ({ agent_id: bid.agent_id, amount: bid.amount })),
      );
      if (isLeft(charged)) return { error: `the allocation's winners cannot pay: ${charged.left.kind}` };
      return { world: { ...context.world, ledger: charged.right }, allocations, next: 0 };
    }),
    holdNotices: ({ context, event }) => {
      assertEvent(event, 'allocation.done');
      context.notices.post(event.notices);
    },
    offerExecutionTurn: enqueueActions(({ context, enqueue }) => {
      const allocation = context.allocations[context.next];
      if (allocation === undefined) return;
      const window = windowFor(allocation, context.env);
      const { agent_id, execution_id, bid_id } = window;
      const winner = context.roster.agents.get(agent_id);
      if (winner === undefined) {
        // Only the living take part in an allocation; waiting for a turn from the dead would never end.
        enqueue.assign({ error: `${agent_id} won ${bid_id} but is not alive` });
        return;
      }
      const world = { ...context.world, window };
      enqueue.assign({ world, turn: { agent_id, phase: 'executing' } });
      enqueue(() => context.bus.emit('execution_started', agent_id, { execution_id, agent_id, resource_bundle_id: bid_id }));
      enqueue.sendTo(winner.ref, turnStarted('executing', observe(world, agent_id), context.notices));
    }),
    closeExecution: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'turn.ended');
      const { agent_id, ending } = event;
      const { window } = context.world;
      if (window === undefined) return;
      enqueue(() => context.bus.emit('execution_terminated', agent_id, { execution_id: window.execution_id, agent_id, ...ending }));
      enqueue.assign({ world: { ...context.world, window: undefined } });
    }),
    requestMarketUpdate: sendTo('scheduler', { type: 'market.update' } satisfies SchedulerEvent),
    adoptPrices: assign({
      world: ({ context, event }) => {
        assertEvent(event, 'market.updated');
        return { ...context.world, prices: event.prices };
      },
    }),
    answerPrompts: enqueueActions(({ context, enqueue }) => {
      const answered = answerPrompts(context.world, context.env.human);
      if (isLeft(answered)) {
        enqueue.assign({ error: answered.left });
        return;
      }
      enqueue.assign({ world: answered.right.world });
      enqueue(() => context.bus.emitAll(answered.right.emissions));
      if (answered.right.world.ledger !== context.world.ledger) enqueue.sendTo('scheduler', balancesShared(answered.right.world));
    }),
    buryTheDead: enqueueActions(({ context, enqueue }) => {
      const { dead, emissions } = deathsDue(context.world, context.roster.order);
      if (dead.length === 0) return;
      enqueue(() => context.bus.emitAll(emissions));
      for (const agentId of dead) {
        const entry = context.roster.agents.get(agentId);
        if (entry !== undefined) enqueue.sendTo(entry.ref, { type: 'agent.died' } satisfies AgentEvent);
      }
      enqueue(() => context.notices.discard(dead));
      enqueue.assign({ roster: withoutAgents(context.roster, dead), deaths: context.deaths + dead.length });
    }),
    releaseUnansweredPrompts: assign(({ context }) => {
      const released = releaseUnansweredPrompts(context.world);
      return isLeft(released) ? { error: released.left } : { world: released.right };
    }),
  },
  guards: {
    isTurnHolder: ({ context, event }) => {
      assertEvent(event, 'turn.ended');
      return context.turn?.agent_id === event.agent_id;
    },
    allBiddersHadTheirTurn: ({ context }) => context.next >= context.bidders.length,
    allWindowsExecuted: ({ context }) => context.next >= context.allocations.length,
    hasFailed: ({ context }) => context.error !== undefined,
    runIsOver: ({ context }) => context.world.cycle >= context.cycles || context.roster.order.length === 0,
  },
}).createMachine({
  id: 'orchestrator',
  context: ({ input, spawn }) => {
    const market = new Market(input.bus, input.world.ledger.balances);
    const base = { bus: input.bus, world: input.world, maxActions: input.max_actions_per_turn, market };
    const empty: Roster = { order: [], agents: new Map() };
    const roster = withAgentsStarted(empty, input.agents.slice(0, AGENTS_STARTED_PER_STEP), spawn, base);
    return {
      ...base,
      env: input.env,
      cycles: input.cycles,
      roster,
      deaths: 0,
      bidders: [],
      allocations: [],
      next: 0,
      opening: input.opening,
      joining: input.agents.slice(AGENTS_STARTED_PER_STEP),
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
  entry: ['recordOpening', 'callNextAgents'],
  initial: 'ready',
  on: {
    'tool.request': { actions: 'performToolCall' },
  },
  states: {
    ready: {
      on: {
        'agents.join': { actions: ['startNextAgents', 'callNextAgents'] },
        'cycle.run': { target: 'cycle', actions: 'beginCycle' },
        'run.finish': { target: 'finished', actions: 'releaseUnansweredPrompts' },
      },
    },
    cycle: {
      initial: 'bidding',
      always: { guard: 'hasFailed', target: 'halted' },
      states: {
        bidding: {
          entry: ['queueBidders', { type: 'offerBiddingTurn', params: { after: 0 } }],
          always: { guard: 'allBiddersHadTheirTurn', target: 'allocating' },
          on: { 'turn.ended': { guard: 'isTurnHolder', actions: { type: 'offerBiddingTurn', params: { after: 1 } } } },
        },
        allocating: {
          entry: 'requestAllocation',
          on: { 'allocation.done': { target: 'executing', actions: ['chargeWinners', 'holdNotices', 'shareBalances'] } },
        },
        executing: {
          entry: 'offerExecutionTurn',
          always: { guard: 'allWindowsExecuted', target: 'updatingMarket' },
          on: { 'turn.ended': { guard: 'isTurnHolder', actions: ['closeExecution', 'endTurn', 'offerExecutionTurn'] } },
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
