import type { AnyActorRef, InspectionEvent } from 'xstate';
import { describeTransition } from '../../machines';

/**
 * What a real actor did, seen through XState's inspection: the transitions its microsteps took and
 * the events it received, collected until taken.
 */
export interface ActorWatch {
  readonly inspect: (inspection: InspectionEvent) => void;
  watch(actor: AnyActorRef): void;
  /** The transitions taken and events received since the last call. */
  take(): { readonly fired: readonly string[]; readonly received: readonly { type: string }[] };
}

export function watchActor(): ActorWatch {
  let watched: AnyActorRef | undefined;
  let fired: string[] = [];
  let received: { type: string }[] = [];
  return {
    inspect: (inspection) => {
      if (watched === undefined || inspection.actorRef !== watched) return;
      if (inspection.type === '@xstate.microstep') fired.push(...inspection._transitions.map((definition) => describeTransition(definition).id));
      if (inspection.type === '@xstate.event') received.push(inspection.event);
    },
    watch: (actor) => void (watched = actor),
    take: () => {
      const taken = { fired, received };
      fired = [];
      received = [];
      return taken;
    },
  };
}
