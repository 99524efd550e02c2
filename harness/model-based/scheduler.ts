import { assign, createActor, setup } from 'xstate';
import {
  agentMachineFor,
  type AgentRef,
  createEventBus,
  DEFAULT_PRICES,
  type SchedulerEvent,
  type SchedulerInput,
  schedulerMachine,
  type SchedulerReport,
  traceRecorder,
} from '../../machines';
import { randomStream } from '../../domain/economy/random';
import { mismatch, supplyMismatch, undecodableEvents } from './checks';
import type { MachineModel, ModelPath } from './generate';
import { watchActor } from './inspection';
import { puppetBrain } from './puppet-brain';

/**
 * The scheduler's model: the real machine, sent bids it can and cannot cover and one it cannot read,
 * a change of balance, a withdrawal, an allocation and a market update. Its order book is mutable state that only its (unexecuted) actions
 * touch, so the model cannot know what the book holds: every event leads back to `open` and the paths
 * that matter are the scripted ones, bids followed by the allocation that decides them.
 */

const BIDDER_ID = 'agent-bidder';
const BALANCE = 100;

function bidder(): AgentRef {
  return createActor(agentMachineFor(puppetBrain), {
    input: { agent_id: BIDDER_ID, bus: createEventBus('model-paths'), random: randomStream('model-paths'), brain: puppetBrain, max_actions_per_turn: 2 },
  });
}

const MODEL_BIDDER = bidder();

function placement(amount: unknown): SchedulerEvent {
  return { type: 'bid.place', agent_id: BIDDER_ID, bidder: MODEL_BIDDER, arguments: { amount, bundle: { cpu: 0.1, duration_seconds: 60 } } };
}

const AFFORDABLE = placement(10);
const BEYOND_BALANCE = placement(BALANCE * 5);
const MALFORMED = placement('ten');
/** The orchestrator shares the bidder's balance after a spend: the bid it could afford before it cannot afford now. */
const BALANCE_SPENT: SchedulerEvent = { type: 'balances.shared', balances: { [BIDDER_ID]: 5 } };
const WITHDRAWAL: SchedulerEvent = { type: 'bid.withdraw', bid_id: 'bid-000001' };
const ALLOCATION: SchedulerEvent = { type: 'allocation.run', balances: { [BIDDER_ID]: BALANCE } };
const MARKET_UPDATE: SchedulerEvent = { type: 'market.update' };

function schedulerInput(bus = createEventBus('model-paths')): SchedulerInput {
  return { bus, prices: DEFAULT_PRICES, balances: { [BIDDER_ID]: BALANCE } };
}

/** Traversed without a parent, the scheduler must not report: its reports are sends to a parent, never executed there. */
const unparentedScheduler = schedulerMachine.provide({ actions: { reportAllocation: () => {}, reportPrices: () => {} } });

export const schedulerModel: MachineModel<typeof schedulerMachine> = {
  machine: unparentedScheduler,
  input: schedulerInput(),
  events: () => [AFFORDABLE, BEYOND_BALANCE, MALFORMED, BALANCE_SPENT, WITHDRAWAL, ALLOCATION, MARKET_UPDATE],
  summarise: () => null,
  scripted: [
    [AFFORDABLE, BEYOND_BALANCE, ALLOCATION, MARKET_UPDATE],
    [AFFORDABLE, WITHDRAWAL, ALLOCATION, MARKET_UPDATE],
    [MALFORMED, BALANCE_SPENT, AFFORDABLE, ALLOCATION],
  ],
};

/**
 * Plays `path` against a real scheduler, invoked by a stand-in orchestrator that keeps what it is
 * told, with a real agent (its brain a puppet) as the bidder. After each step: the scheduler's state
 * and the transitions it took match the model's, the trace decodes, and the credits it burned are
 * what the allocations it reported charge.
 */
export function runSchedulerPath(path: ModelPath<typeof schedulerMachine>): string[] {
  const recorder = traceRecorder();
  const orchestrator = setup({
    types: {} as { context: { charged: number }; events: SchedulerReport },
    actors: { scheduler: schedulerMachine },
  }).createMachine({
    context: { charged: 0 },
    invoke: { id: 'scheduler', src: 'scheduler', input: schedulerInput(createEventBus('model-paths', [recorder])) },
    on: {
      'allocation.done': {
        actions: assign({ charged: ({ context, event }) => context.charged + event.allocations.reduce((sum, { bid }) => sum + bid.amount, 0) }),
      },
    },
  });
  const watch = watchActor();
  const actor = createActor(orchestrator, { inspect: watch.inspect }).start();
  const scheduler = actor.getSnapshot().children.scheduler;
  if (scheduler === undefined) return ['the scheduler did not start'];
  watch.watch(scheduler);
  const realBidder = bidder();
  realBidder.start();
  return path.steps.flatMap((step, index) => {
    const { event } = step;
    scheduler.send(event.type === 'bid.place' ? { ...event, bidder: realBidder } : event);
    const { fired } = watch.take();
    const problems = [
      ...mismatch('state', scheduler.getSnapshot().value, step.snapshot.value),
      ...mismatch('transitions taken', fired, step.fired),
      ...undecodableEvents(recorder.events),
      ...supplyMismatch(recorder.events, -actor.getSnapshot().context.charged),
    ];
    return problems.map((problem) => `step ${index + 1} (${step.event.type}): ${problem}`);
  });
}
