import { createActor, type AnyActorRef } from 'xstate';
import { fork } from '../../domain/economy/random';
import { agentMachineFor, type AgentRef } from '../agent/machine';
import type { AgentInput } from '../agent/setup';
import { definitionOf, type BrainLogic } from '../brains/protocol';
import type { EventBus } from '../event-bus';
import type { Market } from '../market';
import type { AgentSetup } from '../world/config';
import type { WorldState } from '../world/state';

export interface RosterEntry {
  readonly ref: AgentRef;
  /** What a child it spawns runs with, unless the spawn policy says otherwise. */
  readonly brain: BrainLogic;
  /** Whether its brain answers in the agent's own steps (`defineBrain`): only then can it play a turn offered at once. */
  readonly answersAtOnce: boolean;
}

/** The living agents, in the order they joined: the order they are offered their turns in. */
export interface Roster {
  readonly order: readonly string[];
  readonly agents: ReadonlyMap<string, RosterEntry>;
}

/** What every agent is started with from the orchestrator's context. */
interface Surroundings {
  readonly bus: EventBus;
  readonly world: WorldState;
  readonly maxActions: number;
  readonly market: Market;
}

/** An agent to start: its id and the brain it runs with. */
type Newcomer = Pick<AgentSetup, 'id' | 'brain'>;

/**
 * Agents made as actors of the orchestrator (`parent`) and added to the roster, in order, copying the
 * roster once; each with the id `agent:<id>` (not a system id: nothing looks an agent up in the system,
 * and registering each cost a tenth of making it), and its own stream forked from the run's seed. They
 * are made as XState's `spawn` makes them, but not by it: `spawn` adds each to its parent's map of
 * children, which XState copies whole in every step that spawns, and starts them from a list it empties
 * from the front; both made starting 100,000 agents quadratic. The caller starts them (`startAgents`),
 * in a step's actions, as `spawn` would.
 */
export function withAgentsCreated(roster: Roster, newcomers: readonly Newcomer[], parent: AnyActorRef, context: Surroundings): Roster {
  const agents = new Map(roster.agents);
  const order = [...roster.order];
  for (const { id, brain } of newcomers) {
    const input: AgentInput = {
      agent_id: id,
      bus: context.bus,
      random: fork(context.world.random, `agent:${id}`),
      brain,
      max_actions_per_turn: context.maxActions,
      market: context.market,
    };
    agents.set(id, { ref: createActor(agentMachineFor(brain), { parent, id: `agent:${id}`, input }), brain, answersAtOnce: definitionOf(brain) !== undefined });
    order.push(id);
  }
  return { order, agents };
}

/** Starts the roster's agents that have not started: those `withAgentsCreated` made. */
export function startAgents(roster: Roster, agentIds: Iterable<string>): void {
  for (const agentId of agentIds) roster.agents.get(agentId)?.ref.start();
}

export function withoutAgents(roster: Roster, dead: readonly string[]): Roster {
  const gone = new Set(dead);
  const agents = new Map(roster.agents);
  for (const agentId of dead) agents.delete(agentId);
  return { order: roster.order.filter((agentId) => !gone.has(agentId)), agents };
}

