import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/economy/events';
import { totalSupplyFromTrace } from '../domain/economy/supply';
import { defineBrain, type BrainAction } from '../machines/brains/protocol';
import { policyBrain } from '../machines/brains/policy';
import { runWorld } from '../machines/world/world';
import type { AgentSetup } from '../machines/world/config';

/** The credits in existence can be recomputed from the trace alone, at the end of every cycle. */

const envelope = (type: string, data: Record<string, unknown>) =>
  ({ event_id: 'e', timestamp: '2026-01-01T00:00:00.000Z', source: 'system', type, scenario_id: 's', agent_id: 'a', data }) as DomainEvent;

test('credits enter as initial balances and rewards, leave when burned; a spawn moves them', async () => {
  const trace = [
    envelope('agent_created', { agent_id: 'a', initial_balance: 100 }),
    envelope('credits_burned', { agent_id: 'a', amount: 12.5, reason: 'resource_purchase' }),
    envelope('human_reward_issued', { agent_id: 'a', scores: { interesting: 1, useful: 1, understandable: 1 }, credits_awarded: 150 }),
    envelope('credits_transferred', { from_agent: 'a', to_agent: 'b', amount: 30, purpose: 'x' }),
    envelope('agent_spawned', { parent_id: 'a', child_id: 'c', spawn_cost: 10, model_tier: 'small', initial_balance: 40 }),
    envelope('credits_burned', { agent_id: 'a', amount: 10, reason: 'spawn_cost' }),
    envelope('agent_created', { agent_id: 'c', initial_balance: 40 }),
  ];
  assert.is(totalSupplyFromTrace(trace), 100 - 12.5 + 150 - 10);
  assert.is(totalSupplyFromTrace(trace.slice(0, 2)), 87.5);
});

test('sums stay exact to the micro-credit over many small amounts', async () => {
  const burns = Array.from({ length: 1000 }, () => envelope('credits_burned', { agent_id: 'a', amount: 0.1, reason: 'x' }));
  assert.is(totalSupplyFromTrace([envelope('agent_created', { agent_id: 'a', initial_balance: 100 }), ...burns]), 0);
});

const tool = (tool_name: string, args: Record<string, unknown>): BrainAction => ({ kind: 'tool', tool_name, arguments: args });

/** Every way credits move in one agent's windows: an attention bid, a spawn, a transfer, a service. */
const busyBrain = defineBrain<readonly BrainAction[]>({
  initial: () => [],
  act(queue, prompt) {
    const planned: readonly BrainAction[] =
      prompt.type !== 'turn.started'
        ? queue
        : prompt.phase === 'bidding'
          ? [tool('market.bid', { amount: 25, bundle: { cpu: 0.3, memory: 0.1, duration_seconds: 60 } })]
          : [
              tool('human.prompt', { prompt: 'rate my work', bid_amount: 15 }),
              tool('agent.spawn', { model_tier: 'small', initial_balance: 20 }),
              tool('economic.transfer', { to_agent: 'peer', amount: 5 }),
              tool('service.invoke', { service_name: 'adder' }),
            ];
    const [action, ...rest] = planned;
    return action === undefined ? [[], { kind: 'end_turn' }] : [rest, action];
  },
});

/** Spends its whole balance on its first bid, and so dies at the first death check. */
const allInBrain = defineBrain<null>({
  initial: () => null,
  act: (memory, prompt) =>
    prompt.type === 'turn.started' && prompt.phase === 'bidding' && prompt.observation.balance > 0
      ? [memory, tool('market.bid', { amount: prompt.observation.balance, bundle: { cpu: 0.01, duration_seconds: 60 } })]
      : [memory, { kind: 'end_turn' }],
});

test('the total recomputed from the trace equals the ledger at the end of every cycle', async () => {
  const policy = policyBrain();
  const agents: AgentSetup[] = [
    { id: 'busy', balance: 400, brain: busyBrain },
    { id: 'peer', balance: 50, brain: policy },
    { id: 'all-in', balance: 60, brain: allInBrain },
    ...Array.from({ length: 20 }, (_, index) => ({ id: `p${index}`, balance: 30 + index, brain: policy })),
  ];
  const result = await runWorld({
    scenario_id: 'supply',
    seed: 3,
    cycles: 8,
    agents,
    services: [{ provider: 'peer', service_name: 'adder', cost: 3, success_rate: 0.5 }],
    human: ({ bid_amount }) => (bid_amount > 10 ? { interesting: 7, useful: 8, understandable: 6 } : undefined),
    spawn: { costs: { small: 10 }, brainFor: () => policy },
  });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  const { trace, cycles } = result.right;
  const seen = new Set(trace.map((event) => event.type));
  for (const type of ['human_reward_issued', 'agent_spawned', 'credits_transferred', 'service_invoked', 'agent_died'] as const) {
    assert.ok(seen.has(type), `the run exercises ${type}`);
  }
  assert.is(cycles.length, 8);
  for (const { cycle, events, total_credits } of cycles) {
    assert.is(totalSupplyFromTrace(trace.slice(0, events)), total_credits, `cycle ${cycle}`);
  }
});

test('a trace that lost an event no longer adds up', async () => {
  const result = await runWorld({ scenario_id: 'supply', seed: 3, cycles: 2, agents: [{ id: 'a', balance: 100, brain: policyBrain() }] });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  const { trace, ledger } = result.right;
  const withoutABurn = trace.filter((event, index) => event.type !== 'credits_burned' || index !== trace.findIndex((e) => e.type === 'credits_burned'));
  assert.is.not(totalSupplyFromTrace(withoutABurn), totalSupplyFromTrace(trace));
  assert.is(totalSupplyFromTrace(trace), Object.values(ledger.balances).reduce((sum, credits) => sum + credits, 0));
});

test.run();
