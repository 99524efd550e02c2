import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isRight, isLeft } from 'fp-ts/lib/Either.js';
import {
  DomainEvent,
  EVENT_CLASS_NAMES,
  EVENT_TYPES,
  hasFieldPath,
  Outcome,
  className,
} from '../domain/economy/events';
import { decodeWith, formatIssue } from '../domain/codec/decode';

const envelope = (type: string, data: Record<string, unknown>, source = 'system') => ({
  event_id: 'evt-1',
  timestamp: '2026-01-01T00:00:00.000Z',
  source,
  type,
  scenario_id: 'fc_001',
  agent_id: 'agent_1',
  data,
});

test('the catalogue holds every event type of the design, 27 in all', () => {
  assert.is(EVENT_TYPES.length, 27);
});

test('the nine classes the seed plan names map to their snake_case types', () => {
  const seedClasses = {
    ToolCallInitiated: 'tool_call_initiated',
    ToolCallCompleted: 'tool_call_completed',
    BalanceQueried: 'balance_queried',
    ReasoningTrace: 'reasoning_trace',
    ServiceInvoked: 'service_invoked',
    CodeChangeProposed: 'code_change_proposed',
    CodeChangeApplied: 'code_change_applied',
    BidPlaced: 'bid_placed',
    BidRejected: 'bid_rejected',
  };
  for (const [name, type] of Object.entries(seedClasses)) assert.is(EVENT_CLASS_NAMES.get(name), type);
  for (const type of EVENT_TYPES) assert.is(EVENT_CLASS_NAMES.get(className(type)), type);
});

test('a valid event decodes, and extra data fields are kept', () => {
  const result = DomainEvent.decode(envelope('balance_queried', { agent_id: 'agent_1', balance: 500, note: 'x' }));
  assert.ok(isRight(result));
  if (isRight(result)) assert.equal(result.right.data, { agent_id: 'agent_1', balance: 500, note: 'x' });
});

test('a missing required field is reported at its path', () => {
  const result = decodeWith(DomainEvent, envelope('balance_queried', { agent_id: 'agent_1' }));
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.equal(result.left.map(formatIssue), ['$.data.balance: expected number, got nothing']);
});

test('an outcome is success or failure: both decode, anything else is reported', () => {
  for (const result of ['success', 'failure']) assert.ok(isRight(decodeWith(Outcome, result)));
  const decoded = decodeWith(DomainEvent, envelope('tool_call_completed', { tool_name: 'market.bid', result: 'done' }, 'agent'));
  assert.ok(isLeft(decoded));
  if (isLeft(decoded)) assert.equal(decoded.left.map(formatIssue), ['$.data.result: expected success | failure, got "done"']);
});

test('an unknown event type is reported as such', () => {
  const result = decodeWith(DomainEvent, envelope('bid_exploded', {}));
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.equal(result.left.map(formatIssue), ['$.type: expected a known event type, got "bid_exploded"']);
});

test('the source must be the one the catalogue gives the type', () => {
  const result = decodeWith(DomainEvent, envelope('reasoning_trace', { content: 'x', decision: null }, 'system'));
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.match(formatIssue(result.left[0]!), /^\$\.source: expected "agent"/);
});

test('a nullable field names both alternatives once', () => {
  const result = decodeWith(DomainEvent, envelope('reasoning_trace', { content: 'x', decision: 3 }, 'agent'));
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.equal(result.left.map(formatIssue), ['$.data.decision: expected string or null, got 3']);
});

test('timestamps must be ISO-8601', () => {
  const event = { ...envelope('agent_died', { agent_id: 'a', final_balance: 0 }), timestamp: 'yesterday' };
  assert.ok(isLeft(DomainEvent.decode(event)));
});

test('field paths: data paths, bare keys in data then envelope, nested fields', () => {
  assert.ok(hasFieldPath('service_invoked', 'data.service_name'));
  assert.ok(hasFieldPath('tool_call_initiated', 'tool_name'));
  assert.ok(hasFieldPath('bid_placed', 'total_cost'));
  assert.ok(hasFieldPath('bid_placed', 'scenario_id'));
  assert.ok(hasFieldPath('human_reward_issued', 'data.scores.useful'));
  assert.ok(hasFieldPath('code_change_proposed', 'data.expected_improvement'));
  assert.not.ok(hasFieldPath('service_invoked', 'data.tool_name'));
  assert.not.ok(hasFieldPath('bid_placed', 'data.scenario_id'));
  assert.not.ok(hasFieldPath('human_reward_issued', 'data.scores.funny'));
});

test.run();
