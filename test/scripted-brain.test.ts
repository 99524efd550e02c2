import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, fromTransition } from 'xstate';
import { randomStream } from '../domain/random';
import type { BrainAction, BrainAct, BrainPrompt, TurnAbandoned, Notified, Observation, Phase } from '../machines/brains/protocol';
import { scriptedBrain } from '../machines/brains/scripted';
import type { ScriptTurn } from '../machines/script';

const OBSERVATION: Observation = { agent_id: 'a', cycle: 1, balance: 100, prices: { cpu: 1, memory: 1, tokens: 1, attention: 1 } };
const BALANCE = { kind: 'tool', tool_name: 'economic.get_balance' } as const;
const BID = { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 10, bundle: { cpu: 0.1, duration_seconds: 60 } } } as const;
const THINK = { kind: 'reasoning', content: 'cheap enough', decision: 'bid' } as const;
const SUBMIT = { kind: 'tool', tool_name: 'output.submit', arguments: { output: 'done' } } as const;

/** A stand-in agent that keeps every action the brain sends it. */
function startBrain(turns: ScriptTurn[]) {
  const agent = createActor(fromTransition((actions: BrainAction[], event: BrainAct | TurnAbandoned) => (event.type === 'brain.act' ? [...actions, event.action] : actions), [])).start();
  const brain = createActor(scriptedBrain({ turns }), { input: { agent_id: 'a', agent, random: randomStream(1) } }).start();
  const answers = (prompt: BrainPrompt): BrainAction => {
    brain.send(prompt);
    const actions = agent.getSnapshot().context;
    return actions[actions.length - 1]!;
  };
  return {
    turn: (phase: Phase) => answers({ type: 'turn.started', phase, observation: OBSERVATION }),
    toolResult: (tool_name: string, result: 'success' | 'failure' = 'success') =>
      answers(result === 'success' ? { type: 'tool.result', tool_name, result } : { type: 'tool.result', tool_name, result, reason: 'refused' }),
    recorded: () => answers({ type: 'action.recorded', kind: 'reasoning' }),
    notice: (event: Notified['event']) => brain.send({ type: 'notified', event }),
    sent: () => agent.getSnapshot().context.length,
  };
}

test('plays a turn of the expected phase one action per prompt, then ends it', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BALANCE, THINK, BID] }]);
  assert.equal(brain.turn('bidding'), BALANCE);
  assert.equal(brain.toolResult('economic.get_balance'), THINK);
  assert.equal(brain.recorded(), BID);
  assert.equal(brain.toolResult('market.bid'), { kind: 'end_turn' });
});

test('a refused call does not stop the script', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BID, THINK] }]);
  assert.equal(brain.turn('bidding'), BID);
  assert.equal(brain.toolResult('market.bid', 'failure'), THINK);
  assert.equal(brain.recorded(), { kind: 'end_turn' });
});

test('a turn of another phase ends at once and keeps the script where it was', () => {
  const brain = startBrain([
    { phase: 'executing', actions: [SUBMIT] },
    { phase: 'bidding', actions: [BID] },
  ]);
  assert.equal(brain.turn('bidding'), { kind: 'end_turn' }, 'the script waits for its window');
  assert.equal(brain.turn('executing'), SUBMIT);
  assert.equal(brain.toolResult('output.submit'), { kind: 'end_turn' });
  assert.equal(brain.turn('bidding'), BID);
});

test('an empty turn is consumed: it waits one cycle', () => {
  const brain = startBrain([
    { phase: 'bidding', actions: [] },
    { phase: 'bidding', actions: [BID] },
  ]);
  assert.equal(brain.turn('bidding'), { kind: 'end_turn' });
  assert.equal(brain.turn('bidding'), BID);
});

test('an exhausted script ends every turn', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BALANCE] }]);
  brain.turn('bidding');
  brain.toolResult('economic.get_balance');
  assert.equal(brain.turn('bidding'), { kind: 'end_turn' });
  assert.equal(brain.turn('executing'), { kind: 'end_turn' });
});

test('a notice needs no answer and does not move the script', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BID] }]);
  const rejection: Notified['event'] = {
    event_id: 'evt-000001',
    timestamp: '2026-01-01T00:00:00.000Z',
    source: 'system',
    type: 'bid_rejected',
    scenario_id: 's',
    agent_id: 'a',
    data: { agent_id: 'a', reason: 'outbid' },
  };
  brain.notice(rejection);
  assert.is(brain.sent(), 0);
  assert.equal(brain.turn('bidding'), BID);
});

test.run();
