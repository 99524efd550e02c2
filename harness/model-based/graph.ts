import {
  createActor,
  fromTransition,
  type AnyActorScope,
  type AnyStateMachine,
  type AnyTransitionDefinition,
  type EventFromLogic,
  type InputFrom,
} from 'xstate';
import { getStateNodes } from '@xstate/graph';

/**
 * What a machine is made of, as the model-based tests count it: its state nodes, and its transitions
 * (each candidate of an `on` handler and each `always` candidate is one transition, so a guarded
 * alternative needs a path of its own). Transitions are named the same way whether they are read from
 * the definition or observed firing, which is what lets coverage be measured rather than asserted.
 */

export interface MachineTransition {
  /** `<source state> <event type, or always>[<candidate index>] -> <targets>` */
  readonly id: string;
  readonly targets: readonly string[];
}

type StateNodeOf = ReturnType<typeof getStateNodes>[number];

function candidatesOf(definition: AnyTransitionDefinition): readonly AnyTransitionDefinition[] {
  const source = definition.source as StateNodeOf;
  if (definition.eventType === '') return source.always ?? [];
  return source.transitions.get(definition.eventType) ?? [];
}

export function describeTransition(definition: AnyTransitionDefinition): MachineTransition {
  const event = definition.eventType === '' ? 'always' : definition.eventType;
  const index = candidatesOf(definition).indexOf(definition);
  const targets = (definition.target ?? []).map((target) => target.id);
  return { id: `${definition.source.id} ${event}[${index}] -> ${targets.length === 0 ? '(stays)' : targets.join(',')}`, targets };
}

export function machineStates(machine: AnyStateMachine): readonly string[] {
  return getStateNodes(machine.root).map((node) => node.id);
}

export function machineTransitions(machine: AnyStateMachine): readonly MachineTransition[] {
  const nodes = [machine.root, ...getStateNodes(machine.root)];
  const definitions = nodes.flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])]);
  return definitions.map(describeTransition);
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
