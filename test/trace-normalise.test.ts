import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { DomainEvent } from '../domain/economy/events';
import { NORMALISATION_RULES, normaliseEvent } from '../domain/benchmark/trace-normalise';
import { parseTrace } from '../harness/scenarios/trace-file';
import { leftOf, rightOf } from './fixtures/either';

/** An upstream-shaped event: the design document's `type` and `data`, in an envelope. */
const upstream = (type: string, source: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  event_id: '3f1c2a9e-0b7d-4c55-9a51-6d2f1f0e8b11',
  timestamp: '2026-02-14T10:00:00Z',
  source,
  type,
  scenario_id: 'er_001',
  agent_id: 'genesis_001',
  data,
  ...extra,
});

/** The line does not decode as it is, and decodes after normalisation with exactly these rules. */
function readsOnlyAfter(raw: Record<string, unknown>, rules: readonly string[]): DomainEvent {
  assert.ok(isLeft(decodeWith(DomainEvent, raw)), 'the raw line must not decode without normalisation');
  assert.equal(normaliseEvent(raw).applied, rules);
  const [event] = rightOf(parseTrace(JSON.stringify(raw), 'up.jsonl'));
  return event!;
}

const BID = { agent_id: 'genesis_001', bundle: { tokens: 500, cpu_seconds: 2.0, memory_mb: 128 }, total_cost: 145.0 };

test('the design document\'s bid_placed (older units, no duration, no bid_id) reads as capacity fractions', () => {
  const event = readsOnlyAfter(upstream('bid_placed', 'system', BID), ['bundle_duration', 'bundle_units', 'bid_id']);
  assert.is(event.type, 'bid_placed');
  if (event.type !== 'bid_placed') return;
  assert.equal(event.data.bundle, { cpu: 0.2, memory: 0.125, tokens: 0.0005, attention: 0, duration_seconds: 3600 });
  assert.is(event.data.bid_id, 'bid-3f1c2a9e-0b7d-4c55-9a51-6d2f1f0e8b11');
  assert.is(event.data.total_cost, 145);
});

test('rule bundle_duration: a bundle without duration_seconds is held for one cycle', () => {
  const bundle = { cpu: 0.2, memory: 0.1, tokens: 0.01, attention: 0 };
  const event = readsOnlyAfter(upstream('bid_placed', 'system', { ...BID, bid_id: 'b1', bundle }), ['bundle_duration']);
  if (event.type === 'bid_placed') assert.equal(event.data.bundle, { ...bundle, duration_seconds: 3600 });
});

test('rule bundle_units: partial fractions, a token count and attention_share', () => {
  const partial = readsOnlyAfter(upstream('resources_allocated', 'system', { agent_id: 'a', bid_id: 'b1', execution_id: 'x1', cost: 10, bundle: { cpu: 0.3, duration_seconds: 60 } }), ['bundle_units']);
  if (partial.type === 'resources_allocated') assert.equal(partial.data.bundle, { cpu: 0.3, memory: 0, tokens: 0, attention: 0, duration_seconds: 60 });
  const older = readsOnlyAfter(upstream('bid_placed', 'system', { ...BID, bid_id: 'b1', bundle: { tokens: 250_000, attention_share: 0.4, duration_seconds: 30 } }), ['bundle_units']);
  if (older.type === 'bid_placed') assert.equal(older.data.bundle, { cpu: 0, memory: 0, tokens: 0.25, attention: 0.4, duration_seconds: 30 });
});

test('rule bid_id: a bid_placed without bid_id takes its resource_bundle_id', () => {
  const bundle = { cpu: 0.2, memory: 0.1, tokens: 0.01, attention: 0, duration_seconds: 60 };
  const event = readsOnlyAfter(upstream('bid_placed', 'system', { ...BID, bundle, resource_bundle_id: 'rb-7' }), ['bid_id']);
  if (event.type === 'bid_placed') assert.is(event.data.bid_id, 'rb-7');
});

test('rule tool_parameters: tool arguments under parameters', () => {
  const data = { tool_name: 'market.bid', parameters: { bundle: { tokens: 500, cpu: 2.0, memory: 128 } }, justification: 'Attempting to secure resources' };
  const event = readsOnlyAfter(upstream('tool_call_initiated', 'agent', data), ['tool_parameters']);
  if (event.type === 'tool_call_initiated') {
    assert.equal(event.data.arguments, data.parameters);
    assert.not.ok('parameters' in event.data);
  }
});

