import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { parseTrace, readTraceFile } from '../harness/scenarios/trace-file';

const line = (id: string, data: Record<string, unknown>) =>
  JSON.stringify({
    event_id: id,
    timestamp: '2026-01-01T00:00:00Z',
    source: 'system',
    type: 'balance_queried',
    scenario_id: 'fc_001',
    agent_id: 'agent_1',
    data,
  });

test('one event per line; blank lines are skipped', () => {
  const result = parseTrace(`${line('e1', { agent_id: 'a', balance: 1 })}\n\n  \n${line('e2', { agent_id: 'a', balance: 2 })}\n`, 't.jsonl');
  assert.ok(isRight(result));
  if (isRight(result)) assert.equal(result.right.map((event) => event.event_id), ['e1', 'e2']);
});

test('every bad line is reported with the file, its line number and the problem', () => {
  const text = [line('e1', { agent_id: 'a', balance: 1 }), '{"event_id":', '', line('e3', { agent_id: 'a' })].join('\n');
  const result = parseTrace(text, 't.jsonl');
  assert.ok(isLeft(result));
  if (isLeft(result)) {
    assert.is(result.left.length, 2);
    assert.match(result.left[0]!, /^t\.jsonl:2: malformed JSON at line 1, column 13: /);
    assert.is(result.left[1], 't.jsonl:4: $.data.balance: expected number, got nothing');
  }
});

test('an unknown event type is a bad line', () => {
  const text = line('e1', {}).replace('balance_queried', 'balance_exploded');
  const result = parseTrace(text, 't.jsonl');
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.equal(result.left, ['t.jsonl:1: $.type: expected a known event type, got "balance_exploded"']);
});

test('an unreadable file is reported, not thrown', () => {
  const result = readTraceFile('test/fixtures/traces/no-such-file.jsonl');
  assert.ok(isLeft(result));
  if (isLeft(result)) assert.match(result.left[0]!, /^test\/fixtures\/traces\/no-such-file\.jsonl: cannot read the trace: ENOENT/);
});

test.run();
