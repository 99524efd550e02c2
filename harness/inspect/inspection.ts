import { createWebSocketInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { AnyEventObject, InspectionEvent, Observer, Snapshot } from 'xstate';
import { startInspectorBridge, type BridgeOptions } from './bridge';
import { readable, type ActorLike } from './readable';

/**
 * Live inspection of a run: every actor of the system whose root is created with `inspect` reports
 * its registration, the events it receives and its snapshots to the Stately WebSocket inspector,
 * which sends them to a local bridge.
 *
 * Each actor is shown by a name that says which it is: its system id (`scheduler`, `agent:<id>`),
 * else its parent's name and its own id (`agent:<id>/brain`), else its machine's id (`orchestrator`).
 */

export interface InspectionSession {
  /** For `createActor(root, { inspect })`. */
  readonly inspect: Observer<InspectionEvent>;
  readonly pageUrl: string;
  readonly socketUrl: string;
  /** How many events the inspector has been given. */
  eventCount(): number;
  /** Resolves once every event inspected so far has reached the bridge. */
  delivered(): Promise<void>;
  /** Delivers what is left, then disconnects the inspector and stops the bridge. */
  close(): Promise<void>;
}

interface InspectedActor extends ActorLike {
  readonly id?: string;
  readonly systemId?: string;
  readonly _parent?: ActorLike;
  readonly logic?: { readonly config?: { readonly id?: unknown } };
}

/** The events the Stately inspector shows; XState's others (microsteps, actions) it ignores. */
function isShown(event: InspectionEvent): boolean {
  return event.type === '@xstate.actor' || event.type === '@xstate.event' || event.type === '@xstate.snapshot';
}

export async function startInspection(options: BridgeOptions = {}): Promise<Either<string, InspectionSession>> {
  const started = await startInspectorBridge(options);
  if (isLeft(started)) return started;
  const bridge = started.right;

  const actors = new Map<string, InspectedActor>();
  // Names are read when an event is sent, not when the actor registers: XState reports an actor
  // before it sets the actor's system id.
  const nameOf = (actor: ActorLike): string => {
    const { id, systemId, _parent, logic } = actors.get(actor.sessionId) ?? (actor as InspectedActor);
    if (systemId !== undefined) return systemId;
    // An agent is named by the id it is made with, `agent:<id>`, and not registered in the system by it:
    // registering a hundred thousand agents was a tenth of making them.
    if (logic?.config?.id === 'agent' && id !== undefined && id !== actor.sessionId) return id;
    const ownId = id ?? actor.sessionId;
    if (_parent !== undefined) return `${nameOf(_parent)}/${ownId}`;
    const machineId = logic?.config?.id;
    return ownId === actor.sessionId && typeof machineId === 'string' ? machineId : ownId;
  };
  const named = (event: StatelyInspectionEvent): StatelyInspectionEvent =>
    event.type === '@xstate.actor'
      ? { ...event, name: nameOf({ sessionId: event.sessionId }), snapshot: readable(event.snapshot, nameOf) as typeof event.snapshot }
      : event;

  // Created on the first event, so that a run that inspects nothing leaves no connection to close.
  let inspector: ReturnType<typeof createWebSocketInspector> | undefined;
  let forwarded = 0;
  const forward = (event: InspectionEvent): void => {
    inspector ??= createWebSocketInspector({
      url: bridge.socketUrl,
      // A run reports synchronously, before the inspector's connection opens: none of it may be dropped.
      maxDeferredEvents: Number.POSITIVE_INFINITY,
      sanitizeEvent: (sent) => readable(sent, nameOf) as AnyEventObject,
      serialize: named,
    });
    forwarded += 1;
    inspector.inspect.next?.(event);
  };

  const delivered = (): Promise<void> => bridge.received(forwarded);
  return right({
    pageUrl: bridge.pageUrl,
    socketUrl: bridge.socketUrl,
    inspect: {
      next(event) {
        if (event.type === '@xstate.actor') actors.set(event.actorRef.sessionId, event.actorRef as InspectedActor);
        if (!isShown(event)) return;
        // The inspector serialises a snapshot as it is, losing its Maps: it gets a readable copy.
        forward(event.type === '@xstate.snapshot' ? { ...event, snapshot: readable(event.snapshot, nameOf) as Snapshot<unknown> } : event);
      },
    },
    eventCount: () => forwarded,
    delivered,
    async close() {
      try {
        await delivered();
      } finally {
        inspector?.stop();
        await bridge.close();
      }
    },
  });
}
