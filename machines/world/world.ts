import { createActor, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';
import { DomainEvent, isEventType } from '../../domain/economy/events';
import { totalSupply, type Ledger } from '../../domain/economy/ledger';
import type { Prices } from '../../domain/economy/pricing';
import { createEventBus, stampEvent, traceRecorder, type EventBus, type EventSink } from '../event-bus';
import { orchestratorMachine } from '../orchestrator/machine';
import type { OrchestratorInput } from '../orchestrator/setup';
import type { AgentEvent, SchedulerEvent } from '../messages';
import { DEFAULT_MAX_ACTIONS_PER_TURN, DEFAULT_SPAWN_COSTS, echoModel, type WorldConfig } from './config';
import { holdsResources } from '../brains/async';
import { initialWorld } from './setup';

/**
 * A running world: the orchestrator and its actors, driven one cycle at a time. XState delivers events
 * between actors of one system at once, so a cycle whose brains all answer synchronously is complete
 * as soon as `runCycle` has sent it; a cycle that waits for a slow brain completes when that brain
 * answers. Turns are offered one at a time and nothing else happens while one is open, so when a
 * brain answers changes nothing in the trace.
 */

export interface CycleSummary {
  readonly cycle: number;
  readonly alive: number;
  /** Alive but sleeping. */
  readonly dormant: number;
  readonly dead: number;
  readonly total_credits: number;
  readonly prices: Prices;
  readonly events: number;
}

/** `ready` for another cycle; `finished` when the run is over; `stopped` when a cycle failed or could not complete. */
export type WorldStatus = 'ready' | 'finished' | 'stopped';

export interface World {
  readonly bus: EventBus;
  /** Runs the next cycle, waiting for slow brains; an error when the run has finished, stopped or could not complete the cycle. */
  runCycle(): Promise<Either<string, CycleSummary>>;
  /** Ends the run early: unanswered prompts give their escrow back. */
  finish(): Either<string, void>;
  /**
   * Delivers an event to an agent from outside the economy (a scenario's injected event): it is
   * recorded with `injected: true` and reaches the agent's brain as a notice. An injected
   * `bid_rejected` naming an open bid also withdraws that bid from the order book.
   */
  inject(agentId: string, event: { type: string; data: Record<string, unknown> }): Either<string[], DomainEvent>;
  status(): WorldStatus;
  /** Ends the run; brains release what they hold (timers, sockets, processes). A cycle still waiting ends in an error. */
  stop(): void;
  ledger(): Ledger;
  prices(): Prices;
}

export interface WorldRun {
  readonly cycles: readonly CycleSummary[];
  readonly ledger: Ledger;
  readonly prices: Prices;
  /** Every event, in order; empty when the run was told not to keep its trace in memory. */
  readonly trace: readonly DomainEvent[];
}

export interface RunOptions {
  /** Further places the trace goes, such as a JSONL file. */
  readonly sinks?: readonly EventSink[];
  /** Keep the whole trace in memory (the default); long runs that stream to a file turn this off. */
  readonly keepTrace?: boolean;
  /** Receives the inspection events of every actor of the run (the Stately inspector). */
  readonly inspect?: Observer<InspectionEvent>;
}

/** Decodes an event to inject as the event it claims to be, marked `injected`, before anything records it. */
function checkInjection(bus: EventBus, agentId: string, event: { type: string; data: Record<string, unknown> }): Either<string[], DomainEvent> {
  if (!isEventType(event.type)) return left([`$.type: expected a known event type, got ${JSON.stringify(event.type)}`]);
  // Stamped as the first event of the run: the bus stamps it again as it records it.
  const candidate = stampEvent(0, 0, 0, event.type, bus.scenario_id, agentId, { ...event.data, injected: true });
  const decoded = decodeWith(DomainEvent, candidate);
  return isLeft(decoded) ? left(decoded.left.map(formatIssue)) : decoded;
}

type OrchestratorSnapshot = SnapshotFrom<typeof orchestratorMachine>;

/** Waiting is only ever for a brain; a cycle left waiting for anything else can never complete. */
function describeStuck(snapshot: OrchestratorSnapshot): string {
  return `cycle ${snapshot.context.world.cycle} did not complete: still waiting for the scheduler`;
}

function cycleIsOver(snapshot: OrchestratorSnapshot): boolean {
  return snapshot.matches('ready') || snapshot.matches('finished') || snapshot.matches('halted');
}

function summarise(snapshot: OrchestratorSnapshot, bus: EventBus): CycleSummary {
  const { world, roster, deaths } = snapshot.context;
  const dormant = roster.order.filter((agentId) => world.sleepers.has(agentId)).length;
  return {
    cycle: world.cycle,
    alive: roster.order.length,
    dormant,
    dead: deaths,
    total_credits: totalSupply(world.ledger),
    prices: world.prices,
    events: bus.emittedCount(),
  };
}

/** What the orchestrator of `config`'s world starts from, its opening events recorded on `bus`. */
export function orchestratorInput(config: WorldConfig, bus: EventBus): Either<string[], OrchestratorInput> {
  const setupResult = initialWorld(config);
  if (isLeft(setupResult)) return setupResult;
  return right({
    bus,
    world: setupResult.right.world,
    opening: setupResult.right.emissions,
    agents: config.agents,
    env: {
      model: config.model ?? echoModel,
      workspace: config.workspace,
      spawn: config.spawn ?? { costs: DEFAULT_SPAWN_COSTS },
      token_budget: config.token_budget,
      human: config.human,
    },
    cycles: config.cycles,
    max_actions_per_turn: config.max_actions_per_turn ?? DEFAULT_MAX_ACTIONS_PER_TURN,
    supply: config.supply,
    concurrent_turns: config.concurrent_turns ?? false,
  });
}

/** `inspect` receives the inspection events of every actor of the world (for the Stately inspector). */
export function createWorld(
  config: WorldConfig,
  sinks: readonly EventSink[] = [],
  inspect?: Observer<InspectionEvent>,
): Either<string[], World> {
  const bus = createEventBus(config.scenario_id, sinks);
  const input = orchestratorInput(config, bus);
  if (isLeft(input)) return input;
  const actor = createActor(orchestratorMachine, { input: input.right, inspect });
  let crash: string | undefined;
  let stopped = false;
  /** Resolves the cycle a slow brain holds open. */
  let waiting: (() => void) | undefined;
  const wake = () => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.();
  };
  actor.subscribe({
    next: (snapshot) => {
      if (waiting !== undefined && cycleIsOver(snapshot)) wake();
    },
    // Without an error observer XState would rethrow an actor's crash later, outside any caller's reach.
    error: (error) => {
      crash = errorMessage(error);
      wake();
    },
  });
  actor.start();

  const failure = (): string | undefined => {
    const snapshot = actor.getSnapshot();
    if (crash !== undefined) return `the orchestrator crashed: ${crash}`;
    return snapshot.context.error;
  };

  const world: World = {
    bus,
    async runCycle() {
      const problem = failure();
      if (problem !== undefined) return left(problem);
      if (stopped) return left('the world was stopped');
      if (!actor.getSnapshot().matches('ready')) return left('the run has finished');
      actor.send({ type: 'cycle.run' });
      if (!cycleIsOver(actor.getSnapshot()) && crash === undefined) {
        if (actor.getSnapshot().context.turn === undefined) return left(describeStuck(actor.getSnapshot()));
        await new Promise<void>((resolve) => {
          waiting = resolve;
          // The subscription resolves it when the cycle is over; `stop` when the world is stopped.
        });
      }
      const after = failure();
      if (after !== undefined) return left(after);
      if (stopped) return left('the world was stopped');
      return right(summarise(actor.getSnapshot(), bus));
    },
    finish() {
      if (actor.getSnapshot().matches('ready')) actor.send({ type: 'run.finish' });
      const problem = failure();
      return problem === undefined ? right(undefined) : left(problem);
    },
    inject(agentId, event) {
      const agent = actor.getSnapshot().context.roster.agents.get(agentId)?.ref;
      if (agent === undefined) return left([`cannot inject into ${agentId}: no such living agent`]);
      const checked = checkInjection(bus, agentId, event);
      if (isLeft(checked)) return checked;
      const recorded = bus.record(checked.right);
      if (recorded.type === 'bid_rejected' && recorded.data.bid_id !== undefined) {
        actor.system.get('scheduler')?.send({ type: 'bid.withdraw', bid_id: recorded.data.bid_id } satisfies SchedulerEvent);
      }
      agent.send({ type: 'notified', event: recorded } satisfies AgentEvent);
      return right(recorded);
    },
    status() {
      const snapshot = actor.getSnapshot();
      if (stopped) return 'stopped';
      if (failure() === undefined && snapshot.matches('ready')) return 'ready';
      return failure() === undefined && snapshot.matches('finished') ? 'finished' : 'stopped';
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // Only asynchronous brains hold anything to release: each agent ends, stopping its own brain.
      // Stopping the orchestrator instead would stop its agents one by one, copying its map of
      // children each time: quadratic in the population. The orchestrator, left idle, holds nothing.
      if (config.agents.some(({ brain }) => holdsResources(brain))) {
        for (const { ref } of actor.getSnapshot().context.roster.agents.values()) ref.send({ type: 'world.stopped' } satisfies AgentEvent);
      }
      wake();
    },
    ledger: () => actor.getSnapshot().context.world.ledger,
    prices: () => actor.getSnapshot().context.world.prices,
  };
  return right(world);
}

/** Runs a world from its configuration to the end and returns what happened; the world is stopped either way. */
export async function runWorld(config: WorldConfig, options: RunOptions = {}): Promise<Either<string[], WorldRun>> {
  const recorder = traceRecorder();
  const sinks = [...(options.keepTrace === false ? [] : [recorder]), ...(options.sinks ?? [])];
  const created = createWorld(config, sinks, options.inspect);
  if (isLeft(created)) return created;
  const world = created.right;
  try {
    const cycles: CycleSummary[] = [];
    while (world.status() === 'ready') {
      const cycle = await world.runCycle();
      if (isLeft(cycle)) return left([cycle.left]);
      cycles.push(cycle.right);
    }
    return right({ cycles, ledger: world.ledger(), prices: world.prices(), trace: recorder.events });
  } finally {
    world.stop();
  }
}
