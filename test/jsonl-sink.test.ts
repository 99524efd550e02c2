import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createEventBus, type TraceSink } from '../machines/event-bus';
import { openJsonlSink } from '../machines/jsonl-sink';

function withDirectory(work: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'jsonl-sink-'));
  try {
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events of every size the sink buffers differently: short, multi-byte, and larger than its buffer. */
function emitEvents(sink: TraceSink) {
  const bus = createEventBus('jsonl-sink', [sink]);
  const events = [];
  for (let index = 0; index < 20_000; index++) {
    events.push(bus.emit('reasoning_trace', `agent-${index % 7}`, { content: `thought ${index}: ≈ ünïcödé ✓ 🚀`, decision: null }));
  }
  events.push(bus.emit('reasoning_trace', 'agent-0', { content: 'é'.repeat(700_000), decision: 'write it whole' }));
  events.push(bus.emit('reasoning_trace', 'agent-1', { content: 'after the large one', decision: null }));
  return events;
}

test('the sink writes every event as one JSON line, in order, whatever its size and characters', () => {
  withDirectory((dir) => {
    const path = join(dir, 'trace.jsonl');
    const sink = openJsonlSink(path);
    if (isLeft(sink)) throw new Error(sink.left);
    const events = emitEvents(sink.right);
    sink.right.close();
    const expected = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const written = readFileSync(path, 'utf8');
    assert.ok(written.length > 1 << 20, 'the trace is larger than the buffer');
    assert.is(written, expected);
  });
});

test('the sink holds nothing back once closed, and a path it cannot write is reported', () => {
  withDirectory((dir) => {
    const path = join(dir, 'short.jsonl');
    const sink = openJsonlSink(path);
    if (isLeft(sink)) throw new Error(sink.left);
    const event = createEventBus('jsonl-sink', [sink.right]).emit('reflection', 'agent-0', { trigger: 't', outcome_assessment: 'o' });
    assert.is(readFileSync(path, 'utf8'), '', 'buffered until closed');
    sink.right.close();
    assert.is(readFileSync(path, 'utf8'), `${JSON.stringify(event)}\n`);
    const refused = openJsonlSink(join(dir, 'missing', 'trace.jsonl'));
    assert.ok(isLeft(refused) && refused.left.startsWith(`cannot write the trace to ${join(dir, 'missing', 'trace.jsonl')}: `));
  });
});

test.run();
