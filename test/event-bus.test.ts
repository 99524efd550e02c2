import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEventBus, traceRecorder, type Emission, type EventBus, type TallySink } from '../machines';

function tallyRecorder(): TallySink & { readonly seen: Emission[] } {
  const seen: Emission[] = [];
  return { seen, tally: (emission) => void seen.push(emission) };
}

/** A few events, a cycle boundary and a notice in the middle, as a cycle of the economy emits them. */
function emitSome(bus: EventBus) {
  bus.emit('bid_placed', 'agent-1', { agent_id: 'agent-1', bid_id: 'bid-000001', bundle: { cpu: 0.1, memory: 0.1, tokens: 0.1, attention: 0, duration_seconds: 60 }, total_cost: 3 });
  bus.startCycle(1);
  bus.emitAll([{ type: 'credits_burned', agent_id: 'agent-1', data: { agent_id: 'agent-1', amount: 3, reason: 'resource_purchase' } }]);
  const notice = bus.notice('bid_rejected', 'agent-2', { agent_id: 'agent-2', bid_id: 'bid-000002', reason: 'outbid' });
  bus.emit('reflection', 'agent-2', { trigger: 'lost', outcome_assessment: 'bid more' });
  return notice;
}

test('a bus whose only sinks are tallies stamps no envelope, yet counts every event and stamps a notice as a trace would', () => {
  const tally = tallyRecorder();
  const silent = createEventBus('bus', [tally]);
  const notice = emitSome(silent);
  const trace = traceRecorder();
  const traced = createEventBus('bus', [trace]);
  emitSome(traced);

  assert.is(silent.emittedCount(), 4);
  assert.equal(tally.seen.map((each) => each.type), ['bid_placed', 'credits_burned', 'bid_rejected', 'reflection']);
  assert.not.ok('event_id' in tally.seen[0]!, 'an event nobody reads whole is not stamped');
  assert.not.ok('event_id' in tally.seen[1]!);
  assert.equal(notice, trace.events[2], 'the notice is the event the trace holds at its place');
  assert.is(notice.timestamp, '2026-01-01T01:00:00.000002Z');
});

test('beside a trace, a tally reads the same events in the same order; detached, the trace costs nothing again', () => {
  const tally = tallyRecorder();
  const trace = traceRecorder();
  const bus = createEventBus('bus', [tally]);
  const detach = bus.attach(trace);
  emitSome(bus);
  assert.is(trace.events.length, 4);
  assert.equal(tally.seen, trace.events, 'the tally is handed the stamped envelopes while they exist');
  detach();
  bus.emit('reflection', 'agent-3', { trigger: 'alone', outcome_assessment: 'quiet' });
  assert.is(trace.events.length, 4);
  assert.is(tally.seen.length, 5);
  assert.not.ok('event_id' in tally.seen[4]!);
  assert.is(bus.notice('reflection', 'agent-3', { trigger: 'x', outcome_assessment: 'y' }).event_id, 'evt-000006');
});

test.run();
