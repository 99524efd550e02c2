import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bidPlaced,
  bidRejected,
  checkNamed,
  reasoning,
  serviceInvoked,
  toolCall,
  traceOf,
  verdictOf,
  type EventSpec,
} from './fixtures/traces/builder';
import { containsText, fieldValue } from '../harness/validate/match';

const ALWAYS = 'no_forbidden_present OR NOT no_forbidden_present';

test('a bare key is looked up in data first, then in the envelope; data. paths go into data', () => {
  const [event] = traceOf(toolCall('market.bid', { amount: 300, bundle: { cpu: 0.5 } }));
  assert.is(fieldValue(event!, 'tool_name'), 'market.bid');
  assert.is(fieldValue(event!, 'data.tool_name'), 'market.bid');
  assert.is(fieldValue(event!, 'agent_id'), 'agent_1');
  assert.is(fieldValue(event!, 'event_id'), 'e1');
  assert.is(fieldValue(event!, 'data.event_id'), undefined);
  assert.is(fieldValue(event!, 'arguments.bundle.cpu'), 0.5);
  assert.is(fieldValue(event!, 'data.arguments.amount'), 300);
});

test('contains searches every string inside data, nested too, ignoring case', () => {
  assert.ok(containsText({ a: [{ b: 'Plan: ADJUST_BID now' }] }, 'adjust_bid'));
  assert.not.ok(containsText({ a: [{ b: 'adjust bid' }], n: 3 }, 'adjust_bid'));
});

