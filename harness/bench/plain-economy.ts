import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { clearAuction, FULL_SUPPLY, type Bid } from '../../domain/economy/auction';
import { nextStep, startCycle, type VirtualClock } from '../../domain/economy/clock';
import { roundCredits } from '../../domain/economy/credits';
import { errorMessage } from '../../domain/codec/error-message';
import type { DomainEvent, EventData, EventOfType, EventType } from '../../domain/economy/events';
import { balanceIn, balanceOf, burnMany } from '../../domain/economy/ledger';
import { discoverPrices } from '../../domain/economy/pricing';
import { fork } from '../../domain/economy/random';
import {
  answered,
  answerPrompts,
  COMPLETED,
  CUT_OFF,
  createEventBus,
  deathsDue,
  definitionOf,
  isPerformedByScheduler,
  orchestratorInput,
  performTool,
  readBid,
  stampEvent,
  releaseUnansweredPrompts,
  TOKENS_PER_CAPACITY,
  wakeSleepers,
  type ActionResult,
  type BrainAction,
  type BrainDefinition,
  type BrainPrompt,
  type Emission,
  type EventBus,
  type Observation,
  type Phase,
  type ToolOutcome,
  type TurnEnding,
  type TurnStarted,
  type WorldConfig,
  type WorldState,
} from '../../machines';

/**
 * The economy the engine runs, written as one plain loop with no actors: the bench's floor. It keeps
 * the engine's rules and order to the event (the same pure world steps, tools, clearing and pricing,
 * each agent's brain asked as its agent would ask it, with the same random streams), so that with a
 * sink its trace is the engine's byte for byte (a test compares them), and without one it records
 * nothing at all. What the engine costs beyond this loop is what its machines cost.
 *
 * It runs brains defined as plain functions (`defineBrain`) only, and no spawning: the bench's and
 * the studies' economies.
 */

/** Where the reference's events go: stamped and delivered as the engine's bus does, or nowhere. */
interface Recorder {
  emit<K extends EventType>(type: K, agentId: string, data: EventData<K>): void;
  /** An event an agent is told of later: made even when nothing is recorded, as its brain reads it. */
  notice<K extends EventType>(type: K, agentId: string, data: EventData<K>): EventOfType<K>;
  emitAll(emissions: readonly Emission[]): void;
  startCycle(cycle: number): void;
}

function busRecorder(bus: EventBus): Recorder {
  return {
    emit: (type, agentId, data) => void bus.emit(type, agentId, data),
    notice: (type, agentId, data) => bus.notice(type, agentId, data),
    emitAll: (emissions) => bus.emitAll(emissions),
    startCycle: (cycle) => bus.startCycle(cycle),
  };
}

/** Records nothing, but counts and clocks every event so that a notice is stamped as it would be in a trace. */
function silentRecorder(scenarioId: string): Recorder {
  let clock: VirtualClock = startCycle(0);
  let emitted = 0;
  const step = () => {
    emitted += 1;
    clock = nextStep(clock);
  };
  return {
    emit: step,
    notice(type, agent_id, data) {
      step();
      return stampEvent(emitted, clock.cycle, clock.step, type, scenarioId, agent_id, data) as EventOfType<typeof type>;
    },
    emitAll(emissions) {
      for (let index = 0; index < emissions.length; index += 1) step();
    },
    startCycle(cycle) {
      clock = startCycle(cycle);
    },
  };
}

interface PlainAgent {
  readonly id: string;
  readonly definition: BrainDefinition<unknown>;
  memory: unknown;
  /** The results of the answer that ended the last turn, told with the next. */
  results: ActionResult[];
  notices: DomainEvent[];
  failure?: string;
}

export interface PlainRun {
  readonly cycles: number;
  readonly agentCycles: number;
  /** What each cycle took, in milliseconds of wall time: the bench's floor for a cycle of the engine's. */
  readonly cycleMs: readonly number[];
}

/**
 * Runs `config`'s world to its end. Given a bus, its events are recorded on it exactly as the engine
 * records them; without one, nothing is recorded.
 */
