import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { DomainEvent } from '../domain/economy/events';
import { eventsOf } from './fixtures/events-of';
import { nextFloat, randomStream, type RandomStream } from '../domain/economy/random';
import { AbandonTurn, defineAsyncBrain, holdsResources, type AsyncBrain, type BrainFault } from '../machines/brains/async';
import { briefed, defineBrain, type BrainAction, type BrainDefinition, type BrainLogic } from '../machines/brains/protocol';
import { traceRecorder } from '../machines/event-bus';
import { createWorld, runWorld } from '../machines/world/world';
import type { AgentSetup, WorldConfig } from '../machines/world/config';

/**
 * Brains that answer later: the world waits for them, and what they answer, not when, makes the trace.
 * Turns that stay open past their deadline, brains that give up a turn or crash, and a world stopped
 * while it waits.
 */

/** Bids a random share of its balance each bidding turn, completes once in each window, reasons in between. */
const bidder: BrainDefinition<{ random: RandomStream; queue: readonly BrainAction[] }> = {
  initial: ({ random }) => ({ random, queue: [] }),
  act(memory, prompt) {
    if (prompt.type !== 'turn.started') {
      const [next, ...rest] = memory.queue;
      return [{ ...memory, queue: rest }, next ?? { kind: 'end_turn' }];
    }
    if (prompt.phase === 'executing') {
      return [
        { ...memory, queue: [{ kind: 'reasoning', content: 'spent the window', decision: 'complete' }] },
        { kind: 'tool', tool_name: 'llm.complete', arguments: { prompt: 'hello', max_tokens: 8 } },
      ];
    }
    const [draw, random] = nextFloat(memory.random);
    const amount = Math.round((5 + draw * 20) * 100) / 100;
    return [{ random, queue: [] }, { kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle: { cpu: 0.3, duration_seconds: 60 } } }];
  },
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The same decisions as `definition`, each answered after `delayMs()` milliseconds. */
function answeringLater<Memory>(definition: BrainDefinition<Memory>, delayMs: () => number, options = {}): BrainLogic {
  return defineAsyncBrain((input) => {
    let memory = definition.initial(input);
    return {
      async act(prompt) {
        await sleep(delayMs());
        const [next, action] = definition.act(memory, prompt);
        memory = next;
        return action;
      },
    };
  }, options);
}

function world(brain: BrainLogic, overrides: Partial<WorldConfig> = {}): WorldConfig {
  const agents: AgentSetup[] = ['a', 'b', 'c'].map((id) => ({ id, balance: 100, brain }));
  return { scenario_id: 'async', seed: 11, cycles: 4, agents, ...overrides };
}

async function traceOf(config: WorldConfig): Promise<readonly DomainEvent[]> {
  const run = await runWorld(config);
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace;
}


const jsonl = (trace: readonly DomainEvent[]) => trace.map((event) => JSON.stringify(event)).join('\n');

/** Bids `amount` for most of the cpu in its bidding turns as one batch [bid, end_turn]; logs what it is told and asked. */
function loggingBidder(amount: number, log: string[]): BrainLogic {
  return defineAsyncBrain(() => ({
    notice(event) {
      log.push(`notice ${event.type} ${String((event.data as { reason?: unknown }).reason)}`);
    },
    async act(prompt) {
      await sleep(1);
      log.push(prompt.type === 'turn.started' ? `act ${prompt.phase}${prompt.notices === undefined ? '' : ' with notices'}` : `act ${prompt.type}`);
      if (prompt.type !== 'turn.started' || prompt.phase !== 'bidding') return [{ kind: 'end_turn' }];
      return [{ kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle: { cpu: 0.6, duration_seconds: 60 } } }, { kind: 'end_turn' }];
    },
  }));
}

test('a lost bid told with the next turn reaches an asynchronous brain as a notice first, and is left out of the prompt', async () => {
  const winner: string[] = [];
  const loser: string[] = [];
  const config: WorldConfig = {
    scenario_id: 'async',
    seed: 11,
    cycles: 2,
    agents: [
      { id: 'winner', balance: 100, brain: loggingBidder(20, winner) },
      { id: 'loser', balance: 100, brain: loggingBidder(10, loser) },
    ],
  };
  await traceOf(config);
  assert.equal(loser, ['act bidding', 'notice bid_rejected outbid', 'act bidding']);
  assert.equal(winner, ['act bidding', 'act executing', 'act bidding', 'act executing'], 'the winner is told of nothing');
});

