import { createWebSocketReceiver, type StatelyInspectionEvent } from '@statelyai/inspect';

/** Long enough for any run of the tests; only there so that a lost event fails the test instead of hanging it. */
const GIVE_UP_AFTER_MS = 10_000;

/** The first `count` events a receiver connected to the bridge at `socketUrl` gets. */
export function receiveInspection(socketUrl: string, count: number): Promise<StatelyInspectionEvent[]> {
  return new Promise((resolve, reject) => {
    const received: StatelyInspectionEvent[] = [];
    const giveUp = setTimeout(() => reject(new Error(`received ${received.length} of ${count} inspection events`)), GIVE_UP_AFTER_MS);
    createWebSocketReceiver({ server: socketUrl }).subscribe((event) => {
      received.push(event);
      if (received.length < count) return;
      clearTimeout(giveUp);
      resolve(received);
    });
  });
}
