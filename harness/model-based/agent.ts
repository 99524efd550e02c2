import { and, assign, createActor, fromTransition, setup } from 'xstate';
import {
  type AgentEvent,
  type AgentInput,
  agentMachineFor,
  type AgentRequest,
  type BrainAction,
  createEventBus,
  DEFAULT_PRICES,
  type Phase,
  type SchedulerEvent,
  traceRecorder,
} from '../../machines';
import { randomStream } from '../../domain/economy/random';
import { mismatch, supplyMismatch, undecodableEvents } from './checks';
import type { MachineModel, ModelPath } from './generate';
import { crash, noticesTold, puppetBrain } from './puppet-brain';

/**
 * An independent model of the agent machine: the same statechart, with what the agent owes its parent
 * and its brain counted in the context instead of sent, so that a generated path also says how many
 * turn endings, tool requests and notices the real agent must have sent by each step. Paths generated
 * from it are played against the real agent machine.
 */

interface AgentModelContext {
  readonly openBids: number;
  readonly actionsThisTurn: number;
  readonly brainFailed: boolean;
  /** The actions of the brain's last answer still to perform. */
  readonly batch: readonly BrainAction[];
  /** What the agent must have sent by now: turn endings and tool requests to its parent, bids to the scheduler, notices to its brain. */
  readonly turnsEnded: number;
  readonly toolRequests: number;
  readonly bidsSent: number;
  readonly notices: number;
}

const AGENT_ID = 'agent-model';
/** Small, so that a path reaches the cut-off of a brain that never ends its turn. */
const MAX_ACTIONS_PER_TURN = 2;
/** Open bids the paths explore: more of them enable no transition that fewer do not. */
const MAX_OPEN_BIDS = 2;

const TAKE_TURN = [{ guard: 'isExecutingTurn', target: 'executing' }, { target: 'bidding' }] as const;
const nextAction = (context: AgentModelContext): BrainAction | undefined => context.batch[0];
const turnOf = (event: AgentEvent) => event as Extract<AgentEvent, { type: 'turn.started' }>;

/**
 * A turn, bidding or executing: the brain thinks, the agent performs its answer an action at a time,
 * waiting for each tool call's result; the turn ends in dormancy unless a bid is still to be heard of.
 */
const TURN = {
  entry: 'beginTurn',
  initial: 'thinking',
  states: {
    thinking: { on: { 'brain.act': { target: 'acting', actions: 'takeAnswer' } } },
    acting: {
      always: [
        { guard: and(['nextIsTurnEnd', 'hasNoOpenBids']), target: '#agent.dormant', actions: 'endTurn' },
        { guard: 'nextIsTurnEnd', target: '#agent.awaitingAllocation', actions: 'endTurn' },
        { guard: 'answerIsSpent', target: 'thinking' },
        { guard: and(['turnActionLimitReached', 'hasNoOpenBids']), target: '#agent.dormant', actions: 'endTurn' },
        { guard: 'turnActionLimitReached', target: '#agent.awaitingAllocation', actions: 'endTurn' },
        { guard: 'nextIsBid', target: 'awaitingResult', actions: 'sendBid' },
        { guard: 'nextIsToolCall', target: 'awaitingResult', actions: 'requestTool' },
        { actions: 'recordNote' },
      ],
    },
    awaitingResult: { on: { 'tool.response': { target: 'acting', actions: 'takeResult' } } },
  },
  on: {
    'turn.abandoned': [{ guard: 'hasNoOpenBids', target: 'dormant', actions: 'endTurn' }, { target: 'awaitingAllocation', actions: 'endTurn' }],
    // The orchestrator is waiting for this turn: it is told the turn ended in failure.
    'xstate.error.actor.brain': { target: 'brainFailed', actions: ['failBrain', 'endTurn'] },
  },
} as const;

