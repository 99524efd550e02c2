import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/economy/events';
import { eventsOf } from './fixtures/events-of';
import { balanceOf } from '../domain/economy/ledger';
import { defineBrain, type BrainAction, type BrainLogic, type Phase } from '../machines/brains/protocol';
import { traceRecorder } from '../machines/event-bus';
import { createWorld, runWorld, type World } from '../machines/world/world';
import type { AgentSetup, WorldConfig } from '../machines/world/config';

/**
 * The actors together: bids placed and refused, allocations, windows, deaths, spawns and injected
 * events, each checked in the trace the run records.
 */

type Plan = Partial<Record<Phase, readonly (readonly BrainAction[])[]>>;

/**
 * A brain that plays, in its n-th turn of a phase, the n-th list of actions of that phase, then ends
 * the turn; a turn beyond the plan ends at once. Notices go to `heard`.
 */
function plannedBrain(plan: Plan, heard: DomainEvent[] = []): BrainLogic {
  type Memory = { readonly turns: Record<Phase, number>; readonly queue: readonly BrainAction[] };
  const next = (memory: Memory, queue: readonly BrainAction[]): readonly [Memory, BrainAction] => {
    const [action, ...rest] = queue;
    return action === undefined ? [{ ...memory, queue: [] }, { kind: 'end_turn' }] : [{ ...memory, queue: rest }, action];
  };
  return defineBrain<Memory>({
    initial: () => ({ turns: { bidding: 0, executing: 0 }, queue: [] }),
    act(memory, prompt) {
      if (prompt.type !== 'turn.started') return next(memory, memory.queue);
      const count = memory.turns[prompt.phase];
      const turns = { ...memory.turns, [prompt.phase]: count + 1 };
      return next({ ...memory, turns }, plan[prompt.phase]?.[count] ?? []);
    },
    notice(memory, event) {
      heard.push(event);
      return memory;
    },
  });
}

const bid = (amount: number, bundle: Record<string, number>): BrainAction => ({
  kind: 'tool',
  tool_name: 'market.bid',
  arguments: { amount, bundle: { duration_seconds: 60, ...bundle } },
});
const tool = (tool_name: string, args: Record<string, unknown> = {}): BrainAction => ({ kind: 'tool', tool_name, arguments: args });

function agent(id: string, balance: number, plan: Plan, heard?: DomainEvent[]): AgentSetup {
  return { id, balance, brain: plannedBrain(plan, heard) };
}

async function run(agents: AgentSetup[], options: Partial<WorldConfig> = {}) {
  const result = await runWorld({ scenario_id: 'machines', seed: 7, cycles: 1, agents, ...options });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
}


test('a bid the agent cannot afford is refused at placement, with what it needed and had', async () => {
  const { trace } = await run([agent('poor', 10, { bidding: [[bid(50, { cpu: 0.1 })]] })]);
  assert.equal(eventsOf(trace, 'bid_placed'), []);
  const [refusal] = eventsOf(trace, 'bid_rejected', 'poor');
  assert.equal(refusal?.data, { agent_id: 'poor', reason: 'insufficient_balance', required: 50, available: 10 });
  const [completed] = eventsOf(trace, 'tool_call_completed', 'poor');
  assert.is(completed?.data.result, 'failure');
});

test('a bid the agent can afford is placed', async () => {
  const { trace } = await run([agent('rich', 100, { bidding: [[bid(50, { cpu: 0.1 })]] })]);
  assert.equal(eventsOf(trace, 'bid_placed', 'rich').map((event) => event.data.total_cost), [50]);
  assert.equal(eventsOf(trace, 'bid_rejected'), []);
});

test('open bids count against the balance: a second bid beyond it is refused', async () => {
  const { trace } = await run([agent('a', 30, { bidding: [[bid(20, { cpu: 0.1 }), bid(20, { cpu: 0.1 })]] })]);
  assert.is(eventsOf(trace, 'bid_placed').length, 1);
  assert.equal(eventsOf(trace, 'bid_rejected')[0]?.data, { agent_id: 'a', reason: 'insufficient_balance', required: 20, available: 10 });
});

test("a bid in a window is judged by the balance after the allocation's charge and the window's spending", async () => {
  const plan: Plan = {
    bidding: [[bid(60, { cpu: 0.1 })]],
    executing: [[bid(50, { cpu: 0.1 }), tool('economic.transfer', { to_agent: 'friend', amount: 30 }), bid(20, { cpu: 0.1 }), bid(10, { cpu: 0.1 })]],
  };
  const { trace } = await run([agent('spender', 100, plan), agent('friend', 1, {})]);
  // 100 - 60 charged leaves 40; 30 given away leaves 10.
  assert.equal(eventsOf(trace, 'bid_rejected', 'spender').map((event) => event.data), [
    { agent_id: 'spender', reason: 'insufficient_balance', required: 50, available: 40 },
    { agent_id: 'spender', reason: 'insufficient_balance', required: 20, available: 10 },
  ]);
  assert.equal(eventsOf(trace, 'bid_placed', 'spender').map((event) => event.data.total_cost), [60, 10]);
});

