import { createActor, type Actor, type EventFromLogic } from 'xstate';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  type Allocation,
  createEventBus,
  type EventBus,
  type OrchestratorInput,
  orchestratorInput,
  orchestratorMachine,
  type SchedulerEvent,
  schedulerMachine,
  traceRecorder,
  type TurnEnding,
  type WorldConfig,
} from '../../machines';
import { totalSupply } from '../../domain/economy/ledger';
import { discoverPrices, type Prices } from '../../domain/economy/pricing';
import { mismatch, supplyMismatch, undecodableEvents } from './checks';
import type { MachineModel, ModelPath, ModelStep } from './generate';
import { watchActor } from './inspection';
import { puppetBrain } from './puppet-brain';

/**
 * The orchestrator's model: the real machine over a one-agent world of two cycles, its agent a puppet
 * whose turns the paths play, and its scheduler the real one. The scheduler's answers (the allocation,
 * the market update) are in the paths as the events the orchestrator must receive; the runner does not
 * send them, it checks that the real scheduler did. Bids go from the agent to the scheduler, past the
 * orchestrator, so the paths do not hold them: the shortest paths bid nothing, and before a turn whose end
 * the scheduler must answer with a won window, the runner has the agent place that bid.
 */

const AGENT_ID = 'agent-a';
const CYCLES = 2;

const OUT_OF_RANGE_PROMPT = 'score this 11 out of 10';

const CONFIG: WorldConfig = {
  scenario_id: 'model-paths',
  seed: 'model-paths',
  agents: [{ id: AGENT_ID, balance: 100, brain: puppetBrain }],
  cycles: CYCLES,
  // A prompt asking for it gets a score out of range: the answer that fails a run in the attention step.
  human: ({ prompt }) => ({ interesting: prompt === OUT_OF_RANGE_PROMPT ? 11 : 5, useful: 5, understandable: 5 }),
  max_actions_per_turn: 10,
};

function modelInput(bus: EventBus): OrchestratorInput {
  const input = orchestratorInput(CONFIG, bus);
  if (isLeft(input)) throw new Error(`the model's world does not set up: ${input.left.join('; ')}`);
  return input.right;
}

const MODEL_INPUT = modelInput(createEventBus('model-paths'));

type OrchestratorModelEvent = EventFromLogic<typeof orchestratorMachine>;
type OrchestratorSnapshot = ReturnType<typeof orchestratorMachine.transition>;

const COMPLETED: TurnEnding = { exit_code: 0, reason: 'completed' };
const TURN_ENDED: OrchestratorModelEvent = { type: 'turn.ended', agent_id: AGENT_ID, ending: COMPLETED };
const CYCLE_RUN: OrchestratorModelEvent = { type: 'cycle.run' };
/** The puppet's brain is an actor of its own: the orchestrator's offers stop at it, the first bidder, and it is offered an ordinary turn. */
const FIRST_TURN_OFFERED: OrchestratorModelEvent = { type: 'turns.offered', next: 0 };
/** Its window, likewise, is not played as it is offered: the orchestrator calls it as an ordinary turn. */
const FIRST_WINDOW_OFFERED: OrchestratorModelEvent = { type: 'windows.offered', next: 0 };
const RUN_FINISH: OrchestratorModelEvent = { type: 'run.finish' };

const toolRequest = (tool_name: string, args: Record<string, unknown>): OrchestratorModelEvent => ({
  type: 'tool.request',
  agent_id: AGENT_ID,
  tool_name,
  arguments: args,
});

const BID = { amount: 10, bundle: { cpu: 0.1, duration_seconds: 60 } };
const WON_BID: Allocation = {
  bid: { bid_id: 'bid-000001', agent_id: AGENT_ID, amount: BID.amount, bundle: { cpu: 0.1, memory: 0, tokens: 0, attention: 0, duration_seconds: 60 }, sequence: 1 },
  execution_id: 'exec-000001',
};

/**
 * An allocation no real scheduler reports, its winner unable to pay: it clears against the balances
 * of the living. Only a stand-in scheduler sends it, to show the orchestrator halts on a broken economy.
 */
const UNPAYABLE_ALLOCATION: OrchestratorModelEvent = { type: 'allocation.done', allocations: [{ ...WON_BID, bid: { ...WON_BID.bid, amount: 1000 } }], notices: [] };

/** The market update the scheduler reports after an allocation with these winners. */
function marketUpdated(winners: readonly Allocation[], prices: Prices): OrchestratorModelEvent {
  return { type: 'market.updated', prices: discoverPrices(prices, winners.map(({ bid }) => bid)).prices };
}

function orchestratorEvents(snapshot: OrchestratorSnapshot): OrchestratorModelEvent[] {
  const { context } = snapshot;
  // Before a bidder's ordinary turn, and a winner's, the orchestrator tells itself where its offers stopped: at the puppet, as its brain answers in steps of its own.
  const waiting = context.turn === undefined;
  const offersStopped: OrchestratorModelEvent[] = [
    ...(waiting && snapshot.matches({ cycle: 'bidding' }) ? [{ type: 'turns.offered', next: context.next } as const] : []),
    ...(waiting && snapshot.matches({ cycle: 'executing' }) ? [{ type: 'windows.offered', next: context.next } as const] : []),
  ];
  return [
    ...offersStopped,
    CYCLE_RUN,
    RUN_FINISH,
    TURN_ENDED,
    toolRequest('market.get_prices', {}),
    { type: 'allocation.done', allocations: [], notices: [] },
    marketUpdated(context.allocations, context.world.prices),
  ];
}

