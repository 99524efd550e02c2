import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, fromTransition } from 'xstate';
import { randomStream } from '../domain/economy/random';
import { actionsOf, type ActionResult, type BrainAction, type BrainAct, type BrainPrompt, type TurnAbandoned, type Notified, type Observation, type Phase } from '../machines/brains/protocol';
import { scriptedBrain } from '../machines/brains/scripted';
import type { ScriptTurn } from '../machines/brains/scripted';

const OBSERVATION: Observation = { agent_id: 'a', cycle: 1, balance: 100, prices: { cpu: 1, memory: 1, tokens: 1, attention: 1 } };
const BALANCE = { kind: 'tool', tool_name: 'economic.get_balance' } as const;
const BID = { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 10, bundle: { cpu: 0.1, duration_seconds: 60 } } } as const;
const THINK = { kind: 'reasoning', content: 'cheap enough', decision: 'bid' } as const;
const SUBMIT = { kind: 'tool', tool_name: 'output.submit', arguments: { output: 'done' } } as const;

const END_TURN = { kind: 'end_turn' } as const;

/** A stand-in agent that keeps every answer the brain sends it, as the actions it carries. */
function startBrain(turns: ScriptTurn[]) {
  const agent = createActor(fromTransition((answers: BrainAct[], event: BrainAct | TurnAbandoned) => (event.type === 'brain.act' ? [...answers, event] : answers), [])).start();
  const brain = createActor(scriptedBrain({ turns }), { input: { agent_id: 'a', agent, random: randomStream(1) } }).start();
  const answers = (prompt: BrainPrompt): readonly BrainAction[] => {
    brain.send(prompt);
    const last = agent.getSnapshot().context.at(-1);
    return last === undefined ? [] : actionsOf(last);
  };
  return {
    turn: (phase: Phase) => answers({ type: 'turn.started', phase, observation: OBSERVATION }),
    /** The agent performed `results.length` actions of the last batch, the last of them failing when `failed`. */
    performed: (performed: readonly BrainAction[], failed = false, not_performed = 0) =>
      answers({
        type: 'actions.performed',
        results: performed.map((action, index): ActionResult => {
          if (action.kind === 'reasoning' || action.kind === 'reflection') return { type: 'action.recorded', kind: action.kind };
          const tool_name = action.kind === 'tool' ? action.tool_name : '';
          return failed && index === performed.length - 1 ? { type: 'tool.result', tool_name, result: 'failure', reason: 'refused' } : { type: 'tool.result', tool_name, result: 'success' };
        }),
        not_performed,
      }),
    toolResult: (tool_name: string) => answers({ type: 'tool.result', tool_name, result: 'success' }),
    notice: (event: Notified['event']) => brain.send({ type: 'notified', event }),
    sent: () => agent.getSnapshot().context.length,
    batches: () => agent.getSnapshot().context.filter((answer) => 'actions' in answer).length,
  };
}

test('plays a turn of the expected phase as one batch ending the turn', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BALANCE, THINK, BID] }]);
  assert.equal(brain.turn('bidding'), [BALANCE, THINK, BID, END_TURN]);
  assert.is(brain.sent(), 1, 'one answer for the whole turn');
  assert.is(brain.batches(), 1, 'sent as a batch, not as a single action');
});

test('a batch cut short at a refused call goes on from the action after it', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BID, THINK, BALANCE] }]);
  assert.equal(brain.turn('bidding'), [BID, THINK, BALANCE, END_TURN]);
  assert.equal(brain.performed([BID], true, 3), [THINK, BALANCE, END_TURN], 'the script goes on after the refused bid, not from its start');
  assert.equal(brain.performed([THINK, BALANCE], true, 1), [END_TURN], 'nothing is left but the end of the turn');
});

test('a single tool result moves the script by one action', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BALANCE, BID] }]);
  brain.turn('bidding');
  assert.equal(brain.toolResult('economic.get_balance'), [BID, END_TURN]);
});

test('a turn of another phase ends at once and keeps the script where it was', () => {
  const brain = startBrain([
    { phase: 'executing', actions: [SUBMIT] },
    { phase: 'bidding', actions: [BID] },
  ]);
  assert.equal(brain.turn('bidding'), [END_TURN], 'the script waits for its window');
  assert.equal(brain.turn('executing'), [SUBMIT, END_TURN]);
  assert.equal(brain.turn('bidding'), [BID, END_TURN]);
});

test('an empty turn is consumed: it waits one cycle', () => {
  const brain = startBrain([
    { phase: 'bidding', actions: [] },
    { phase: 'bidding', actions: [BID] },
  ]);
  assert.equal(brain.turn('bidding'), [END_TURN]);
  assert.equal(brain.turn('bidding'), [BID, END_TURN]);
});

test('an exhausted script ends every turn', () => {
  const brain = startBrain([{ phase: 'bidding', actions: [BALANCE] }]);
  assert.equal(brain.turn('bidding'), [BALANCE, END_TURN]);
  assert.equal(brain.turn('bidding'), [END_TURN]);
  assert.equal(brain.turn('executing'), [END_TURN]);
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
  assert.equal(brain.turn('bidding'), [BID, END_TURN]);
});

test.run();