test("the human's reward can be bid in the next cycle", async () => {
  const plan: Plan = {
    bidding: [[bid(10, { cpu: 0.1 })], [bid(500, { cpu: 0.1 })]],
    executing: [[tool('human.prompt', { prompt: 'worth a look', bid_amount: 15 })]],
  };
  const { trace } = await run([agent('asker', 30, plan)], { cycles: 2, human: () => ({ interesting: 5, useful: 5, understandable: 5 }) });
  assert.equal(eventsOf(trace, 'human_reward_issued', 'asker').map((event) => event.data.credits_awarded), [750]);
  assert.equal(eventsOf(trace, 'bid_placed', 'asker').map((event) => event.data.total_cost), [10, 500]);
});

test('two bids for the same capacity: the higher wins, the lower is outbid and charged nothing', async () => {
  const { trace, ledger } = await run([
    agent('low', 100, { bidding: [[bid(20, { cpu: 0.6 })]] }),
    agent('high', 100, { bidding: [[bid(30, { cpu: 0.6 })]] }),
  ]);
  assert.equal(eventsOf(trace, 'resources_allocated').map((event) => event.agent_id), ['high']);
  assert.equal(eventsOf(trace, 'bid_processed', 'low').map((event) => event.data.status), ['outbid']);
  assert.equal(eventsOf(trace, 'bid_rejected', 'low').map((event) => event.data.reason), ['outbid']);
  assert.equal(eventsOf(trace, 'credits_burned').map((event) => [event.agent_id, event.data.amount]), [['high', 30]]);
  assert.is(balanceOf(ledger, 'low'), 100);
  assert.is(balanceOf(ledger, 'high'), 70);
});

test('a bundle that fits on cpu but not on memory is not allocated and uses no cpu', async () => {
  const { trace } = await run([
    agent('first', 100, { bidding: [[bid(50, { cpu: 0.1, memory: 0.8 })]] }),
    agent('no-memory', 100, { bidding: [[bid(40, { cpu: 0.1, memory: 0.5 })]] }),
    // Fits only if no-memory's cpu was never taken: 0.1 + 0.85 <= 1, but 0.1 + 0.1 + 0.85 > 1.
    agent('cpu-only', 100, { bidding: [[bid(30, { cpu: 0.85 })]] }),
  ]);
  assert.equal(eventsOf(trace, 'resources_allocated').map((event) => event.agent_id), ['first', 'cpu-only']);
  assert.equal(eventsOf(trace, 'bid_rejected', 'no-memory').map((event) => event.data.reason), ['outbid']);
  assert.equal(eventsOf(trace, 'credits_burned', 'no-memory'), []);
});

test('a winner executes its window in clearing order, and the window ends', async () => {
  const { trace } = await run([
    agent('second', 100, { bidding: [[bid(10, { cpu: 0.1 })]], executing: [[tool('output.submit', { content: 'x' })]] }),
    agent('first', 100, { bidding: [[bid(20, { cpu: 0.1 })]] }),
  ]);
  const windows = eventsOf(trace, 'execution_started').map((event) => event.agent_id);
  assert.equal(windows, ['first', 'second']);
  const ends = eventsOf(trace, 'execution_terminated').map((event) => [event.agent_id, event.data.exit_code, event.data.reason]);
  assert.equal(ends, [['first', 0, 'completed'], ['second', 0, 'completed']]);
  const submitted = eventsOf(trace, 'tool_call_completed', 'second').find((event) => event.data.tool_name === 'output.submit');
  assert.is(submitted?.data.result, 'success');
});

test('a tool other than the market is refused while bidding, and the turn goes on', async () => {
  const { trace } = await run([agent('eager', 100, { bidding: [[tool('output.submit'), bid(10, { cpu: 0.1 })]] })]);
  const [refused, placed] = eventsOf(trace, 'tool_call_completed', 'eager');
  assert.equal(refused?.data, { tool_name: 'output.submit', result: 'failure', reason: 'not_allowed_while_bidding', response: refused?.data.response });
  assert.is(placed?.data.result, 'success');
});