/** A cycle whose bid wins a window, in which the agent asks the human a question, and the end of the run. */
const WINDOW_WITH_PROMPT: OrchestratorModelEvent[] = [
  CYCLE_RUN,
  FIRST_TURN_OFFERED,
  TURN_ENDED,
  { type: 'allocation.done', allocations: [WON_BID], notices: [] },
  FIRST_WINDOW_OFFERED,
  toolRequest('human.prompt', { prompt: 'what would you build next?', bid_amount: 5 }),
  TURN_ENDED,
  marketUpdated([WON_BID], MODEL_INPUT.world.prices),
  RUN_FINISH,
];

/** A window in which the agent's prompt is answered with a score out of range, which halts the run at the attention step. */
const HUMAN_ANSWER_OUT_OF_RANGE: OrchestratorModelEvent[] = [
  CYCLE_RUN,
  FIRST_TURN_OFFERED,
  TURN_ENDED,
  { type: 'allocation.done', allocations: [WON_BID], notices: [] },
  FIRST_WINDOW_OFFERED,
  toolRequest('human.prompt', { prompt: OUT_OF_RANGE_PROMPT, bid_amount: 5 }),
  TURN_ENDED,
  marketUpdated([WON_BID], MODEL_INPUT.world.prices),
];

export const orchestratorModel: MachineModel<typeof orchestratorMachine> = {
  machine: orchestratorMachine,
  input: MODEL_INPUT,
  events: orchestratorEvents,
  summarise: ({ context }) => [context.world.cycle, context.next, context.bidders.length, context.turn?.agent_id, context.error !== undefined],
  scripted: [WINDOW_WITH_PROMPT, HUMAN_ANSWER_OUT_OF_RANGE, [CYCLE_RUN, FIRST_TURN_OFFERED, TURN_ENDED, UNPAYABLE_ALLOCATION]],
};

/** Events the orchestrator's own scheduler sends it, and those it sends itself; the runner checks they arrived rather than sending them. */
const SCHEDULER_ANSWERS: ReadonlySet<string> = new Set(['allocation.done', 'market.updated']);
const OWN_ANSWERS: ReadonlySet<string> = new Set(['turns.offered', 'windows.offered']);

const silentScheduler = schedulerMachine.provide({
  actions: { reportAllocation: () => {}, reportPrices: () => {} },
});

type Step = ModelStep<typeof orchestratorMachine>;

/** Each event the runner sends, with the answers the model expects it to cause. */
function segments(steps: readonly Step[], isAnswer: (type: string) => boolean): { sent: Step; answers: Step[] }[] {
  const grouped: { sent: Step; answers: Step[] }[] = [];
  for (const step of steps) {
    const current = grouped.at(-1);
    if (isAnswer(step.event.type) && current !== undefined) current.answers.push(step);
    else grouped.push({ sent: step, answers: [] });
  }
  return grouped;
}

/** The bids the scheduler must hold for the allocations a segment's answers report, placed as the agent places them. */
function placeWonBids(actor: Actor<typeof orchestratorMachine>, answers: readonly Step[]): void {
  const scheduler = actor.system.get('scheduler');
  for (const { event } of answers) {
    if (event.type !== 'allocation.done') continue;
    for (const { bid } of event.allocations) {
      const bidder = actor.getSnapshot().context.roster.agents.get(bid.agent_id)?.ref;
      if (bidder === undefined) continue;
      const placement: SchedulerEvent = { type: 'bid.place', agent_id: bid.agent_id, bidder, arguments: { amount: bid.amount, bundle: bid.bundle } };
      scheduler?.send(placement);
    }
  }
}

/**
 * Plays `path` against the real orchestrator, its real scheduler and its real agent. After each event
 * sent: the scheduler answered as the model expects, the orchestrator is in the model's state having
 * taken the model's transitions, the trace decodes and the ledger holds the credits the trace accounts for.
 */
export function runOrchestratorPath(path: ModelPath<typeof orchestratorMachine>): string[] {
  const recorder = traceRecorder();
  const watch = watchActor();
  // A path with an answer no real scheduler gives runs with a scheduler that never answers; the runner answers for it.
  const forged = path.steps.some((step) => step.event === UNPAYABLE_ALLOCATION);
  const machine = forged ? orchestratorMachine.provide({ actors: { scheduler: silentScheduler } }) : orchestratorMachine;
  const actor = createActor(machine, { input: modelInput(createEventBus('model-paths', [recorder])), inspect: watch.inspect });
  watch.watch(actor);
  actor.start();
  // With a scheduler that never answers, the runner sends what the model says the scheduler answered.
  const isAnswer = (type: string) => OWN_ANSWERS.has(type) || (!forged && SCHEDULER_ANSWERS.has(type));
  return segments(path.steps, isAnswer).flatMap(({ sent, answers }, index) => {
    if (!forged) placeWonBids(actor, answers);
    watch.take();
    actor.send(sent.event);
    const { fired, received } = watch.take();
    const last = answers.at(-1) ?? sent;
    const answered = received.filter((event) => isAnswer(event.type));
    const snapshot = actor.getSnapshot();
    const problems = [
      ...mismatch('the answers', answered, answers.map((step) => step.event)),
      ...mismatch('state', snapshot.value, last.snapshot.value),
      ...mismatch('transitions taken', fired, [sent, ...answers].flatMap((step) => step.fired)),
      ...undecodableEvents(recorder.events),
      ...supplyMismatch(recorder.events, totalSupply(snapshot.context.world.ledger)),
    ];
    return problems.map((problem) => `event ${index + 1} (${sent.event.type}): ${problem}`);
  });
}
