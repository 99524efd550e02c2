import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, fromTransition } from 'xstate';
import { randomStream } from '../domain/random';
import type { BrainAct, TurnAbandoned, BrainAction, Observation, Phase } from '../machines/brains/protocol';
import { DEFAULT_POLICY, policyBrain } from '../machines/brains/policy';

/** The built-in policy brain's decisions, one turn at a time. */

function startPolicy() {
  const agent = createActor(fromTransition((actions: BrainAction[], event: BrainAct | TurnAbandoned) => (event.type === 'brain.act' ? [...actions, event.action] : actions), [])).start();
  const brain = createActor(policyBrain(), { input: { agent_id: 'a', agent, random: randomStream(1) } }).start();
  const last = () => agent.getSnapshot().context.at(-1);
  return {
    turn(phase: Phase, balance: number) {
      const observation: Observation = { agent_id: 'a', cycle: 1, balance, prices: { cpu: 1, memory: 1, tokens: 1, attention: 1 } };
      brain.send({ type: 'turn.started', phase, observation });
      return last();
    },
    result(tool_name: string) {
      brain.send({ type: 'tool.result', tool_name, result: 'success' });
      return last();
    },
  };
}

test('bids a share of its balance for its bundle, then ends the turn', () => {
  const policy = startPolicy();
  const action = policy.turn('bidding', 1000);
  assert.is(action?.kind, 'tool');
  if (action?.kind !== 'tool') return;
  assert.is(action.tool_name, 'market.bid');
  const { amount, bundle } = action.arguments as { amount: number; bundle: unknown };
  assert.ok(amount >= 1000 * DEFAULT_POLICY.budget_fraction * 0.5 && amount <= 1000 * DEFAULT_POLICY.budget_fraction * 1.5, `${amount}`);
  assert.equal(bundle, DEFAULT_POLICY.bundle);
  assert.equal(policy.result('market.bid'), { kind: 'end_turn' });
});

test('below the floor it sleeps once, then spends what it has left', () => {
  const policy = startPolicy();
  assert.equal(policy.turn('bidding', 10), { kind: 'tool', tool_name: 'agent.sleep', arguments: { cycles: DEFAULT_POLICY.sleep_cycles } });
  assert.equal(policy.result('agent.sleep'), { kind: 'end_turn' });
  const lastStand = policy.turn('bidding', 10);
  assert.equal(lastStand?.kind === 'tool' ? [lastStand.tool_name, lastStand.arguments?.amount] : [], ['market.bid', 10]);
});

test('with nothing left it only ends its turn; in a window it asks for one completion', () => {
  const policy = startPolicy();
  policy.turn('bidding', 5);
  assert.equal(policy.turn('bidding', 0), { kind: 'end_turn' });
  assert.equal(policy.turn('executing', 50), { kind: 'tool', tool_name: 'llm.complete', arguments: DEFAULT_POLICY.completion });
});

test.run();