test('a brain answering after random delays gives the byte-identical trace of one answering at once', async () => {
  const delays = randomStream('delays');
  let stream = delays;
  const randomDelay = () => {
    const [draw, next] = nextFloat(stream);
    stream = next;
    return Math.floor(draw * 4);
  };
  const synchronous = await traceOf(world(defineBrain(bidder)));
  const slow = await traceOf(world(answeringLater(bidder, randomDelay)));
  assert.ok(eventsOf(synchronous, 'resources_allocated').length > 0, 'the run allocated nothing');
  assert.is(jsonl(slow), jsonl(synchronous));
  // The counterpart: other answers give another trace.
  const otherSeed = await traceOf(world(answeringLater(bidder, () => 0), { seed: 12 }));
  assert.is.not(jsonl(otherSeed), jsonl(synchronous));
});

test('a turn still open at its deadline ends with brain_timeout and the run goes on', async () => {
  const faults: BrainFault[] = [];
  let prompts = 0;
  const silentInWindows = defineAsyncBrain(
    (input) => {
      const plain = bidder.initial(input);
      let memory = plain;
      return {
        act(prompt, signal) {
          prompts += 1;
          if (prompt.type === 'turn.started' && prompt.phase === 'executing') {
            // Never answers; the deadline must end the turn and abort the wait.
            return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
          }
          const [next, action] = bidder.act(memory, prompt);
          memory = next;
          return Promise.resolve(action);
        },
      };
    },
    { turnTimeoutMs: 30, onFault: (fault) => faults.push(fault) },
  );
  const trace = await traceOf(world(silentInWindows, { agents: [{ id: 'a', balance: 100, brain: silentInWindows }], cycles: 2 }));
  const endings = eventsOf(trace, 'execution_terminated').map((event) => [event.data.exit_code, event.data.reason]);
  assert.equal(endings, [
    [1, 'brain_timeout'],
    [1, 'brain_timeout'],
  ]);
  assert.equal(
    faults.map(({ cycle, phase, reason }) => [cycle, phase, reason]),
    [
      // The fault says how long the turn waited and for what; the trace keeps the bare reason.
      [1, 'executing', "brain_timeout: waited 0.03 s for the brain's answer"],
      [2, 'executing', "brain_timeout: waited 0.03 s for the brain's answer"],
    ],
  );
  assert.is(eventsOf(trace, 'bid_placed').length, 2, 'the second cycle was still bid in');
  assert.ok(prompts >= 4);
});

test('a brain that gives up a turn ends it with its reason and is offered the next one', async () => {
  const faults: BrainFault[] = [];
  let turns = 0;
  const givesUpFirst = defineAsyncBrain(
    (input) => {
      let memory = bidder.initial(input);
      return {
        async act(prompt) {
          if (prompt.type === 'turn.started' && ++turns === 1) throw new AbandonTurn('token_limit');
          const [next, action] = bidder.act(memory, prompt);
          memory = next;
          return action;
        },
      };
    },
    { onFault: (fault) => faults.push(fault) },
  );
  const trace = await traceOf({ scenario_id: 'async', seed: 1, cycles: 2, agents: [{ id: 'a', balance: 100, brain: givesUpFirst }] });
  assert.equal(faults.map(({ cycle, phase, reason }) => [cycle, phase, reason]), [[1, 'bidding', 'token_limit']]);
  assert.equal(
    eventsOf(trace, 'bid_placed').map((event) => event.data.agent_id),
    ['a'],
    'only the second bidding turn bid',
  );
});

