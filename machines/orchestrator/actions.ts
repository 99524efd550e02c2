import { assertEvent, assign, enqueueActions, sendTo, setup } from 'xstate';
import { isLeft } from 'fp-ts/lib/Either.js';
import { burnMany } from '../../domain/economy/ledger';
import type { AgentEvent, SchedulerEvent, ToolResponse } from '../messages';
import { performTool } from '../tools/perform';
import { answerPrompts, deathsDue, releaseUnansweredPrompts, wakeSleepers } from '../world/cycle-steps';
import { startAgents, withAgentsCreated, withoutAgents } from './roster';
import { orchestratorActors, orchestratorTypes } from './setup';
import { balancesShared, livingBalances, observe, offerTurnsAtOnce, offerWindowsAtOnce, ordinaryBiddingTurn, recordExecutionEnd, recordExecutionStart, turnStarted, windowFor } from './turns';

/** The orchestrator's actions: the steps of a cycle, each performing one of the economy's pure steps on its world and telling agents and scheduler. */
export const orchestratorWithActions = setup({
  types: orchestratorTypes,
  actors: orchestratorActors,
  actions: {
    recordOpening: ({ context }) => context.bus.emitAll(context.opening),
    startAllAgents: ({ context }) => startAgents(context.roster, context.roster.order),
    beginCycle: enqueueActions(({ context, enqueue }) => {
      const cycle = context.world.cycle + 1;
      const { world, emissions } = wakeSleepers({ ...context.world, cycle });
      enqueue.assign({ world });
      enqueue(() => {
        context.bus.startCycle(cycle);
        context.bus.emitAll(emissions);
      });
    }),
    queueBidders: assign(({ context }) => {
      const bidders = context.roster.order.filter((agentId) => !context.world.sleepers.has(agentId));
      const thinkingAtOnce = context.concurrentTurns ? bidders.filter((agentId) => context.roster.agents.get(agentId)?.answersAtOnce === false) : [];
      return { bidders, next: 0, announced: new Set(thinkingAtOnce) };
    }),
    /** Brains of their own are prompted with their bidding turns at once; each agent acts on its answer when its turn is called. */
    announceTurns: enqueueActions(({ context, enqueue }) => {
      for (const agentId of context.announced) {
        const entry = context.roster.agents.get(agentId);
        if (entry !== undefined) enqueue.sendTo(entry.ref, { type: 'turn.announced', turn: turnStarted('bidding', observe(context.world, agentId), context.notices) } satisfies AgentEvent);
      }
    }),
    /**
     * The bidders from `next` on play their turns as they are offered, within this step: one delivery
     * an agent, no step of the orchestrator's own for each. Where they stop the orchestrator tells
     * itself, to offer that bidder an ordinary turn and wait for it.
     */
    offerBiddingTurns: ({ context, self }) => {
      if (context.next >= context.bidders.length) return;
      self.send(offerTurnsAtOnce(context));
    },
    /** The ordinary turn of the bidder at which the offers stopped, if any is left: the turn and the cursor assigned at once. */
    offerBiddingTurn: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'turns.offered');
      const { next, unplayed } = event;
      const agentId = context.bidders[next];
      const entry = agentId === undefined ? undefined : context.roster.agents.get(agentId);
      if (agentId === undefined || entry === undefined) {
        enqueue.assign({ turn: undefined, next });
        return;
      }
      enqueue.assign({ turn: { agent_id: agentId, phase: 'bidding' }, next });
      enqueue.sendTo(entry.ref, context.announced.has(agentId) ? ({ type: 'turn.called' } satisfies AgentEvent) : ordinaryBiddingTurn(context, agentId, unplayed));
    }),
    endTurn: assign(({ context }) => ({ turn: undefined, next: context.next + 1 })),
    performToolCall: enqueueActions(({ context, event, enqueue, self }) => {
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
        const roster = withAgentsCreated(context.roster, [{ id: order.child_id, brain }], self, { ...context, world: effect.world });
        enqueue.assign({ roster });
        enqueue(() => startAgents(roster, [order.child_id]));
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
    /** The winners from `next` on play their windows as they are offered, within this step; where they stop the orchestrator tells itself. */
    offerWindows: ({ context, self }) => {
      if (context.next >= context.allocations.length) return;
      self.send(offerWindowsAtOnce(context));
    },
    /**
     * The window at which the offers stopped, if any is left, as an ordinary turn: the world the
     * windows played left, the window opened on it and the turn, assigned at once.
     */
    callWindow: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'windows.offered');
      const { next, unplayed } = event;
      const world = event.world ?? context.world;
      // Before the winner acts: a bid among what it does must meet the ledger the windows left.
      if (world.ledger !== context.world.ledger) enqueue.sendTo('scheduler', balancesShared(world));
      const allocation = context.allocations[next];
      if (allocation === undefined) {
        enqueue.assign({ world, next });
        return;
      }
      const window = windowFor(allocation, context.env);
      const { agent_id, bid_id } = window;
      const winner = context.roster.agents.get(agent_id);
      if (winner === undefined) {
        // Only the living take part in an allocation; waiting for a turn from the dead would never end.
        enqueue.assign({ world, next, error: `${agent_id} won ${bid_id} but is not alive` });
        return;
      }
      const opened = { ...world, window };
      enqueue.assign({ world: opened, next, turn: { agent_id, phase: 'executing' } });
      if (unplayed !== undefined) {
        enqueue(() => context.notices.take(agent_id));
        enqueue.sendTo(winner.ref, unplayed);
        return;
      }
      enqueue(() => recordExecutionStart(context.bus, window));
      enqueue.sendTo(winner.ref, turnStarted('executing', observe(opened, agent_id), context.notices));
    }),
    closeExecution: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'turn.ended');
      const { window } = context.world;
      if (window === undefined) return;
      enqueue(() => recordExecutionEnd(context.bus, window, event.ending));
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
});