test('an agent at zero balance dies in the death check and never runs again', async () => {
  const { trace, cycles } = await run(
    [
      agent('all-in', 10, { bidding: [[bid(10, { cpu: 0.1 })], [bid(1, { cpu: 0.1 })]] }),
      agent('careful', 10, { bidding: [[bid(5, { cpu: 0.1 })], [bid(1, { cpu: 0.1 })]] }),
    ],
    { cycles: 2 },
  );
  const deaths = eventsOf(trace, 'agent_died');
  assert.equal(deaths.map((event) => [event.agent_id, event.data.final_balance]), [['all-in', 0]]);
  const afterDeath = trace.slice(trace.indexOf(deaths[0]!) + 1);
  assert.equal(afterDeath.filter((event) => event.agent_id === 'all-in'), []);
  assert.is(eventsOf(afterDeath, 'bid_placed', 'careful').length, 1, 'the survivor bids again');
  assert.equal(cycles.map(({ alive, dead }) => [alive, dead]), [[1, 1], [1, 1]]);
});

test('the run ends early when nobody is left alive', async () => {
  const { cycles } = await run([agent('all-in', 10, { bidding: [[bid(10, { cpu: 0.1 })]] })], { cycles: 5 });
  assert.is(cycles.length, 1);
});

test('a spawn creates a running child, its initial balance taken from the parent', async () => {
  const parentPlan: Plan = {
    bidding: [[bid(20, { cpu: 0.1 })]],
    executing: [[tool('agent.spawn', { child_id: 'child', model_tier: 'small', initial_balance: 100 })]],
  };
  const { trace, ledger } = await run([agent('parent', 500, parentPlan)], {
    cycles: 2,
    spawn: { costs: { small: 10 }, brainFor: () => plannedBrain({ bidding: [[bid(5, { cpu: 0.1 })]] }) },
  });
  const [spawned] = eventsOf(trace, 'agent_spawned');
  assert.equal(spawned?.data, { parent_id: 'parent', child_id: 'child', spawn_cost: 10, model_tier: 'small', initial_balance: 100 });
  assert.equal(eventsOf(trace, 'agent_created', 'child').map((event) => event.data.initial_balance), [100]);
  assert.equal(eventsOf(trace, 'credits_burned', 'parent').map((event) => event.data.reason), ['resource_purchase', 'spawn_cost']);
  assert.is(balanceOf(ledger, 'parent'), 500 - 20 - 10 - 100);
  assert.equal(eventsOf(trace, 'bid_placed', 'child').map((event) => event.data.total_cost), [5], 'the child takes its turn');
  assert.is(balanceOf(ledger, 'child'), 100 - 5);
});

test('a spawn the parent cannot pay for creates no child', async () => {
  const plan: Plan = {
    bidding: [[bid(20, { cpu: 0.1 })]],
    executing: [[tool('agent.spawn', { child_id: 'child', model_tier: 'small', initial_balance: 100 })]],
  };
  const { trace, ledger } = await run([agent('parent', 50, plan)], { spawn: { costs: { small: 10 } } });
  assert.equal(eventsOf(trace, 'agent_spawned'), []);
  const spawnCall = eventsOf(trace, 'tool_call_completed', 'parent').find((event) => event.data.tool_name === 'agent.spawn');
  assert.equal([spawnCall?.data.result, spawnCall?.data.reason], ['failure', 'insufficient_balance']);
  assert.is(balanceOf(ledger, 'parent'), 30);
});

test('an injected rejection reaches the agent, withdraws the bid, and the agent can bid again', async () => {
  const heard: DomainEvent[] = [];
  const recorder = traceRecorder();
  const config: WorldConfig = {
    scenario_id: 'machines',
    seed: 7,
    cycles: 2,
    agents: [agent('retrier', 100, { bidding: [[bid(40, { cpu: 0.1 })], [bid(30, { cpu: 0.1 })]] }, heard)],
  };
  const created = createWorld(config, [recorder]);
  assert.ok(isRight(created));
  const world = (created as { right: World }).right;
  let injected = false;
  // Like a scenario trigger: reject the first bid the moment it is placed.
  world.bus.attach({
    write(event) {
      if (event.type !== 'bid_placed' || injected) return;
      injected = true;
      const delivered = world.inject('retrier', { type: 'bid_rejected', data: { agent_id: 'retrier', bid_id: event.data.bid_id, reason: 'insufficient_capacity' } });
      assert.ok(isRight(delivered));
    },
  });
  assert.ok(isRight(await world.runCycle()));
  assert.ok(isRight(await world.runCycle()));
  const trace = recorder.events;
  const [rejection] = eventsOf(trace, 'bid_rejected', 'retrier');
  assert.equal(rejection?.data, { agent_id: 'retrier', bid_id: 'bid-000001', reason: 'insufficient_capacity', injected: true });
  assert.equal(heard.map((event) => event.event_id), [rejection?.event_id], 'the brain heard it once');
  assert.equal(eventsOf(trace, 'resources_allocated').map((event) => event.data.bid_id), ['bid-000002'], 'only the new bid wins');
  assert.is(balanceOf(world.ledger(), 'retrier'), 70);
});