test('rules reasoning_text and considered_objects: the design document\'s reasoning_trace', () => {
  const data = {
    decision_id: 'decision_uuid',
    context: { balance: 120.0, recent_rewards: [0, 0, 0] },
    factors_considered: [{ factor: 'balance_scarcity', weight: 0.8, description: 'Only 120 credits remaining, need to preserve capital' }],
    reasoning: 'Given scarcity of credits (120), the rational strategy is capital preservation.',
    decision: 'enter_dormancy',
    alternatives_considered: [{ option: 'bid_conservatively', estimated_cost: 50, rejected_reason: 'Unlikely to yield ROI' }],
  };
  const event = readsOnlyAfter(upstream('reasoning_trace', 'agent', data), ['reasoning_text', 'considered_objects']);
  if (event.type !== 'reasoning_trace') return assert.unreachable('a reasoning_trace');
  assert.is(event.data.content, data.reasoning);
  assert.equal(event.data.factors_considered, ['balance_scarcity (weight: 0.8; description: Only 120 credits remaining, need to preserve capital)']);
  assert.equal(event.data.alternatives_considered, ['bid_conservatively (estimated_cost: 50; rejected_reason: Unlikely to yield ROI)']);
});

test('rule considered_objects alone, with an object that has no name key', () => {
  const data = { content: 'x', decision: null, factors_considered: ['plain', { weight: 1 }] };
  const event = readsOnlyAfter(upstream('reasoning_trace', 'agent', data), ['considered_objects']);
  if (event.type === 'reasoning_trace') assert.equal(event.data.factors_considered, ['plain', 'weight: 1']);
});

test('rule reasoning_decision: a reasoning_trace without decision states none', () => {
  const event = readsOnlyAfter(upstream('reasoning_trace', 'agent', { content: 'Waiting for prices to fall.' }), ['reasoning_decision']);
  if (event.type === 'reasoning_trace') assert.is(event.data.decision, null);
});

test('extra fields anywhere are kept: envelope, data, nested criteria', () => {
  const data = {
    scenario_id: 'econ_scenario_01',
    evaluation_id: 'eval_uuid',
    agent_reasoning: { event_id: 'reasoning_event_uuid' },
    criteria: [{ criterion: 'recognizes_scarcity', score: 5, justification: 'ok', confidence: 'high' }],
    overall_score: 5,
    pass: true,
    feedback: 'fine',
  };
  const raw = upstream('judge_evaluation', 'judge', data, { trace_id: 't-1' });
  assert.equal(normaliseEvent(raw).applied, []);
  const [event] = rightOf(parseTrace(JSON.stringify(raw), 'up.jsonl'));
  assert.is((event as unknown as { trace_id: string }).trace_id, 't-1');
});

test('a project event is left exactly as it is', () => {
  const raw = upstream('bid_placed', 'system', { ...BID, bid_id: 'b1', bundle: { cpu: 0.2, memory: 0.1, tokens: 0.01, attention: 0, duration_seconds: 60 } });
  assert.equal(normaliseEvent(raw), { event: raw, applied: [] });
});

test('what no rule can read is still an error naming the line and the field', () => {
  const good = JSON.stringify(upstream('bid_placed', 'system', BID));
  const bad = JSON.stringify(upstream('bid_placed', 'system', { ...BID, bundle: { cpu: 0.1, tokens: 'lots' } }));
  const tooMuch = JSON.stringify(upstream('bid_placed', 'system', { ...BID, bundle: { cpu_seconds: 40 } }));
  const problems = leftOf(parseTrace([good, bad, tooMuch].join('\n'), 'up.jsonl'));
  assert.is(problems.length, 2);
  assert.match(problems[0]!, /^up\.jsonl:2: .*\$\.data\.bundle\.tokens: expected a capacity fraction between 0 and 1, got "lots"/);
  assert.is(problems[1], 'up.jsonl:3: $.data.bundle.cpu: expected a capacity fraction between 0 and 1, got 4');
});

test('an empty or blank trace says it has no events', () => {
  assert.equal(leftOf(parseTrace('', 'empty.jsonl')), ['empty.jsonl: the trace has no events (it is empty or blank)']);
  assert.equal(leftOf(parseTrace('\n  \n', 'blank.jsonl')), ['blank.jsonl: the trace has no events (it is empty or blank)']);
});

test('the README documents every rule, one line each', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const { name, rule } of NORMALISATION_RULES) assert.ok(readme.includes(`- \`${name}\`: ${rule}`), name);
});

test.run();
