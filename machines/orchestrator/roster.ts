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

/** XState's `spawn`, as the orchestrator uses it: for agents. */
type SpawnAgent = (machine: ReturnType<typeof agentMachineFor>, options: { systemId: string; input: AgentInput }) => AgentRef;

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
 * Starts agents as actors and adds them to the roster, in order, copying the roster once. Each is
 * registered as `agent:<id>`, with its own stream forked from the run's seed.
 */
export function withAgentsStarted(
  roster: Roster,
  newcomers: readonly Newcomer[],
  spawn: SpawnAgent,
  context: Surroundings,
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
    agents.set(id, { ref: spawn(agentMachineFor(brain), { systemId: `agent:${id}`, input }), brain, answersAtOnce: definitionOf(brain) !== undefined });
  }
  return { order: [...roster.order, ...newcomers.map(({ id }) => id)], agents };
}

/**
 * Agents start this many at a time, each group in a step of its own. XState starts the actors a step
 * spawns from one list it empties from the front; at tens of thousands that list is moved in memory
 * for each actor it starts, which made starting 100,000 agents quadratic (most of 20 s).
 */
export const AGENTS_STARTED_PER_STEP = 5_000;

export function withoutAgents(roster: Roster, dead: readonly string[]): Roster {
  const gone = new Set(dead);
  const agents = new Map(roster.agents);
  for (const agentId of dead) agents.delete(agentId);
  return { order: roster.order.filter((agentId) => !gone.has(agentId)), agents };
}

