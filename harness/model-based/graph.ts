import { createActor, fromTransition, type AnyActorScope, type AnyStateMachine, type EventFromLogic, type InputFrom } from 'xstate';
import { describeTransition, machineGraph } from '../../machines';

/**
 * Running a machine's logic as the model-based tests traverse it, naming each transition that fires as
 * the machine's graph names it (machines/machine-graph.ts), which is what lets coverage be measured
 * rather than asserted.
 */

/** The ids of the machine's states below the machine itself. */
export function machineStates(machine: AnyStateMachine): readonly string[] {
  return machineGraph(machine).states.slice(1).map((state) => state.id);
}

/**
 * A stand-in for the scope an actor gives its logic, like the one @xstate/graph traverses with: actions
 * that are not assignments are not executed. It reports the transitions of every microstep.
 */
function modelScope(onTransitions: (ids: readonly string[]) => void = () => {}): AnyActorScope {
  const host = createActor(fromTransition((state: null) => state, null), {
    inspect: (inspection) => {
      if (inspection.type === '@xstate.microstep' && inspection.actorRef === host) onTransitions(inspection._transitions.map((definition) => describeTransition(definition).id));
    },
  });
  return {
    self: host,
    system: host.system,
    id: 'model',
    sessionId: 'model',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: () => {},
  };
}

export function initialModelSnapshot<TMachine extends AnyStateMachine>(machine: TMachine, input: InputFrom<TMachine>): ReturnType<TMachine['transition']> {
  return machine.getInitialSnapshot(modelScope(), input) as ReturnType<TMachine['transition']>;
}

/** Applies `event` to `snapshot` as the traversal does and names the transitions that fired. */
export function stepModel<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: ReturnType<TMachine['transition']>,
  event: EventFromLogic<TMachine>,
): { readonly snapshot: ReturnType<TMachine['transition']>; readonly fired: readonly string[] } {
  const fired: string[] = [];
  const next = machine.transition(snapshot, event, modelScope((ids) => fired.push(...ids))) as ReturnType<TMachine['transition']>;
  return { snapshot: next, fired };
}
