import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { actionOfFunctionCall, engineNameOf, functionCallOf, functionNameOf, OFFERED_TOOLS, toolsOfferedIn } from '../harness/agents/tool-surface';
import { TOOL_REGISTRY } from '../machines/tools/registry';

test('every registry tool is offered, then the three actions; dots become underscores and back', () => {
  assert.equal(OFFERED_TOOLS.map((tool) => tool.name), [...TOOL_REGISTRY.map((tool) => tool.name), 'record_reasoning', 'record_reflection', 'end_turn']);
  assert.is(functionNameOf('economic.get_balance'), 'economic_get_balance');
  assert.is(engineNameOf('market_bid'), 'market.bid');
  assert.is(engineNameOf('no_such_tool'), 'no_such_tool');
  assert.ok(toolsOfferedIn('bidding').every((tool) => tool.phases.includes('bidding')));
  assert.ok(toolsOfferedIn('executing').some((tool) => tool.name === 'output.submit'));
  assert.not.ok(toolsOfferedIn('bidding').some((tool) => tool.name === 'output.submit'));
});

test('record_reasoning offers the protocol Reasoning without its kind', () => {
  const reasoning = OFFERED_TOOLS.find((tool) => tool.name === 'record_reasoning')!;
  assert.equal(reasoning.parameters.required, ['content', 'decision']);
  assert.is(reasoning.parameters.properties!.kind, undefined);
  assert.is(reasoning.parameters.additionalProperties, false);
});

test('function calls become actions, and actions function calls', () => {
  assert.equal(actionOfFunctionCall('market_bid', '{"amount":5}'), { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 5 } });
  assert.equal(actionOfFunctionCall('economic_get_balance', ''), { kind: 'tool', tool_name: 'economic.get_balance', arguments: {} });
  assert.equal(actionOfFunctionCall('record_reasoning', '{"content":"c","decision":null}'), { kind: 'reasoning', content: 'c', decision: null });
  assert.equal(actionOfFunctionCall('end_turn', '{}'), { kind: 'end_turn' });
  for (const action of [
    { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 5 } },
    { kind: 'reflection', trigger: 't', outcome_assessment: 'o' },
    { kind: 'end_turn' },
  ] as const) {
    const call = functionCallOf(action);
    assert.equal(actionOfFunctionCall(call.name, call.arguments), action);
  }
});

test('what cannot be an action is a refused call with the reason', () => {
  assert.match((actionOfFunctionCall('market_bid', '{"amount":') as { refusal: string }).refusal, /not JSON/);
  assert.match((actionOfFunctionCall('market_bid', '[1]') as { refusal: string }).refusal, /expected a JSON object/);
  assert.match((actionOfFunctionCall('record_reasoning', '{"content":3}') as { refusal: string }).refusal, /\$\.arguments\.content: expected string/);
  assert.match((actionOfFunctionCall('end_turn', '{"now":true}') as { refusal: string }).refusal, /no other key/);
});

test.run();
