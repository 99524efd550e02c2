import type { ActorRefFrom } from 'xstate';
import { definitionOf, type BrainInput, type BrainLogic } from '../brains/protocol';
import { Mind } from '../mind';
import { agentWithActions } from './actions';
import { agentGuards } from './guards';
import { BIDDING_TURN, KEEP_AWAITING_OFFERED_TURN, KEEP_AWAITING_TURN, TAKE_ANNOUNCED_TURN, TAKE_OFFERED_TURN, TAKE_TURN, TURN } from './turn';

/**
 * One agent: dormant → bidding → awaiting allocation → executing → dormant, until it dies. It never
 * decides anything itself: its brain chooses each action, the world performs the tool calls (the
 * scheduler its bids, the orchestrator the rest), and the agent records both sides of every call and
 * keeps the turn going. A brain defined as plain functions (`defineBrain`) is asked inside the
 * agent's own steps; any other brain runs as an actor of its own, which the agent prompts and
 * which answers with `brain.act`.
 */

export const agentMachine = agentWithActions.extend({ guards: agentGuards }).createMachine({
  id: 'agent',
  context: ({ input, spawn, self }) => {
    const brainInput: BrainInput = { agent_id: input.agent_id, agent: self, random: input.random };
    const definition = definitionOf(input.brain);
    if (definition === undefined) spawn('brain', { id: 'brain', input: brainInput });
    // Written out rather than spread: a hundred thousand agents' contexts are made at once.
    return {
      agent_id: input.agent_id,
      bus: input.bus,
      random: input.random,
      maxActions: input.max_actions_per_turn,
      market: input.market,
      actionsThisTurn: 0,
      openBids: 0,
      mind: definition === undefined ? undefined : new Mind(definition, definition.initial(brainInput)),
      batch: [],
      answer: 'single',
      results: [],
      notPerformed: 0,
    };
  },
  initial: 'dormant',
  on: {
    notified: [{ guard: 'hasMind', actions: 'tellMind' }, { actions: 'forwardNotice' }],
    // A bid withdrawn while its agent is in a turn leaves the turn as it is.
    'bid.withdrawn': { actions: 'closeWithdrawnBid' },
    'agent.died': '.dead',
    'world.stopped': '.stopped',
    'xstate.error.actor.brain': { target: '.brainFailed', actions: 'rememberBrainFailure' },
  },
  states: {
    dormant: {
      on: { 'turn.started': TAKE_TURN, 'turn.offered': TAKE_OFFERED_TURN, 'turn.announced': TAKE_ANNOUNCED_TURN },
    },
    /** A turn ended with bids placed: the agent hears how they came out with its next turn, the last one withdrawn leaves it dormant. */
    awaitingAllocation: {
      on: {
        'turn.started': [KEEP_AWAITING_TURN, ...TAKE_TURN],
        'turn.offered': [KEEP_AWAITING_OFFERED_TURN, ...TAKE_OFFERED_TURN],
        'turn.announced': TAKE_ANNOUNCED_TURN,
        'bid.withdrawn': [{ guard: 'isLastOpenBid', target: 'dormant', actions: 'closeWithdrawnBid' }, { actions: 'closeWithdrawnBid' }],
      },
    },
    bidding: BIDDING_TURN,
    executing: TURN,
    /** Without a brain the agent cannot act; the orchestrator still gets an answer to every turn it offers or calls. */
    brainFailed: {
      on: { 'turn.started': { actions: 'reportBrainFailure' }, 'turn.called': { actions: 'reportBrainFailure' } },
    },
    dead: { type: 'final' },
    /**
     * The world was stopped. Ending here stops the agent's brain, one child, where stopping the
     * orchestrator would stop its agents one at a time, copying its map of them for each (XState's
     * `stopChild`): quadratic, 4.3 s for 1,000 agents.
     */
    stopped: { type: 'final' },
  },
});

export type AgentRef = ActorRefFrom<typeof agentMachine>;

const machinesByBrain = new WeakMap<BrainLogic, typeof agentMachine>();

/** The agent machine for agents whose input names `brain`: it spawns the brain when the brain is an actor; agents sharing a brain share one machine. */
export function agentMachineFor(brain: BrainLogic): typeof agentMachine {
  let machine = machinesByBrain.get(brain);
  if (machine === undefined) {
    machine = agentMachine.provide({ actors: { brain } });
    machinesByBrain.set(brain, machine);
  }
  return machine;
}
