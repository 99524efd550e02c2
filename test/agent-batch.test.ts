import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import type { InspectionEvent } from 'xstate';
import { decodeWith, formatIssue } from '../domain/codec/decode';
import { eventsOf } from './fixtures/events-of';
import { ActionBatch, BrainAct, defineBrain, type BrainAction, type BrainAnswer, type BrainLogic, type BrainPrompt } from '../machines/brains/protocol';
import { runWorld } from '../machines/world/world';
import type { AgentSetup, WorldConfig } from '../machines/world/config';

/**
 * The agent's side of batches (issue 14 §1): a batch is performed in order with one prompt after it,
 * stops at its first failed call, and, when it ends the turn, has its results told with the next turn;
 * a lost bid is told with the next turn's `notices`.
 */

const END_TURN: BrainAction = { kind: 'end_turn' };
const tool = (tool_name: string, args: Record<string, unknown> = {}): BrainAction => ({ kind: 'tool', tool_name, arguments: args });
const bid = (amount: number, cpu: number): BrainAction => tool('market.bid', { amount, bundle: { cpu, duration_seconds: 60 } });
const THINK: BrainAction = { kind: 'reasoning', content: 'prices first', decision: null };

/** A brain that gives its answers in order, one per prompt (the end of the turn once they run out), and keeps every prompt. */
function answeringBrain(answers: readonly BrainAnswer[], prompts: BrainPrompt[]): BrainLogic {
  return defineBrain<number>({
    initial: () => 0,
    act(next, prompt) {
      prompts.push(prompt);
      return [next + 1, answers[next] ?? END_TURN];
    },
  });
}

function agent(id: string, balance: number, answers: readonly BrainAnswer[], prompts: BrainPrompt[] = []): AgentSetup {
  return { id, balance, brain: answeringBrain(answers, prompts) };
}

async function run(agents: AgentSetup[], options: Partial<WorldConfig> = {}, inspect?: (event: InspectionEvent) => void) {
  const result = await runWorld({ scenario_id: 'batch', seed: 7, cycles: 1, agents, ...options }, inspect === undefined ? {} : { inspect: { next: inspect } });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
}

const toolCalls = (trace: readonly { type: string; data: unknown }[]) =>
  trace.filter((event) => event.type === 'tool_call_initiated' || event.type === 'reasoning_trace').map((event) => (event.type === 'reasoning_trace' ? 'reasoning' : (event.data as { tool_name: string }).tool_name));

test('a batch is performed in order and answered with one actions.performed prompt', async () => {
  const prompts: BrainPrompt[] = [];
  const { trace } = await run([agent('a', 100, [[tool('economic.get_balance'), THINK, tool('market.get_prices')], END_TURN], prompts)]);
  assert.equal(toolCalls(trace), ['economic.get_balance', 'reasoning', 'market.get_prices']);
  assert.equal(
    prompts.map((prompt) => prompt.type),
    ['turn.started', 'actions.performed'],
    'one prompt for the three actions, none in between',
  );
  const performed = prompts[1];
  assert.is(performed?.type, 'actions.performed');
  if (performed?.type !== 'actions.performed') return;
  assert.equal(
    performed.results.map((result) => (result.type === 'tool.result' ? [result.tool_name, result.result] : [result.type, result.kind])),
    [['economic.get_balance', 'success'], ['action.recorded', 'reasoning'], ['market.get_prices', 'success']],
  );
  assert.equal((performed.results[0] as { response?: unknown }).response, { balance: 100 });
  assert.is(performed.not_performed, 0);
});

test('a batch stops at a refused bid: the actions after it are counted, not performed', async () => {
  const prompts: BrainPrompt[] = [];
  const { trace } = await run([agent('poor', 10, [[tool('market.get_prices'), bid(50, 0.1), tool('economic.get_balance'), THINK], END_TURN], prompts)]);
  assert.equal(toolCalls(trace), ['market.get_prices', 'market.bid'], 'nothing after the refused bid reaches the world');
  assert.equal(eventsOf(trace, 'bid_rejected', 'poor').map((event) => event.data.reason), ['insufficient_balance']);
  const performed = prompts[1];
  if (performed?.type !== 'actions.performed') return assert.unreachable(`expected actions.performed, got ${performed?.type}`);
  assert.equal(
    performed.results.map((result) => (result.type === 'tool.result' ? `${result.tool_name}: ${result.result}` : result.type)),
    ['market.get_prices: success', 'market.bid: failure'],
  );
  assert.is(performed.not_performed, 2);
});

