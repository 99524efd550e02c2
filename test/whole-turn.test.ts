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
/** A tenth of the cpu, and tokens for a window's completions. */
const bid = (amount: number): BrainAction => ({ kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle: { cpu: 0.1, tokens: 0.001, duration_seconds: 60 } } });
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
  [{ kind: 'tool', tool_name: 'market.bid', arguments: {}, refusal: 'malformed_call: not JSON' }, bid(10), END], // whole: a call refused, then asked again
];

const llm = (prompt: string, max_tokens: number): BrainAction => ({ kind: 'tool', tool_name: 'llm.complete', arguments: { prompt, max_tokens } });
const SUBMIT: BrainAction = { kind: 'tool', tool_name: 'output.submit', arguments: { content: 'a summary' } };

/**
 * Each window's answers, by window, the answer to each prompt of the window in turn (the turn, then
 * what came of each answer): windows played whole with the world's tools, and windows that go a step
 * at a time.
 */
const WINDOW_ANSWERS: readonly ((asked: number) => BrainAnswer)[] = [
  (asked) => (asked === 0 ? [llm('summarise the market', 32), SUBMIT, END] : END), // whole: calls of the world's
  (asked) => (asked === 0 ? [REASONING, llm('far too long '.repeat(400), 16), SUBMIT, END] : END), // a call fails: the batch stops, the brain is asked again
  (asked) => (asked === 0 ? llm('one call alone', 16) : END), // one action, told its result alone
  (asked) => (asked === 0 ? [{ kind: 'tool', tool_name: 'human.prompt', arguments: { prompt: 'worth a look?', bid_amount: 5 } }, END] : END), // escrow: the ledger changes in the window
  (asked) => (asked === 0 ? [{ kind: 'tool', tool_name: 'economic.transfer', arguments: { to_agent: 'agent-1', amount: 3 } }, END] : END), // credits move to another agent
  (asked) => (asked === 0 ? [bid(1), END] : END), // a bid in a window: a step at a time
  (asked) => (asked === 0 ? [{ kind: 'tool', tool_name: 'code.propose', arguments: { target_module: 'm', change_description: 'faster' } }, END] : END), // the workspace: a step at a time
  () => REASONING, // never ends: cut off at the turn's action limit
  (asked) => (asked === 0 ? [{ kind: 'tool', tool_name: 'output.submit', arguments: {}, refusal: 'malformed_call: not JSON' }, SUBMIT, END] : END), // refused, then asked again
];

interface Seen {
  readonly turns: number;
  readonly windows: number;
  /** Prompts answered in the turn under way, the turn's own first. */
  readonly asked: number;
  readonly phase: 'bidding' | 'executing';
}

function answer(seen: Seen): BrainAnswer {
  if (seen.phase === 'executing') return WINDOW_ANSWERS[(seen.windows - 1) % WINDOW_ANSWERS.length]!(seen.asked);
  return seen.asked === 0 ? BIDDING_ANSWERS[(seen.turns - 1) % BIDDING_ANSWERS.length]! : END;
}

function next(seen: Seen, prompt: BrainPrompt): Seen {
  if (prompt.type !== 'turn.started') return { ...seen, asked: seen.asked + 1 };
  if (prompt.phase === 'executing') return { ...seen, windows: seen.windows + 1, asked: 0, phase: 'executing' };
  return { ...seen, turns: seen.turns + 1, asked: 0, phase: 'bidding' };
}

const definition = {
  initial: (): Seen => ({ turns: 0, windows: 0, asked: 0, phase: 'bidding' }),
  act: (seen: Seen, prompt: BrainPrompt): readonly [Seen, BrainAnswer] => {
    const now = next(seen, prompt);
    return [now, answer(now)];
  },
};

