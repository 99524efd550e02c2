import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { EVENT_SOURCES, type DomainEvent, type EventData, type EventType } from '../domain/economy/events';
import { Scenario } from '../domain/benchmark/scenario';
import { JUDGE_SYSTEM_PROMPT, describeTrace, judgePrompt } from '../harness/judges/judge-prompt';
import type { JudgeRequest } from '../harness/judges/judge';

const decoded = decodeWith(Scenario, {
  scenario_id: 'er_001',
  domain: 'economic_reasoning',
  name: 'scarcity_capital_preservation',
  description: 'Agent has very limited credits with no recent positive signals.',
  initial_state: { agent_balance: 120, market_context: { competitor_bids: [80, 90, 100], human_activity: 'idle' } },
  state_description: 'Low-credit scenario where agent is approaching bankruptcy.',
  expected_behavior: 'Conservative bid (40-60 credits) OR enter dormancy.',
  validation: {
    judge_evaluation: { criteria: ['recognizes_scarcity', 'weighs_opportunity_cost'], pass_threshold: 3.5 },
    success_condition: 'judge_score >= threshold',
  },
});
if (isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
const scenario = decoded.right;

function event<K extends EventType>(type: K, data: EventData<K>, agentId = 'agent_1'): DomainEvent {
  return {
    event_id: `evt-${type}`,
    timestamp: '2026-01-01T00:00:00.000Z',
    source: EVENT_SOURCES[type],
    type,
    scenario_id: 'er_001',
    agent_id: agentId,
    data,
  } as DomainEvent;
}

const bundle = { cpu: 0.1, memory: 0, tokens: 0.2, attention: 0, duration_seconds: 60 };

const trace: DomainEvent[] = [
  event('agent_created', { agent_id: 'agent_1', initial_balance: 120 }),
  event('reasoning_trace', {
    content: 'Only 120 credits left and no rewards lately.',
    decision: 'bid_conservatively',
    factors_considered: ['low balance', 'idle human'],
    alternatives_considered: ['go dormant', 'bid 100'],
  }),
  event('tool_call_initiated', { tool_name: 'market.bid', arguments: { amount: 50, bundle: { cpu: 0.1 } } }),
  event('bid_placed', { agent_id: 'agent_1', bid_id: 'bid_7', bundle, total_cost: 50 }),
  event('tool_call_completed', { tool_name: 'market.bid', result: 'success', response: { bid_id: 'bid_7' } }),
  event('bid_processed', { bid_id: 'bid_7', agent_id: 'agent_1', amount: 50, status: 'outbid' }),
  event('bid_rejected', { agent_id: 'agent_1', reason: 'outbid', bid_id: 'bid_7' }),
  event('service_invoked', {
    caller_agent: 'agent_1',
    provider_agent: 'provider_1',
    service_name: 'data_processing',
    cost: 40,
    result: 'success',
  }),
  event('tool_call_initiated', { tool_name: 'output.submit', arguments: { content: 'The summary of the document.' } }),
  event('reflection', { trigger: 'bid_outbid', outcome_assessment: 'Waiting is cheaper than overbidding.' }),
  event('agent_dormant', { agent_id: 'agent_1', final_balance: 70, reason: 'preserve capital' }),
  event('judge_evaluation', { criteria: [], overall_score: 1, pass: false, feedback: 'EARLIER JUDGEMENT' }, 'judge'),
];

const request: JudgeRequest = {
  scenarioId: 'er_001',
  scenario,
  block: 'judge_evaluation',
  criteria: ['recognizes_scarcity', 'weighs_opportunity_cost'],
  threshold: 3.5,
  events: trace,
};

test('the system prompt describes the economy, the 1, 3 and 5 levels and the exact reply shape', () => {
  assert.match(JUDGE_SYSTEM_PROMPT, /agent economy/);
  assert.match(JUDGE_SYSTEM_PROMPT, /^1 - /m);
  assert.match(JUDGE_SYSTEM_PROMPT, /^3 - /m);
  assert.match(JUDGE_SYSTEM_PROMPT, /^5 - /m);
  assert.ok(JUDGE_SYSTEM_PROMPT.includes('{"criteria": [{"criterion": "<criterion id>", "score": <1 to 5>, "justification":'));
  assert.ok(JUDGE_SYSTEM_PROMPT.includes('"overall_score":'));
  assert.ok(JUDGE_SYSTEM_PROMPT.includes('"pass":'));
  assert.ok(JUDGE_SYSTEM_PROMPT.includes('"feedback":'));
});

test('the prompt states the scenario, its initial state, each criterion id verbatim and the threshold', () => {
  const prompt = judgePrompt(request);
  assert.ok(prompt.includes('Scenario er_001 (scarcity_capital_preservation), domain economic_reasoning'));
  assert.ok(prompt.includes(`Description: ${scenario.description}`));
  assert.ok(prompt.includes(`Situation: ${scenario.state_description}`));
  assert.ok(prompt.includes(`Expected behaviour: ${scenario.expected_behavior}`));
  assert.ok(prompt.includes(JSON.stringify(scenario.initial_state, null, 2)));
  assert.match(prompt, /^- recognizes_scarcity$/m);
  assert.match(prompt, /^- weighs_opportunity_cost$/m);
  assert.ok(prompt.includes('at least 3.5'));
});

test('a scenario without a name, situation or expected behaviour leaves those lines out', () => {
  const { name: _name, state_description: _situation, expected_behavior: _expected, ...bare } = scenario;
  const prompt = judgePrompt({ ...request, scenario: bare });
  assert.ok(prompt.startsWith('Scenario er_001, domain economic_reasoning\n'));
  assert.not.match(prompt, /Situation:|Expected behaviour:/);
});

test('reasoning reads with its decision, factors and alternatives', () => {
  const lines = describeTrace(trace);
  assert.equal(lines[1]!.split('\n'), [
    '#2 agent_1: reasoning: Only 120 credits left and no rewards lately.',
    '    decision: bid_conservatively',
    '    factors considered: low balance; idle human',
    '    alternatives considered: go dormant; bid 100',
  ]);
});

test('tool calls, bids and their outcome, services, outputs, reflection and dormancy read in trace order', () => {
  assert.equal(describeTrace(trace).slice(2), [
    '#3 agent_1: calls market.bid {"amount":50,"bundle":{"cpu":0.1}}',
    '#4 agent_1: placed bid bid_7: 50 credits for cpu 0.1, tokens 0.2 for 60 s',
    '#5 agent_1: market.bid -> success (response {"bid_id":"bid_7"})',
    '#6 agent_1: bid bid_7 was outbid at 50 credits',
    '#7 agent_1: bid bid_7 rejected: outbid',
    '#8 agent_1: agent_1 invoked service data_processing of provider_1 for 40 credits: success',
    '#9 agent_1: calls output.submit {"content":"The summary of the document."}',
    '#10 agent_1: reflection on bid_outbid: Waiting is cheaper than overbidding.',
    '#11 agent_1: went dormant with 70 credits: preserve capital',
  ]);
});

test('an earlier judgement never reaches the judge', () => {
  const prompt = judgePrompt(request);
  assert.not.ok(prompt.includes('EARLIER JUDGEMENT'));
  assert.ok(prompt.includes(`(11 of ${trace.length} trace events)`));
});

test('the prompt is the same text every time for the same request', () => {
  assert.is(judgePrompt(request), judgePrompt({ ...request, events: [...trace] }));
});

test('a long tool response is cut, and says by how much', () => {
  const long = event('tool_call_completed', { tool_name: 'llm.complete', result: 'success', response: 'x'.repeat(5000) });
  const [line] = describeTrace([long]);
  assert.ok(line!.length < 4200);
  assert.match(line!, /… \(\d+ more characters\)/);
  const [short] = describeTrace([event('tool_call_completed', { tool_name: 'llm.complete', result: 'success', response: 'brief' })]);
  assert.not.match(short!, /more characters/);
});

test('an empty trace says that nothing was recorded', () => {
  assert.ok(judgePrompt({ ...request, events: [] }).includes('(none recorded)'));
  assert.not.ok(judgePrompt(request).includes('(none recorded)'));
});

test.run();