export const agentModelMachine = setup({
  types: {} as { context: AgentModelContext; events: AgentEvent },
  actions: {
    beginTurn: assign(({ context, event }) => {
      const turn = turnOf(event);
      const lost = turn.notices?.filter((notice) => notice.type === 'bid_rejected').length ?? 0;
      return { actionsThisTurn: 0, batch: [], openBids: context.openBids - lost - (turn.phase === 'executing' ? 1 : 0) };
    }),
    takeAnswer: assign({
      batch: ({ event }) => {
        const act = event as Extract<AgentEvent, { type: 'brain.act' }>;
        return 'actions' in act ? act.actions : [act.action];
      },
    }),
    endTurn: assign({ turnsEnded: ({ context }) => context.turnsEnded + 1, batch: [] }),
    // A tool call counts towards the turn's actions once its result is taken.
    requestTool: assign({ toolRequests: ({ context }) => context.toolRequests + 1 }),
    sendBid: assign({ bidsSent: ({ context }) => context.bidsSent + 1 }),
    recordNote: assign({ actionsThisTurn: ({ context }) => context.actionsThisTurn + 1, batch: ({ context }) => context.batch.slice(1) }),
    // A failed call stops the batch; a placed bid is open until the agent hears of it.
    takeResult: assign(({ context, event }) => {
      const { tool_name, outcome } = event as Extract<AgentEvent, { type: 'tool.response' }>;
      const placed = tool_name === 'market.bid' && outcome.result === 'success';
      return {
        openBids: placed ? context.openBids + 1 : context.openBids,
        actionsThisTurn: context.actionsThisTurn + 1,
        batch: outcome.result === 'failure' ? [] : context.batch.slice(1),
      };
    }),
    closeBid: assign({ openBids: ({ context }) => context.openBids - 1 }),
    forwardNotice: assign({ notices: ({ context }) => context.notices + 1 }),
    failBrain: assign({ brainFailed: true }),
  },
  guards: {
    isExecutingTurn: ({ event }) => turnOf(event).phase === 'executing',
    nextIsTurnEnd: ({ context }) => nextAction(context)?.kind === 'end_turn',
    answerIsSpent: ({ context }) => context.batch.length === 0,
    turnActionLimitReached: ({ context }) => context.actionsThisTurn >= MAX_ACTIONS_PER_TURN,
    nextIsBid: ({ context }) => {
      const action = nextAction(context);
      return action?.kind === 'tool' && action.tool_name === 'market.bid';
    },
    nextIsToolCall: ({ context }) => nextAction(context)?.kind === 'tool',
    hasNoOpenBids: ({ context }) => context.openBids <= 0,
    isLastOpenBid: ({ context }) => context.openBids <= 1,
  },
}).createMachine({
  id: 'agent',
  context: { openBids: 0, actionsThisTurn: 0, brainFailed: false, batch: [], turnsEnded: 0, toolRequests: 0, bidsSent: 0, notices: 0 },
  initial: 'dormant',
  on: {
    notified: { actions: 'forwardNotice' },
    'bid.withdrawn': { actions: 'closeBid' },
    'agent.died': '.dead',
    'world.stopped': '.stopped',
    'xstate.error.actor.brain': { target: '.brainFailed', actions: 'failBrain' },
  },
  states: {
    // Without an open bid there is no won window, so a dormant agent is only ever offered a bidding turn.
    dormant: { on: { 'turn.started': 'bidding' } },
    awaitingAllocation: {
      on: {
        'turn.started': TAKE_TURN,
        'bid.withdrawn': [{ guard: 'isLastOpenBid', target: 'dormant', actions: 'closeBid' }, { actions: 'closeBid' }],
      },
    },
    bidding: TURN,
    executing: TURN,
    /** Every turn offered to an agent without a brain ends at once, in failure. */
    brainFailed: { on: { 'turn.started': { actions: 'endTurn' } } },
    dead: { type: 'final' },
    stopped: { type: 'final' },
  },
});

type AgentModelSnapshot = ReturnType<typeof agentModelMachine.transition>;

const turnStarted = (phase: Phase, notices?: AgentNotices): AgentEvent => ({
  type: 'turn.started',
  phase,
  observation: { agent_id: AGENT_ID, cycle: 1, balance: 100, prices: DEFAULT_PRICES },
  ...(notices === undefined ? {} : { notices }),
});
const act = (action: BrainAction): AgentEvent => ({ type: 'brain.act', action });
const batch = (...actions: BrainAction[]): AgentEvent => ({ type: 'brain.act', actions });
type AgentNotices = NonNullable<Extract<AgentEvent, { type: 'turn.started' }>['notices']>;
const rejection = createEventBus('model-paths').notice('bid_rejected', AGENT_ID, { agent_id: AGENT_ID, bid_id: 'bid-000001', reason: 'outbid' });

const END_TURN: BrainAction = { kind: 'end_turn' };
const BID: BrainAction = { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 10, bundle: { cpu: 0.1, duration_seconds: 60 } } };
const GET_PRICES: BrainAction = { kind: 'tool', tool_name: 'market.get_prices' };
const REASONING: BrainAction = { kind: 'reasoning', content: 'bid while prices are low', decision: 'bid' };
const REFLECTION: BrainAction = { kind: 'reflection', trigger: 'bid_won', outcome_assessment: 'worth it' };
const ACTIONS: readonly BrainAction[] = [END_TURN, BID, GET_PRICES, REASONING, REFLECTION];
/** A bid and the turn's end at once; a note before a call; two notes, which reach the cut-off in one answer. */
const BATCHES: readonly AgentEvent[] = [batch(BID, END_TURN), batch(REASONING, GET_PRICES), batch(REASONING, REFLECTION, END_TURN)];
const BID_PLACED: AgentEvent = {
  type: 'tool.response',
  tool_name: 'market.bid',
  outcome: { result: 'success', response: { bid_id: 'bid-000001', total_cost: 10 } },
};
const BID_REFUSED: AgentEvent = { type: 'tool.response', tool_name: 'market.bid', outcome: { result: 'failure', reason: 'insufficient_balance' } };
const BRAIN_CRASHED: AgentEvent = { type: 'xstate.error.actor.brain', error: new Error('the brain crashed') };