const mind = defineBrain(definition);
/** The same answers from a brain of its own, which the agent prompts and waits for. */
const actor = defineAsyncBrain(() => {
  let seen = definition.initial();
  return {
    act: async (prompt) => {
      const [now, given] = definition.act(seen, prompt);
      seen = now;
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

test('a mind playing turns and windows whole writes the trace a brain of its own writes a step at a time', async () => {
  const cycles = 40;
  const whole = await run(mind, undefined, 3, cycles);
  const stepwise = await run(actor, undefined, 3, cycles);
  assert.ok(whole.some((line) => line.includes('"bid_placed"')) && whole.some((line) => line.includes('"reasoning_trace"')));
  assert.ok(whole.some((line) => line.includes('"insufficient_balance"')), 'a refused bid is in the runs');
  // Every kind of window is in the runs: calls of the world's, a failed one, escrow, a transfer, the workspace, the cut-off, a refusal.
  for (const mark of ['"tool_name":"llm.complete"', 'token_budget_exceeded', '"prompt_submitted"', '"credits_transferred"', 'no_workspace', 'window_closed', 'malformed_call: not JSON']) {
    assert.ok(whole.some((line) => line.includes(mark)), `${mark} is in the runs`);
  }
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

/** Bids whole, and works its windows whole: a completion, its output handed in. */
const WHOLE_WORKER = defineBrain({
  initial: () => null,
  act: (_, prompt) => [null, prompt.type === 'turn.started' ? (prompt.phase === 'bidding' ? [bid(1), END] : [llm('summarise', 16), SUBMIT, END]) : END],
});

test("a whole window is one event of the agent's, the window offered, and none of the orchestrator's", async () => {
  const events = machineEvents();
  await run(WHOLE_WORKER, events.inspect);
  const agentEvents = events.of('agent');
  assert.ok(agentEvents.filter((type) => type === 'turn.offered').length >= 6);
  // Nothing a step at a time: no ordinary turn, no tool call answered, no turn ended to the orchestrator.
  assert.equal([...new Set(agentEvents)].sort(), ['turn.offered', 'xstate.init']);
  const orchestratorEvents = new Set(events.of('orchestrator'));
  assert.not.ok(orchestratorEvents.has('tool.request') || orchestratorEvents.has('turn.ended'));
  assert.ok(orchestratorEvents.has('windows.offered'));
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
      // Windows are offered too: a bid in one goes a step at a time, and its offer leaves the agent as it was.
      if (inspection.event.type !== 'turn.offered' || inspection.event.offer.turn.phase !== 'bidding' || before?.value !== 'awaitingAllocation') return;
      if (snapshot === before) kept += 1;
      else countsChanged.push(snapshot.context?.openBids !== before.context?.openBids);
    },
  }, 30, 4);
  // 30 bidders, 10 windows a cycle: the 20 that lose bid again and keep one bid open. The 10 winners bid again in
  // their windows too, so that their next turn leaves them two open bids: their snapshot changes, with the count.
  assert.is(kept, 60);
  assert.equal(countsChanged, Array<boolean>(30).fill(true));
});

test("the orchestrator takes the same events a cycle for 3 whole bidders as for 30; for brains of their own, one more a bidder and a window", async () => {
  const orchestratorEventsFor = async (brain: BrainLogic, population: number) => {
    const events = machineEvents();
    await run(brain, events.inspect, population, 1);
    return events.of('orchestrator').filter((type) => type === 'turns.offered' || type === 'windows.offered' || type === 'turn.ended').length;
  };
  // A bid of 1 for a tenth of the cpu: ten windows win in each world, whatever its population. Its bid in its
  // window goes a step at a time: the offers stop at each window, which ends as an ordinary turn.
  assert.equal(await orchestratorEventsFor(WHOLE_BIDDER, 30), await orchestratorEventsFor(WHOLE_BIDDER, 3) + 7 * 2);
  // Windows played whole too: one `turns.offered` and one `windows.offered` a cycle, whatever the population.
  assert.equal(await orchestratorEventsFor(WHOLE_WORKER, 30), 2);
  assert.equal(await orchestratorEventsFor(WHOLE_WORKER, 3), 2);
  const wholeBidderOfItsOwn = defineAsyncBrain(() => ({ act: async (prompt) => (prompt.type === 'turn.started' && prompt.phase === 'bidding' ? [REASONING, bid(1), REFLECTION, END] : END) }));
  assert.equal(await orchestratorEventsFor(wholeBidderOfItsOwn, 30), 30 * 2 + 10 * 2);
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