test('a brain that crashes ends this turn and every later one with brain_failed', async () => {
  const faults: BrainFault[] = [];
  const crashing = defineAsyncBrain(
    () => ({
      async act() {
        throw new Error('socket hang up');
      },
    }),
    { onFault: (fault) => faults.push(fault) },
  );
  const trace = await traceOf({ scenario_id: 'async', seed: 1, cycles: 3, agents: [{ id: 'a', balance: 100, brain: crashing }] });
  assert.equal(
    faults.map(({ cycle, reason }) => [cycle, reason]),
    [
      [1, 'brain_failed: socket hang up'],
      [2, 'brain_failed: socket hang up'],
      [3, 'brain_failed: socket hang up'],
    ],
  );
  assert.is(eventsOf(trace, 'tool_call_initiated').length, 0);
});

test('an answer that comes after its turn was cut off is dropped', async () => {
  let late = 0;
  const lateOnce = defineAsyncBrain(
    (input) => {
      let memory = bidder.initial(input);
      return {
        async act(prompt) {
          if (prompt.type === 'turn.started' && prompt.observation.cycle === 1 && late++ === 0) {
            await sleep(60);
            return { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 99, bundle: { cpu: 0.1, duration_seconds: 60 } } };
          }
          const [next, action] = bidder.act(memory, prompt);
          memory = next;
          return action;
        },
      };
    },
    { turnTimeoutMs: 20 },
  );
  const trace = await traceOf({ scenario_id: 'async', seed: 1, cycles: 2, agents: [{ id: 'a', balance: 100, brain: lateOnce }] });
  await sleep(80);
  const amounts = eventsOf(trace, 'bid_placed').map((event) => event.data.total_cost);
  assert.ok(!amounts.includes(99), `the late bid was placed: ${JSON.stringify(amounts)}`);
  assert.is(amounts.length, 1);
});

test('stopping a world that waits for a brain ends the cycle with a reason and releases the brain', async () => {
  let closed = 0;
  let aborted = false;
  const never: AsyncBrain = {
    act: (_prompt, signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ kind: 'end_turn' });
        });
      }),
    close: () => void (closed += 1),
  };
  const recorder = traceRecorder();
  const created = createWorld({ scenario_id: 'async', seed: 1, cycles: 1, agents: [{ id: 'a', balance: 100, brain: defineAsyncBrain(() => never) }] }, [recorder]);
  assert.ok(isRight(created));
  if (!isRight(created)) return;
  const cycle = created.right.runCycle();
  await sleep(5);
  created.right.stop();
  const outcome = await cycle;
  assert.equal(outcome, { _tag: 'Left', left: 'the world was stopped' });
  assert.is(created.right.status(), 'stopped');
  assert.ok(aborted, 'the pending answer was aborted');
  assert.is(closed, 1);
});

test('stopping a world ends each living agent, which stops its own brain; the orchestrator does not stop them one by one', async () => {
  let closed = 0;
  const endsAtOnce: AsyncBrain = { act: async () => ({ kind: 'end_turn' }), close: () => void (closed += 1) };
  const actors = new Set<AnyActorRef>();
  const inspect = { next: (inspection: InspectionEvent) => void actors.add(inspection.actorRef as AnyActorRef) };
  const brain = defineAsyncBrain(() => endsAtOnce);
  const setups = ['a', 'b', 'c'].map((id) => ({ id, balance: 100, brain }));
  const created = createWorld({ scenario_id: 'async', seed: 1, cycles: 3, agents: setups }, [], inspect);
  assert.ok(isRight(created));
  if (!isRight(created)) return;
  assert.ok(isRight(await created.right.runCycle()));
  created.right.stop();
  await sleep(5);
  assert.is(closed, 3);
  const agents = [...actors].filter((ref) => (ref.getSnapshot() as { machine?: { id: string } }).machine?.id === 'agent');
  assert.is(agents.length, 3);
  assert.equal(agents.map((ref) => ref.getSnapshot().value), ['stopped', 'stopped', 'stopped'], 'every agent ends in its stopped state');
  created.right.stop();
  assert.is(closed, 3, 'a second stop releases nothing twice');
});

test('only asynchronous brains, briefed or not, hold what stopping a world must release', () => {
  const slow = answeringLater(bidder, () => 0);
  assert.ok(holdsResources(slow));
  assert.ok(holdsResources(briefed(slow, { task: 'bid' })), 'a briefed copy keeps the mark');
  assert.not.ok(holdsResources(defineBrain(bidder)), 'a synchronous brain holds nothing: its world stops without stopping each agent');
});

test.run();
