import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { defineAsyncBrain, runWorld, type BrainAnswer, type BrainFault, type BrainLogic, type BrainPrompt } from '../machines';

/*
 * `concurrent_turns`: brains of their own are prompted with their bidding turns as the bidding begins,
 * and each agent acts on its answer when its turn is called, in order. The trace must be the one turns
 * taken one after another give, whenever the answers come; and a turn abandoned before it was called
 * ends when it is called, without holding the world.
 */

const BUNDLE = { cpu: 0.1, duration_seconds: 60 };
const AGENTS = ['first', 'second', 'third'];

/** A bidding turn of two steps (the balance, then a bid of a tenth of it), answered after `delayMs`. */
function steppingBrain(delayMs: (agentId: string) => number, onPrompt: (agentId: string, prompt: BrainPrompt) => Promise<void> = async () => {}, faults: BrainFault[] = [], turnTimeoutMs?: number): BrainLogic {
  return defineAsyncBrain(
    ({ agent_id }) => ({
      async act(prompt, signal): Promise<BrainAnswer> {
        await onPrompt(agent_id, prompt);
        await new Promise((resolve) => {
          const answered = setTimeout(resolve, delayMs(agent_id));
          signal.addEventListener('abort', () => (clearTimeout(answered), resolve(undefined)));
        });
        if (prompt.type === 'turn.started') return prompt.phase === 'bidding' ? { kind: 'tool', tool_name: 'economic.get_balance' } : { kind: 'end_turn' };
        if (prompt.type === 'tool.result' && prompt.tool_name === 'economic.get_balance') {
          const { balance } = prompt.response as { balance: number };
          return [{ kind: 'tool', tool_name: 'market.bid', arguments: { amount: Math.floor(balance / 10), bundle: BUNDLE } }, { kind: 'end_turn' }];
        }
        return { kind: 'end_turn' };
      },
    }),
    { turnTimeoutMs, onFault: (fault) => faults.push(fault) },
  );
}

async function traceOf(brain: BrainLogic, concurrent: boolean): Promise<string[]> {
  const agents = AGENTS.map((id) => ({ id, balance: 500, brain }));
  const run = await runWorld({ scenario_id: 'concurrent-turns', seed: 5, cycles: 3, agents, concurrent_turns: concurrent });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace.map((event) => JSON.stringify(event));
}

test('turns thought over at once write the trace of turns taken one after another, though the last agent answers first', async () => {
  // The first agent is the slowest to answer: taken at once, the answers come in the reverse of the agents' order.
  const slowestFirst = steppingBrain((agentId) => 30 * (AGENTS.length - AGENTS.indexOf(agentId)));
  const atOnce = await traceOf(slowestFirst, true);
  const oneAfterAnother = await traceOf(slowestFirst, false);
  assert.ok(atOnce.filter((line) => line.includes('"bid_placed"')).length >= AGENTS.length * 2, 'every agent bids in every cycle');
  assert.equal(atOnce, oneAfterAnother);
});

test('every brain of its own is prompted for its bidding turn before any answers, only with concurrent_turns', async () => {
  /** Each brain's first prompt of a cycle waits until all three brains have had theirs: turns taken one after another never get there. */
  const promptsFor = (concurrent: boolean) => {
    const prompted = new Map<number, Set<string>>();
    const faults: BrainFault[] = [];
    const brain = steppingBrain(
      () => 0,
      async (agentId, prompt) => {
        if (prompt.type !== 'turn.started' || prompt.phase !== 'bidding') return;
        const cycle = prompted.get(prompt.observation.cycle) ?? new Set();
        prompted.set(prompt.observation.cycle, cycle.add(agentId));
        while (cycle.size < AGENTS.length) await new Promise((resolve) => setTimeout(resolve, 5));
      },
      faults,
      concurrent ? 10_000 : 300,
    );
    return { brain, faults };
  };
  const atOnce = promptsFor(true);
  await traceOf(atOnce.brain, true);
  assert.equal(atOnce.faults, []);
  const oneAfterAnother = promptsFor(false);
  await traceOf(oneAfterAnother.brain, false);
  assert.ok(oneAfterAnother.faults.some((fault) => fault.reason.startsWith('brain_timeout')), 'taken one after another, the first brain waits for the others in vain');
});

test('a turn abandoned before it was called ends when it is called; the others are taken as without it', async () => {
  const faults: BrainFault[] = [];
  // The second agent's brain never answers its first bidding turn in time.
  const stalling = steppingBrain((agentId) => (agentId === 'second' ? 60_000 : 0), async () => {}, faults, 1_000);
  const atOnce = await traceOf(stalling, true);
  assert.ok(faults.some((fault) => fault.agent_id === 'second' && fault.reason.startsWith('brain_timeout')));
  assert.ok(atOnce.some((line) => line.includes('"bid_placed"') && line.includes('"agent_id":"third"')), 'the agent after it still bids');
  assert.equal(atOnce, await traceOf(stalling, false));
});

test.run();