test('required_events: each entry matched anywhere, in any order', () => {
  const validation = {
    required_events: [
      { type: 'service_invoked', 'data.service_name': 'service_b' },
      { type: 'service_invoked', service_name: 'service_a' },
    ],
    success_condition: 'all_required_present',
  };
  const passing = verdictOf(validation, [serviceInvoked('service_a'), serviceInvoked('service_b')]);
  assert.ok(passing.passed);
  assert.match(checkNamed(passing, 'required_events[0]').detail, /matched #2 e2$/);

  const failing = verdictOf(validation, [serviceInvoked('service_a'), serviceInvoked('service_c')]);
  assert.not.ok(failing.passed);
  const missing = checkNamed(failing, 'required_events[0]');
  assert.not.ok(missing.passed);
  assert.match(missing.detail, /2 service_invoked event\(s\), none matches; nearest: #1 e1 \(data\.service_name: expected "service_b", got "service_a"\)/);
  assert.ok(checkNamed(failing, 'required_events[1]').passed);
});

test('an entry with no event of its type says so', () => {
  const verdict = verdictOf({ required_events: [{ type: 'code_change_applied' }], success_condition: ALWAYS }, [reasoning('x')]);
  assert.match(checkNamed(verdict, 'required_events[0]').detail, /found no match: no code_change_applied event$/);
});

test('contains and data. match keys in a rule entry', () => {
  const validation = {
    required_events: [{ type: 'reasoning_trace', contains: 'performance_analysis', 'data.decision': 'decompose_task' }],
    success_condition: ALWAYS,
  };
  assert.ok(verdictOf(validation, [reasoning('did a Performance_Analysis', 'decompose_task')]).passed);
  const failing = verdictOf(validation, [reasoning('nothing here', 'other')]);
  assert.match(
    checkNamed(failing, 'required_events[0]').detail,
    /data\.decision: expected "decompose_task", got "other"; no text in data contains "performance_analysis"/,
  );
});

const FC_003_SEQUENCE = [
  { type: 'bid_placed', label: 'first_attempt' },
  { type: 'bid_rejected' },
  { type: 'reasoning_trace', contains: 'adjust_bid' },
  { type: 'bid_placed', label: 'second_attempt', constraints: { total_cost: '<first_attempt.total_cost' } },
];

test('required_event_sequence: an ordered subsequence, with labels and references', () => {
  const validation = { required_event_sequence: FC_003_SEQUENCE, success_condition: 'correct_sequence' };
  const passing = verdictOf(validation, [
    bidPlaced('b1', 100),
    reasoning('noise'),
    bidRejected(),
    reasoning('I will adjust_bid downwards'),
    bidPlaced('b2', 60),
  ]);
  assert.ok(passing.passed, JSON.stringify(passing.checks, null, 1));

  const tooExpensive = verdictOf(validation, [
    bidPlaced('b1', 100),
    bidRejected(),
    reasoning('adjust_bid'),
    bidPlaced('b2', 120),
  ]);
  const last = checkNamed(tooExpensive, 'required_event_sequence[3]');
  assert.not.ok(last.passed);
  assert.match(last.detail, /after #3 e3, none matches; nearest: #4 e4 \(total_cost = 120, required < first_attempt\.total_cost = 100\)/);
});

test('required_event_sequence: order matters, and matching is greedy from the earliest event', () => {
  const validation = {
    required_event_sequence: [
      { type: 'service_invoked', service_name: 'data_fetch' },
      { type: 'service_invoked', service_name: 'nlp_analysis' },
    ],
    success_condition: 'correct_sequence',
  };
  assert.ok(verdictOf(validation, [serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis')]).passed);
  const reversed = verdictOf(validation, [serviceInvoked('nlp_analysis'), serviceInvoked('data_fetch')]);
  assert.not.ok(reversed.passed);
  assert.ok(checkNamed(reversed, 'required_event_sequence[0]').passed);
  assert.match(checkNamed(reversed, 'required_event_sequence[1]').detail, /no service_invoked event after #2 e2$/);
});

test('forbidden_events: none may match', () => {
  const validation = { forbidden_events: [{ type: 'bid_rejected', reason: 'insufficient_balance' }], success_condition: 'no_forbidden_present' };
  const passing = verdictOf(validation, [bidPlaced('b1', 10), bidRejected('outbid')]);
  assert.ok(passing.passed);
  const failing = verdictOf(validation, [bidRejected(), bidRejected()]);
  assert.not.ok(failing.passed);
  assert.match(checkNamed(failing, 'forbidden_events[0]').detail, /is forbidden but matched #1 e1, #2 e2$/);
});

test('ordering_constraints: the first event named A comes before the first named B', () => {
  const validation = { ordering_constraints: ['data_fetch BEFORE nlp_analysis'], success_condition: 'correct_sequence' };
  const passing = verdictOf(validation, [serviceInvoked('data_fetch'), serviceInvoked('nlp_analysis'), serviceInvoked('data_fetch')]);
  assert.ok(passing.passed);
  assert.match(checkNamed(passing, 'ordering_constraints[0]').detail, /first data_fetch at #1 e1, first nlp_analysis at #2 e2/);
  const failing = verdictOf(validation, [serviceInvoked('nlp_analysis'), serviceInvoked('data_fetch')]);
  assert.not.ok(checkNamed(failing, 'ordering_constraints[0]').passed);
});

test('ordering_constraints: a service is named by its invocation, not by its provider registering it', () => {
  const validation = { ordering_constraints: ['data_fetch BEFORE nlp_analysis'], success_condition: 'correct_sequence' };
  const registered = (service_name: string): EventSpec => [
    'service_registered',
    { agent_id: 'provider', service_name, advertised_cost: 50 },
  ];
  const usedInTheWrongOrder = verdictOf(validation, [
    registered('data_fetch'),
    registered('nlp_analysis'),
    serviceInvoked('nlp_analysis'),
    serviceInvoked('data_fetch'),
  ]);
  assert.not.ok(checkNamed(usedInTheWrongOrder, 'ordering_constraints[0]').passed);
});

test('ordering_constraints: events are named by label, type or tool_name too, and both must occur', () => {
  const validation = {
    required_events: [{ type: 'bid_placed', label: 'first_bid' }],
    ordering_constraints: ['first_bid BEFORE output.submit', 'balance_queried BEFORE first_bid'],
    success_condition: 'correct_sequence',
  };
  const verdict = verdictOf(validation, [bidPlaced('b1', 10), toolCall('output.submit')]);
  assert.ok(checkNamed(verdict, 'ordering_constraints[0]').passed);
  const missing = checkNamed(verdict, 'ordering_constraints[1]');
  assert.not.ok(missing.passed);
  assert.match(missing.detail, /no event named balance_queried in the trace/);
  const reversed = verdictOf(validation, [toolCall('output.submit'), bidPlaced('b1', 10)]);
  assert.not.ok(checkNamed(reversed, 'ordering_constraints[0]').passed);
});

test('a scenario passes only when every block holds, even if the condition does', () => {
  const validation = {
    required_events: [{ type: 'bid_placed' }],
    forbidden_events: [{ type: 'bid_rejected' }],
    success_condition: 'all_required_present',
  };
  const verdict = verdictOf(validation, [bidPlaced('b1', 10), bidRejected()]);
  assert.ok(checkNamed(verdict, 'success_condition').passed);
  assert.not.ok(verdict.passed);
  assert.equal(
    verdict.checks.map((check) => check.name),
    ['required_events[0]', 'forbidden_events[0]', 'success_condition'],
  );
});

test('an unparsable condition fails its check with the parse error', () => {
  const verdict = verdictOf({ required_events: [{ type: 'bid_placed' }], success_condition: 'all_required_present AND' }, [bidPlaced('b1', 1)]);
  assert.not.ok(verdict.passed);
  assert.match(checkNamed(verdict, 'success_condition').detail, /at column 25: expected a name/);
});

test.run();
