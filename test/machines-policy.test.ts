import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, fromTransition } from 'xstate';
import { randomStream } from '../domain/economy/random';
import { actionsOf, type BrainAct, type TurnAbandoned, type BrainAction, type Observation, type Phase } from '../machines/brains/protocol';
import { DEFAULT_POLICY, policyBrain, type PolicyOptions } from '../machines/brains/policy';

/** The built-in policy brain's decisions, one answer (an action or a batch) at a time. */

const END_TURN: BrainAction = { kind: 'end_turn' };

function startPolicy(options: PolicyOptions = DEFAULT_POLICY) {
  const agent = createActor(fromTransition((answers: BrainAct[], event: BrainAct | TurnAbandoned) => (event.type === 'brain.act' ? [...answers, event] : answers), [])).start();
  const brain = createActor(policyBrain(options), { input: { agent_id: 'a', agent, random: randomStream(1) } }).start();
  const last = (): readonly BrainAction[] => {
    const answer = agent.getSnapshot().context.at(-1);
    return answer === undefined ? [] : actionsOf(answer);
  };
  return {
    turn(phase: Phase, balance: number) {
      const observation: Observation = { agent_id: 'a', cycle: 1, balance, prices: { cpu: 1, memory: 1, tokens: 1, attention: 1 } };
      brain.send({ type: 'turn.started', phase, observation });
      return last();
    },
    performed(results: { tool_name: string; text?: string; refused?: true }[], not_performed = 0) {
      brain.send({
        type: 'actions.performed',
        results: results.map(({ tool_name, text, refused }) =>
          refused ? { type: 'tool.result', tool_name, result: 'failure', reason: 'refused' } : { type: 'tool.result', tool_name, result: 'success', ...(text === undefined ? {} : { response: { text } }) },
        ),
        not_performed,
      });
      return last();
    },
    answers: () => agent.getSnapshot().context.length,
  };
}

test('a bidding turn is one batch: a bid of a share of its balance for its bundle, then the end of the turn', () => {
  const policy = startPolicy();
  const answer = policy.turn('bidding', 1000);
  assert.is(answer.length, 2);
  const [bid, end] = answer;
  assert.equal(end, END_TURN);
  assert.is(bid?.kind, 'tool');
  if (bid?.kind !== 'tool') return;
  assert.is(bid.tool_name, 'market.bid');
  const { amount, bundle } = bid.arguments as { amount: number; bundle: unknown };
  assert.ok(amount >= 1000 * DEFAULT_POLICY.budget_fraction * 0.5 && amount <= 1000 * DEFAULT_POLICY.budget_fraction * 1.5, `${amount}`);
  assert.equal(bundle, DEFAULT_POLICY.bundle);
  assert.is(policy.answers(), 1, 'the whole turn is one answer');
});

test('below the floor it sleeps once (sleep and end of turn in one batch), then spends what it has left', () => {
  const policy = startPolicy();
  assert.equal(policy.turn('bidding', 10), [{ kind: 'tool', tool_name: 'agent.sleep', arguments: { cycles: DEFAULT_POLICY.sleep_cycles } }, END_TURN]);
  const lastStand = policy.turn('bidding', 10);
  assert.equal(lastStand.map((action) => (action.kind === 'tool' ? [action.tool_name, action.arguments?.amount] : action.kind)), [['market.bid', 10], 'end_turn']);
});

test('with nothing left it only ends its turn; in a window without a prompt bid it completes once and ends the turn in one batch', () => {
  const policy = startPolicy();
  policy.turn('bidding', 5);
  assert.equal(policy.turn('bidding', 0), [END_TURN]);
  assert.equal(policy.turn('executing', 50), [{ kind: 'tool', tool_name: 'llm.complete', arguments: DEFAULT_POLICY.completion }, END_TURN]);
});

test('handing in the completion waits for its text: the window is two batches, the second built from the first result', () => {
  const policy = startPolicy({ ...DEFAULT_POLICY, prompt_bid: 5 });
  assert.equal(policy.turn('executing', 50), [{ kind: 'tool', tool_name: 'llm.complete', arguments: DEFAULT_POLICY.completion }]);
  const rest = policy.performed([{ tool_name: 'llm.complete', text: 'prices are low' }]);
  assert.equal(rest.map((action) => (action.kind === 'tool' ? action.tool_name : action.kind)), ['output.submit', 'human.prompt', 'end_turn']);
  const [submit] = rest;
  assert.equal(submit?.kind === 'tool' ? submit.arguments : undefined, { content: 'prices are low' });
});

test('a batch cut short goes on from the step after the last one performed', () => {
  const policy = startPolicy({ ...DEFAULT_POLICY, prompt_bid: 5 });
  policy.turn('executing', 50);
  policy.performed([{ tool_name: 'llm.complete', text: 'x' }]);
  // The submission was refused: the batch stopped there and the prompt was not performed.
  const after = policy.performed([{ tool_name: 'output.submit', refused: true }], 1);
  assert.equal(after.map((action) => (action.kind === 'tool' ? action.tool_name : action.kind)), ['human.prompt', 'end_turn']);
});

test.run();
