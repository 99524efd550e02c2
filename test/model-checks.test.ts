import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEventBus, traceRecorder } from '../machines/event-bus';
import { mismatch, supplyMismatch, undecodableEvents } from '../harness/model-based/checks';

function traceOf(record: (bus: ReturnType<typeof createEventBus>) => void) {
  const recorder = traceRecorder();
  record(createEventBus('model-checks', [recorder]));
  return recorder.events;
}

test('a trace of catalogue events decodes; an event with a missing field does not', () => {
  const trace = traceOf((bus) => bus.emit('credits_burned', 'a', { agent_id: 'a', amount: 5, reason: 'resource_purchase' }));
  assert.equal(undecodableEvents(trace), []);
  const broken = { ...trace[0], data: { agent_id: 'a', reason: 'resource_purchase' } };
  assert.equal(undecodableEvents([broken]).length, 1);
  assert.match(undecodableEvents([broken])[0] ?? '', /^\$\.trace\[0\]\.data\.amount: /);
});

test('the credits a trace accounts for must be what the ledger holds', () => {
  const trace = traceOf((bus) => bus.emit('credits_burned', 'a', { agent_id: 'a', amount: 5, reason: 'resource_purchase' }));
  assert.equal(supplyMismatch(trace, -5), []);
  assert.equal(supplyMismatch(trace, 0), ['the trace accounts for -5 credits, the ledger holds 0']);
});

test('an actor differing from the model is named with both values', () => {
  assert.equal(mismatch('state', 'dormant', 'dormant'), []);
  assert.equal(mismatch('state', 'dormant', { turn: 'bidding' }), ['state: the actor has "dormant", the model {"turn":"bidding"}']);
});

test.run();