/** What the agent can be sent in a state: a bid is lost (told with a turn), withdrawn or executed only while one is open; a failed brain cannot fail again. */
function agentEvents({ context }: AgentModelSnapshot): AgentEvent[] {
  const withOpenBid: AgentEvent[] = [turnStarted('executing'), turnStarted('bidding', [rejection]), { type: 'bid.withdrawn' }];
  return [
    turnStarted('bidding'),
    ...(context.openBids > 0 ? withOpenBid : []),
    ...ACTIONS.map(act),
    ...BATCHES,
    ...(context.openBids < MAX_OPEN_BIDS ? [BID_PLACED] : []),
    BID_REFUSED,
    { type: 'turn.abandoned', reason: 'brain_timeout' },
    { type: 'notified', event: rejection },
    { type: 'agent.died' },
    { type: 'world.stopped' },
    ...(context.brainFailed ? [] : [BRAIN_CRASHED]),
  ];
}

export const agentModel: MachineModel<typeof agentModelMachine> = {
  machine: agentModelMachine,
  input: undefined,
  events: agentEvents,
  summarise: ({ context }) => [context.openBids, context.actionsThisTurn, context.brainFailed, context.batch.length],
};

/** Stands in for the scheduler: counts the bids it is sent and answers none, as the paths answer for it. */
const countingScheduler = fromTransition((bids: number, event: SchedulerEvent) => (event.type === 'bid.place' ? bids + 1 : bids), 0);

/**
 * Plays `path` against a real agent with a puppet brain, invoked by a stand-in parent that counts
 * what the agent asks of it, beside a stand-in scheduler, and returns what did not hold after each
 * step: the agent's state and counters, what it sent its parent, the scheduler and its brain, the
 * trace's decoding and its credits (an agent alone neither mints nor burns any).
 */
export function runAgentPath(path: ModelPath<typeof agentModelMachine>): string[] {
  const recorder = traceRecorder();
  const input: AgentInput = {
    agent_id: AGENT_ID,
    bus: createEventBus('model-paths', [recorder]),
    random: randomStream('model-paths'),
    brain: puppetBrain,
    max_actions_per_turn: MAX_ACTIONS_PER_TURN,
  };
  const parent = setup({
    types: {} as { context: { turnsEnded: number; toolRequests: number }; events: AgentRequest },
    actors: { agent: agentMachineFor(puppetBrain), scheduler: countingScheduler },
  }).createMachine({
    context: { turnsEnded: 0, toolRequests: 0 },
    invoke: [
      { id: 'scheduler', systemId: 'scheduler', src: 'scheduler' },
      { id: 'agent', src: 'agent', input },
    ],
    on: {
      'turn.ended': { actions: assign({ turnsEnded: ({ context }) => context.turnsEnded + 1 }) },
      'tool.request': { actions: assign({ toolRequests: ({ context }) => context.toolRequests + 1 }) },
    },
  });
  const actor = createActor(parent).start();
  const { agent, scheduler } = actor.getSnapshot().children;
  if (agent === undefined || scheduler === undefined) return ['the agent or the scheduler did not start'];
  const brain = agent.getSnapshot().children.brain;
  if (brain === undefined) return ['the agent did not invoke its brain'];
  return path.steps.flatMap((step, index) => {
    if (step.event.type === 'xstate.error.actor.brain') crash(brain);
    else agent.send(step.event);
    const real = agent.getSnapshot();
    const model = step.snapshot;
    const told = actor.getSnapshot().context;
    const problems = [
      ...mismatch('state', real.value, model.value),
      ...mismatch(
        'open bids, actions this turn, brain failed; turn endings, tool requests and bids sent, notices passed on',
        [
          real.context.openBids,
          real.context.actionsThisTurn,
          real.context.brainFailure !== undefined,
          told.turnsEnded,
          told.toolRequests,
          scheduler.getSnapshot().context,
          noticesTold(brain),
        ],
        [
          model.context.openBids,
          model.context.actionsThisTurn,
          model.context.brainFailed,
          model.context.turnsEnded,
          model.context.toolRequests,
          model.context.bidsSent,
          model.context.notices,
        ],
      ),
      ...undecodableEvents(recorder.events),
      ...supplyMismatch(recorder.events, 0),
    ];
    return problems.map((problem) => `step ${index + 1} (${step.event.type}): ${problem}`);
  });
}
