import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { createWebSocketInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { receiveInspection } from './inspect-receiver';
import { startInspectorBridge, STATELY_INSPECTOR_URL, type InspectorBridge } from '../harness/inspect/bridge';

async function bridge(port = 0): Promise<InspectorBridge> {
  const started = await startInspectorBridge({ port });
  if (isLeft(started)) throw new Error(started.left);
  return started.right;
}

const portOf = (url: string): number => Number(new URL(url).port);


const eventTypes = (events: readonly StatelyInspectionEvent[]): string[] =>
  events.flatMap((event) => (event.type === '@xstate.event' ? [event.event.type] : []));

test('listens on 127.0.0.1 and serves a page that feeds its events to the Stately inspector', async () => {
  const started = await bridge();
  try {
    assert.match(started.pageUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.is(started.socketUrl, `ws://127.0.0.1:${portOf(started.pageUrl)}`);
    const page = await (await fetch(started.pageUrl)).text();
    assert.ok(page.includes(`new WebSocket('${started.socketUrl}')`), 'the page does not connect to the bridge');
    assert.ok(page.includes(`src="${STATELY_INSPECTOR_URL}"`), 'the page does not embed the inspector');
  } finally {
    await started.close();
  }
});

test('refuses a port already in use, naming the address', async () => {
  const first = await bridge();
  try {
    const port = portOf(first.pageUrl);
    const second = await startInspectorBridge({ port });
    assert.equal(second, { _tag: 'Left', left: `cannot start the inspector bridge on 127.0.0.1:${port}: the port is already in use` });
  } finally {
    await first.close();
  }
  const again = await startInspectorBridge({ port: portOf(first.pageUrl) });
  assert.ok(isRight(again), 'the port was not released on close');
  if (isRight(again)) await again.right.close();
});

test('relays each event to the receivers connected, and replays them all to a receiver connected later', async () => {
  const started = await bridge();
  const inspector = createWebSocketInspector({ url: started.socketUrl });
  try {
    const early = receiveInspection(started.socketUrl, 2);
    inspector.event('x:0', { type: 'first' });
    await started.received(1);
    inspector.event('x:0', { type: 'second' });
    await started.received(2);
    assert.equal(eventTypes(await early), ['first', 'second']);
    assert.equal(eventTypes(await receiveInspection(started.socketUrl, 2)), ['first', 'second']);
  } finally {
    inspector.stop();
    await started.close();
  }
});

test('a wait for more events than arrived fails when the bridge closes', async () => {
  const started = await bridge();
  const waiting = started.received(1).then(
    () => 'received',
    (error: Error) => error.message,
  );
  await started.close();
  assert.is(await waiting, 'the inspector bridge closed after 0 of 1 events');
});

test.run();
