import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * What a machine definition is made of, read from its state nodes: the one reading both the model-based
 * tests (which count transitions to measure coverage) and the report's state diagrams (which draw them)
 * use. Each candidate of an `on` handler and each `always` candidate is one transition, so a guarded
 * alternative is a transition of its own; a transition without a target stays in its state (it only runs
 * actions); a transition declared on the machine itself applies in every state. A transition is named the
 * same way whether it is read from the definition or observed firing in an actor.
 */

export interface MachineState {
  /** The state node's id, e.g. `agent.executing`; the machine's own is its id. */
  readonly id: string;
  /** The state's path below the machine, e.g. `cycle.bidding`; the machine itself is ``. */
  readonly path: string;
  readonly depth: number;
  readonly initial: boolean;
  readonly final: boolean;
}

export interface MachineTransition {
  /** `<source state id> <event type, or always>[<candidate index>] -> <target ids, or (stays)>` */
  readonly id: string;
  /** The path of the state it leaves. */
  readonly source: string;
  /** The event, or `always` for an eventless transition. */
  readonly event: string;
  readonly guard: string | undefined;
  /** The ids of the states it enters; none when it stays where it is. */
  readonly targets: readonly string[];
  /** The path of the (first) state it enters; `undefined` when it stays where it is. */
  readonly target: string | undefined;
}

export interface MachineGraph {
  readonly id: string;
  readonly states: readonly MachineState[];
  readonly transitions: readonly MachineTransition[];
}

function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guarded';
}

function candidatesOf(definition: AnyTransitionDefinition): readonly AnyTransitionDefinition[] {
  const source = definition.source;
  if (definition.eventType === '') return (source.always ?? []) as readonly AnyTransitionDefinition[];
  return (source.transitions.get(definition.eventType) ?? []) as readonly AnyTransitionDefinition[];
}

/** A transition definition, as the graph lists it; XState's inspection hands these to an observer too. */
export function describeTransition(definition: AnyTransitionDefinition): MachineTransition {
  const event = definition.eventType === '' ? 'always' : definition.eventType;
  const index = candidatesOf(definition).indexOf(definition);
  const entered = (definition.target ?? []) as readonly AnyStateNode[];
  const targets = entered.map((target) => target.id);
  return {
    id: `${definition.source.id} ${event}[${index}] -> ${targets.length === 0 ? '(stays)' : targets.join(',')}`,
    source: pathOf(definition.source),
    event,
    guard: guardName(definition.guard),
    targets,
    target: entered[0] === undefined ? undefined : pathOf(entered[0]),
  };
}

/** The machine's state nodes, itself first, then depth first in the order they are declared. */
function statesBelow(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(statesBelow)];
}

function transitionsOf(node: AnyStateNode): MachineTransition[] {
  const definitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])] as AnyTransitionDefinition[];
  return definitions.map(describeTransition);
}

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const nodes = statesBelow(machine.root);
  const initialPaths = new Set(nodes.flatMap((node) => (node.initial?.target ?? []).map(pathOf)));
  return {
    id: machine.id,
    states: nodes.map((node) => ({ id: node.id, path: pathOf(node), depth: node.path.length, initial: initialPaths.has(pathOf(node)), final: node.type === 'final' })),
    transitions: nodes.flatMap(transitionsOf),
  };
}
