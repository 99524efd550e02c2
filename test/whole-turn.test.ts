import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { InspectionEvent } from 'xstate';
import { defineAsyncBrain, defineBrain, runWorld, type BrainAction, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../machines';

/*
 * A brain defined as plain functions plays a turn whole (performed and ended in the one agent step
 * that offers it) when its answer asks nothing of the world but one bid the market takes, and notes.
 * The trace must be the one the same answers give a step at a time, as an asynchronous brain's are.
 */

const END: BrainAction = { kind: 'end_turn' };
const bid = (amount: number): BrainAction => ({ kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle: { cpu: 0.1, duration_seconds: 60 } } });
const REASONING: BrainAction = { kind: 'reasoning', content: 'prices are low', decision: 'bid' };
const REFLECTION: BrainAction = { kind: 'reflection', trigger: 'bid', outcome_assessment: 'fine' };

/** Each bidding turn's answer, by cycle: whole turns and turns that must go a step at a time, in turn. */
const BIDDING_ANSWERS: readonly BrainAnswer[] = [
  [REASONING, bid(10), REFLECTION, END], // whole: notes and a bid
  [bid(10), bid(5), END], // two bids: a step at a time
  [bid(100_000), END], // refused: the brain is asked again, and ends the turn
  END, // whole: nothing but the end
  [{ kind: 'tool', tool_name: 'market.get_prices' }, END], // a tool of the world's
  [bid(10), { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 'ten' } }, END], // a malformed bid after a good one
  [REASONING, END], // whole: a note
];

function answer(turns: number, prompt: BrainPrompt): BrainAnswer {
  if (prompt.type !== 'turn.started' || prompt.phase === 'executing') return END;
  return BIDDING_ANSWERS[(turns - 1) % BIDDING_ANSWERS.length]!;
}

const definition = {
  initial: () => 0,
  act: (turns: number, prompt: BrainPrompt): readonly [number, BrainAnswer] => {
    const seen = prompt.type === 'turn.started' && prompt.phase === 'bidding' ? turns + 1 : turns;
    return [seen, answer(seen, prompt)];
  },
};

const mind = defineBrain(definition);
/** The same answers from a brain of its own, which the agent prompts and waits for. */
const actor = defineAsyncBrain(() => {
  let turns = 0;
  return {
    act: async (prompt) => {
      const [seen, given] = definition.act(turns, prompt);
      turns = seen;
      return given;
    },
  };
});

async function run(brain: BrainLogic, inspect?: { next: (event: InspectionEvent) => void }, population = 3, cycles = BIDDING_ANSWERS.length * 2) {
  const agents = Array.from({ length: population }, (_, index) => ({ id: `agent-${index}`, balance: 500, brain }));
  const result = await runWorld({ scenario_id: 'whole-turn', seed: 4, cycles, agents }, { inspect });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right.trace.map((event) => JSON.stringify(event));
}

test('a mind playing turns whole writes the trace a brain of its own writes a step at a time', async () => {
  const whole = await run(mind);
  const stepwise = await run(actor);
  assert.ok(whole.some((line) => line.includes('"bid_placed"')) && whole.some((line) => line.includes('"reasoning_trace"')));
  assert.ok(whole.some((line) => line.includes('"insufficient_balance"')), 'a refused bid is in the runs');
  assert.equal(whole, stepwise);
});

/** The event types each machine (by its id) takes, in order. */
function machineEvents() {
  const taken = new Map<string, string[]>();
  const inspect = {
    next(inspection: InspectionEvent) {
      const snapshot = inspection.actorRef.getSnapshot() as { machine?: { id: string } } | undefined;
      const id = snapshot?.machine?.id;
      if (inspection.type !== '@xstate.event' || id === undefined) return;
      taken.set(id, [...(taken.get(id) ?? []), inspection.event.type]);
    },
  };
  return { inspect, of: (id: string) => taken.get(id) ?? [] };
}

const WHOLE_BIDDER = defineBrain({ initial: () => null, act: () => [null, [REASONING, bid(1), REFLECTION, END]] });

test("a whole bidding turn is one event of the agent's: the turn offered", async () => {
  const events = machineEvents();
  await run(WHOLE_BIDDER, events.inspect);
  const agentEvents = events.of('agent');
  assert.ok(agentEvents.filter((type) => type === 'turn.offered').length >= 3);
  // No bidding turn to go on with: no tool.response from the scheduler, no ordinary bidding turn. Windows are ordinary turns.
  assert.equal([...new Set(agentEvents)].sort(), ['turn.offered', 'turn.started', 'xstate.init']);
});

test('a whole turn that leaves the agent its open bids keeps its snapshot as it was: no assign, no change of state', async () => {
  // A turn offered to an agent awaiting its allocation: whether the agent's snapshot changed, and whether its count of open bids did.
  type Seen = { readonly value?: unknown; readonly context?: { readonly openBids?: number } };
  const last = new Map<string, Seen>();
  let kept = 0;
  const countsChanged: boolean[] = [];
  await run(WHOLE_BIDDER, {
    next: (inspection) => {
      if (inspection.type !== '@xstate.snapshot') return;
      const snapshot = inspection.snapshot as Seen;
      const before = last.get(inspection.actorRef.sessionId);
      last.set(inspection.actorRef.sessionId, snapshot);
      if (inspection.event.type !== 'turn.offered' || before?.value !== 'awaitingAllocation') return;
      if (snapshot === before) kept += 1;
      else countsChanged.push(snapshot.context?.openBids !== before.context?.openBids);
    },
  }, 30, 4);
  // 30 bidders, 10 windows a cycle: the 20 that lose bid again and keep one bid open. The 10 winners bid again in
  // their windows too, so that their next turn leaves them two open bids: their snapshot changes, with the count.
  assert.is(kept, 60);
  assert.equal(countsChanged, Array<boolean>(30).fill(true));
});

test("the orchestrator takes the same events a cycle for 3 whole bidders as for 30; for brains of their own, one more a bidder", async () => {
  const orchestratorEventsFor = async (brain: BrainLogic, population: number) => {
    const events = machineEvents();
    await run(brain, events.inspect, population, 1);
    return events.of('orchestrator').filter((type) => type === 'turns.offered' || type === 'turn.ended').length;
  };
  // A bid of 1 for a tenth of the cpu: ten windows win in each world, whatever its population.
  assert.equal(await orchestratorEventsFor(WHOLE_BIDDER, 30), await orchestratorEventsFor(WHOLE_BIDDER, 3) + 7);
  const wholeBidderOfItsOwn = defineAsyncBrain(() => ({ act: async (prompt) => (prompt.type === 'turn.started' && prompt.phase === 'bidding' ? [REASONING, bid(1), REFLECTION, END] : END) }));
  assert.equal(await orchestratorEventsFor(wholeBidderOfItsOwn, 30), 30 * 2 + 10);
});

test('a turn that is not whole still goes a step at a time: a tool of the world is answered by an event', async () => {
  const agentEvents: string[] = [];
  const inspect = {
    next(inspection: InspectionEvent) {
      const snapshot = inspection.actorRef.getSnapshot() as { machine?: { id: string } } | undefined;
      if (inspection.type === '@xstate.event' && snapshot?.machine?.id === 'agent') agentEvents.push(inspection.event.type);
    },
  };
  await run(defineBrain({ initial: () => null, act: (memory, prompt) => [null, prompt.type === 'turn.started' ? [{ kind: 'tool', tool_name: 'market.get_prices' }, END] : END] }), inspect);
  assert.ok(agentEvents.includes('tool.response'));
});

test.run();