test('an injection that does not decode as its event type is refused before anything is recorded', async () => {
  const created = createWorld({ scenario_id: 'machines', seed: 7, cycles: 1, agents: [agent('a', 10, {})] });
  assert.ok(isRight(created));
  const world = (created as { right: World }).right;
  const before = world.bus.emittedCount();
  assert.equal(world.inject('a', { type: 'bid_rejected', data: { agent_id: 'a' } }), {
    _tag: 'Left',
    left: ['$.data.reason: expected string, got nothing'],
  });
  assert.ok(isLeft(world.inject('nobody', { type: 'bid_rejected', data: { agent_id: 'a', reason: 'x' } })));
  assert.is(world.bus.emittedCount(), before);
});

test('ending a run early gives the escrow of unanswered prompts back', async () => {
  const plan: Plan = { bidding: [[bid(10, { cpu: 0.1 })]], executing: [[tool('human.prompt', { prompt: 'look at this', bid_amount: 25 })]] };
  const created = createWorld({ scenario_id: 'machines', seed: 7, cycles: 5, agents: [agent('asker', 100, plan)] });
  assert.ok(isRight(created));
  const world = (created as { right: World }).right;
  assert.ok(isRight(await world.runCycle()));
  assert.equal([world.ledger().balances.asker, world.ledger().escrow.asker], [65, 25]);
  assert.ok(isRight(world.finish()));
  assert.is(world.status(), 'finished');
  assert.equal([world.ledger().balances.asker, world.ledger().escrow.asker], [90, 0]);
  assert.ok(isLeft(await world.runCycle()), 'a finished run runs no more cycles');
});

test('a brain that never ends its turn is cut off and its window closed', async () => {
  const looping = Array.from({ length: 10 }, () => tool('economic.get_balance'));
  const { trace } = await run([agent('looper', 100, { bidding: [[bid(10, { cpu: 0.1 })]], executing: [looping] })], {
    max_actions_per_turn: 3,
  });
  assert.is(eventsOf(trace, 'balance_queried', 'looper').length, 3);
  assert.equal(eventsOf(trace, 'execution_terminated').map((event) => [event.data.exit_code, event.data.reason]), [[0, 'window_closed']]);
});

test('a brain that crashes ends its window with a non-zero exit and takes no further turn', async () => {
  const crashing = defineBrain<number>({
    initial: () => 0,
    act: (turns, prompt) => {
      if (prompt.type === 'turn.started' && prompt.phase === 'executing') throw new Error('out of ideas');
      return turns === 0 && prompt.type === 'turn.started' ? [1, bid(10, { cpu: 0.1 })] : [turns, { kind: 'end_turn' }];
    },
  });
  const { trace } = await run([{ id: 'fragile', balance: 100, brain: crashing }], { cycles: 2 });
  assert.equal(eventsOf(trace, 'execution_terminated').map((event) => [event.data.exit_code, event.data.reason]), [[1, 'brain_failed: out of ideas']]);
  assert.is(eventsOf(trace, 'bid_placed').length, 1);
});

test('a brain answering with an empty batch fails, rather than being asked again forever', async () => {
  const silent = defineBrain<null>({ initial: () => null, act: () => [null, []] });
  const steady = defineBrain<null>({ initial: () => null, act: () => [null, [{ kind: 'end_turn' }]] });
  const { cycles, trace } = await run(
    [
      { id: 'silent', balance: 100, brain: silent },
      { id: 'steady', balance: 100, brain: steady },
    ],
    { cycles: 2 },
  );
  assert.equal(cycles.map(({ alive }) => alive), [2, 2]);
  // The failed brain answers nothing and bids nothing; the run goes on for the others.
  assert.is(trace.filter((event) => event.agent_id === 'silent' && event.type !== 'agent_created').length, 0);
});

test('an invalid world is refused with every problem and where it is', async () => {
  const brain = plannedBrain({});
  const result = await runWorld({
    scenario_id: 'machines',
    seed: 1,
    cycles: 0,
    agents: [
      { id: 'a', balance: 10, brain },
      { id: 'a', balance: 10, brain },
      { id: 'b', balance: -1, brain },
    ],
  });
  assert.equal(result, {
    _tag: 'Left',
    left: ['cycles: expected a positive integer, got 0', 'agents[1] (a): duplicate agent id', 'agents[2] (b): invalid balance -1'],
  });
});

test.run();