test('a batch ending the turn gets no prompt: its results come with the next turn.started, once', async () => {
  const prompts: BrainPrompt[] = [];
  await run([agent('a', 100, [[tool('economic.get_balance'), END_TURN], [END_TURN], [END_TURN]], prompts)], { cycles: 3 });
  assert.equal(
    prompts.map((prompt) => prompt.type),
    ['turn.started', 'turn.started', 'turn.started'],
    'no prompt between the turns',
  );
  const [first, second, third] = prompts;
  assert.is(first?.type === 'turn.started' ? first.results : 'not a turn', undefined);
  assert.equal(
    second?.type === 'turn.started' ? second.results : 'not a turn',
    [{ type: 'tool.result', tool_name: 'economic.get_balance', result: 'success', response: { balance: 100 } }],
  );
  assert.is(third?.type === 'turn.started' ? third.results : 'not a turn', undefined, 'told once only');
});

test('a single action is still answered with its own tool.result, a note with action.recorded', async () => {
  const prompts: BrainPrompt[] = [];
  await run([agent('a', 100, [tool('economic.get_balance'), THINK, END_TURN], prompts)]);
  assert.equal(
    prompts.map((prompt) => prompt.type),
    ['turn.started', 'tool.result', 'action.recorded'],
  );
  assert.equal(prompts[1], { type: 'tool.result', tool_name: 'economic.get_balance', result: 'success', response: { balance: 100 } });
});

test('a lost bid is told in the next turn notices and closes its open bid; a won bid is not told as lost', async () => {
  const loserPrompts: BrainPrompt[] = [];
  const winnerPrompts: BrainPrompt[] = [];
  /** The loser's open bids at the end of each of its turns, read from its snapshots. */
  const openBids: number[] = [];
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.snapshot') return;
    const context = (event.snapshot as { context?: { agent_id?: string; openBids?: number } }).context;
    if (context?.agent_id === 'loser' && context.openBids !== undefined) openBids.push(context.openBids);
  };
  const { trace } = await run(
    [
      agent('winner', 100, [[bid(20, 0.6), END_TURN], END_TURN, END_TURN], winnerPrompts),
      agent('loser', 100, [[bid(10, 0.6), END_TURN], END_TURN], loserPrompts),
    ],
    { cycles: 2 },
    inspect,
  );
  const [rejection] = eventsOf(trace, 'bid_rejected', 'loser');
  assert.is(rejection?.data.reason, 'outbid');
  const nextTurns = loserPrompts.filter((prompt) => prompt.type === 'turn.started');
  assert.is(nextTurns.length, 2);
  assert.is(nextTurns[0]?.type === 'turn.started' ? nextTurns[0].notices : 'not a turn', undefined, 'nothing to tell before the allocation');
  assert.equal(nextTurns[1]?.type === 'turn.started' ? nextTurns[1].notices : 'not a turn', [rejection], 'the rejection as the trace holds it');
  assert.ok(
    winnerPrompts.every((prompt) => prompt.type !== 'turn.started' || prompt.notices === undefined),
    'the winner is told of no lost bid',
  );
  assert.ok(openBids.includes(1), 'the bid was open while the allocation was pending');
  assert.is(openBids.at(-1), 0, 'hearing of the lost bid closes it');
});

test('the ActionBatch codec refuses end_turn before the last action and an empty batch, with the JSON path', () => {
  const issues = (value: unknown) => {
    const decoded = decodeWith(BrainAct, value);
    return isLeft(decoded) ? decoded.left.map(formatIssue).join('; ') : 'decoded';
  };
  const early = issues({ type: 'brain.act', actions: [END_TURN, tool('market.get_prices')] });
  assert.match(early, '$.actions[0]');
  assert.match(early, 'end_turn only as the last action of a batch');
  assert.match(issues({ type: 'brain.act', actions: [] }), '$.actions');
  assert.match(issues({ type: 'brain.act', actions: [] }), 'a non-empty array of actions');
  assert.match(issues({ type: 'brain.act', actions: [tool('market.get_prices'), { kind: 'sing' }] }), '$.actions[1].kind');
  // The passing cases beside them: end_turn last, and a batch of one end_turn.
  assert.ok(isRight(decodeWith(ActionBatch, [tool('market.get_prices'), END_TURN])));
  assert.ok(isRight(decodeWith(ActionBatch, [END_TURN])));
  assert.is(issues({ type: 'brain.act', actions: [tool('market.get_prices'), END_TURN] }), 'decoded');
});

test.run();