export function runPlainEconomy(config: WorldConfig, bus?: EventBus): Either<string, PlainRun> {
  const silent = bus === undefined;
  const input = orchestratorInput(config, bus ?? createEventBus(config.scenario_id));
  if (isLeft(input)) return left(input.left.join('\n'));
  const { env, cycles, max_actions_per_turn: maxActions, supply = FULL_SUPPLY } = input.right;
  const recorder = silent ? silentRecorder(config.scenario_id) : busRecorder(bus);
  let world: WorldState = input.right.world;
  const agents = new Map<string, PlainAgent>();
  let living: string[] = [];
  for (const { id, brain } of input.right.agents) {
    const definition = definitionOf(brain);
    if (definition === undefined) return left(`${id}: the plain reference runs only brains defined as plain functions`);
    const random = fork(world.random, `agent:${id}`);
    // A mind never sends to its agent: the protocol's `agent` is not used by a definition's `initial`.
    const memory = definition.initial({ agent_id: id, agent: undefined as never, random });
    agents.set(id, { id, definition, memory, results: [], notices: [] });
    living.push(id);
  }
  recorder.emitAll(input.right.opening);

  // The order book: open bids in placement order and what each agent has committed to them.
  let book: Bid[] = [];
  let committed = new Map<string, number>();
  let placed = 0;
  let executions = 0;
  let deaths = 0;

  function observe(agentId: string): Observation {
    const observation = { agent_id: agentId, cycle: world.cycle, balance: balanceOf(world.ledger, agentId), prices: world.prices };
    const open = world.window;
    if (open === undefined || open.agent_id !== agentId) return observation;
    const { execution_id, bid_id, bundle, token_budget } = open;
    return { ...observation, execution: { execution_id, bid_id, bundle, token_budget } };
  }

  function placeBid(agentId: string, args: Readonly<Record<string, unknown>>): ToolOutcome {
    const order = readBid(args);
    if (isLeft(order)) return order.left;
    const { amount, bundle } = order.right;
    const available = roundCredits(balanceIn(world.ledger.balances, agentId) - (committed.get(agentId) ?? 0));
    if (amount > available) {
      const refusal = { agent_id: agentId, reason: 'insufficient_balance', required: amount, available };
      recorder.emit('bid_rejected', agentId, refusal);
      return { result: 'failure', reason: 'insufficient_balance', response: refusal };
    }
    placed += 1;
    const bid: Bid = { bid_id: `bid-${String(placed).padStart(6, '0')}`, agent_id: agentId, amount, bundle, sequence: placed };
    book.push(bid);
    committed.set(agentId, roundCredits((committed.get(agentId) ?? 0) + amount));
    recorder.emit('bid_placed', agentId, { agent_id: agentId, bid_id: bid.bid_id, bundle, total_cost: amount });
    return { result: 'success', response: { bid_id: bid.bid_id, total_cost: amount } };
  }

  function callTool(agent: PlainAgent, phase: Phase, toolName: string, args: Readonly<Record<string, unknown>>): ToolOutcome {
    if (isPerformedByScheduler(toolName)) return placeBid(agent.id, args);
    const effect = performTool(world, { agent_id: agent.id, tool_name: toolName, arguments: args, phase }, env);
    if (effect.spawn !== undefined) throw new Error('the plain reference does not spawn agents');
    world = effect.world;
    recorder.emitAll(effect.emissions);
    return effect.outcome;
  }

  function perform(agent: PlainAgent, phase: Phase, action: Exclude<BrainAction, { kind: 'end_turn' }>): ActionResult {
    if (action.kind === 'reflection') {
      recorder.emit('reflection', agent.id, { trigger: action.trigger, outcome_assessment: action.outcome_assessment });
      return { type: 'action.recorded', kind: 'reflection' };
    }
    if (action.kind === 'reasoning') {
      const { kind: _kind, ...reasoning } = action;
      recorder.emit('reasoning_trace', agent.id, reasoning);
      return { type: 'action.recorded', kind: 'reasoning' };
    }
    const { tool_name } = action;
    const args = action.arguments ?? {};
    recorder.emit('tool_call_initiated', agent.id, { tool_name, arguments: args });
    const outcome: ToolOutcome = action.refusal !== undefined ? { result: 'failure', reason: action.refusal } : callTool(agent, phase, tool_name, args);
    recorder.emit('tool_call_completed', agent.id, { tool_name, ...outcome });
    return { type: 'tool.result', tool_name, ...outcome };
  }

  /** One turn, as an agent takes it: the brain answers, its actions are performed, until it ends the turn. */
  function takeTurn(agent: PlainAgent, phase: Phase): TurnEnding {
    const turn: TurnStarted = { type: 'turn.started', phase, observation: observe(agent.id) };
    if (agent.notices.length > 0) {
      turn.notices = agent.notices;
      agent.notices = [];
    }
    if (agent.failure !== undefined) return { exit_code: 1, reason: agent.failure };
    let prompt: BrainPrompt = agent.results.length === 0 ? turn : { ...turn, results: agent.results };
    agent.results = [];
    let actions = 0;
    for (;;) {
      let answer;
      try {
        [agent.memory, answer] = answered(agent.definition, agent.memory, prompt);
      } catch (error) {
        agent.failure = `brain_failed: ${errorMessage(error)}`;
        return { exit_code: 1, reason: agent.failure };
      }
      const batch: readonly BrainAction[] = Array.isArray(answer) ? answer : [answer as BrainAction];
      if (batch.length === 0) {
        agent.failure = 'brain_failed: an empty batch of actions';
        return { exit_code: 1, reason: agent.failure };
      }
      const results: ActionResult[] = [];
      agent.results = results;
      let notPerformed = 0;
      for (let index = 0; index < batch.length; index += 1) {
        const action = batch[index]!;
        if (action.kind === 'end_turn') return COMPLETED;
        if (actions >= maxActions) return CUT_OFF;
        const result = perform(agent, phase, action);
        results.push(result);
        actions += 1;
        if (result.type === 'tool.result' && result.result === 'failure') {
          notPerformed = batch.length - index - 1;
          break;
        }
        if (result.type === 'tool.result' && batch[index + 1]?.kind === 'end_turn') return COMPLETED;
      }
      prompt = !Array.isArray(answer) && results[0] !== undefined ? results[0] : { type: 'actions.performed', results, not_performed: notPerformed };
    }
  }

  let agentCycles = 0;
  let cycle = 0;
  const cycleMs: number[] = [];
  while (cycle < cycles && living.length > 0) {
    const started = performance.now();
    cycle += 1;
    agentCycles += living.length;
    const woken = wakeSleepers({ ...world, cycle });
    world = woken.world;
    recorder.startCycle(cycle);
    recorder.emitAll(woken.emissions);

    for (const agentId of living) if (!world.sleepers.has(agentId)) takeTurn(agents.get(agentId)!, 'bidding');

    // Only the living take part in an allocation.
    const balances = deaths === 0 ? world.ledger.balances : Object.fromEntries(living.map((agentId) => [agentId, balanceOf(world.ledger, agentId)]));
    const clearing = clearAuction(book, balances, supply);
    const allocations = clearing.winners.map((bid) => {
      executions += 1;
      return { bid, execution_id: `exec-${String(executions).padStart(6, '0')}` };
    });
    for (const { bid, execution_id } of allocations) {
      const { agent_id, bid_id, amount, bundle } = bid;
      recorder.emit('bid_processed', agent_id, { bid_id, agent_id, amount, status: 'winning' });
      recorder.emit('resources_allocated', agent_id, { agent_id, bid_id, execution_id, bundle, cost: amount });
      recorder.emit('credits_burned', agent_id, { agent_id, amount, reason: 'resource_purchase' });
    }
    for (let index = 0; index < clearing.losers.length; index += 1) {
      const { agent_id, bid_id, amount } = clearing.losers[index]!;
      recorder.emit('bid_processed', agent_id, { bid_id, agent_id, amount, status: 'outbid' });
      agents.get(agent_id)?.notices.push(recorder.notice('bid_rejected', agent_id, { agent_id, bid_id, reason: clearing.reasons[index]! }));
    }
    book = [];
    committed = new Map();
    const charged = burnMany(world.ledger, allocations.map(({ bid }) => ({ agent_id: bid.agent_id, amount: bid.amount })));
    if (isLeft(charged)) return left(`the allocation's winners cannot pay: ${charged.left.kind}`);
    world = { ...world, ledger: charged.right };

    for (const { bid, execution_id } of allocations) {
      const { agent_id, bid_id, bundle } = bid;
      const winner = agents.get(agent_id);
      if (winner === undefined) return left(`${agent_id} won ${bid_id} but is not alive`);
      const token_budget = env.token_budget ?? Math.round(bundle.tokens * TOKENS_PER_CAPACITY);
      world = { ...world, window: { agent_id, execution_id, bid_id, bundle, token_budget, tokens_used: 0 } };
      recorder.emit('execution_started', agent_id, { execution_id, agent_id, resource_bundle_id: bid_id });
      const ending = takeTurn(winner, 'executing');
      recorder.emit('execution_terminated', agent_id, { execution_id, agent_id, ...ending });
      world = { ...world, window: undefined };
    }

    const priced = discoverPrices(world.prices, clearing.winners);
    for (const { resource, old_price, new_price } of priced.updates) {
      recorder.emit('price_update', 'system', { resource, old_price, new_price, reason: 'allocation_clearing' });
    }
    world = { ...world, prices: priced.prices };

    const attended = answerPrompts(world, env.human);
    if (isLeft(attended)) return left(attended.left);
    world = attended.right.world;
    recorder.emitAll(attended.right.emissions);

    const { dead, emissions } = deathsDue(world, living);
    if (dead.length > 0) {
      recorder.emitAll(emissions);
      const gone = new Set(dead);
      for (const agentId of dead) agents.delete(agentId);
      living = living.filter((agentId) => !gone.has(agentId));
      deaths += dead.length;
    }
    cycleMs.push(performance.now() - started);
  }
  const released = releaseUnansweredPrompts(world);
  if (isLeft(released)) return left(released.left);
  return right({ cycles: cycle, agentCycles, cycleMs });
}
