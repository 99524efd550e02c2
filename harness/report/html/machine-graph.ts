import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * The states and transitions of a machine definition, read from its state nodes: what its diagram
 * draws. A transition without a target stays in its state (it only runs actions); a transition
 * declared on the machine itself applies in every state.
 */

export interface MachineState {
  /** The state's path below the machine, e.g. `cycle.bidding`; the machine itself is ``. */
  readonly path: string;
  readonly depth: number;
  readonly initial: boolean;
  readonly final: boolean;
}

export interface MachineTransition {
  readonly source: string;
  /** The path of the state entered; `undefined` when the transition stays where it is. */
  readonly target: string | undefined;
  /** The event, or `always` for an eventless transition. */
  readonly event: string;
  readonly guard: string | undefined;
}

export interface MachineGraph {
  readonly id: string;
  readonly states: readonly MachineState[];
  readonly transitions: readonly MachineTransition[];
}

interface TransitionDefinition {
  readonly target?: readonly AnyStateNode[];
  readonly guard?: unknown;
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

function transitionsOf(node: AnyStateNode): MachineTransition[] {
  const source = pathOf(node);
  const toTransition = (event: string, definition: TransitionDefinition): MachineTransition => {
    const target = definition.target?.[0];
    return { source, target: target === undefined ? undefined : pathOf(target), event, guard: guardName(definition.guard) };
  };
  const onEvents = [...node.transitions.entries()].flatMap(([event, definitions]) =>
    (definitions as readonly TransitionDefinition[]).map((definition) => toTransition(event, definition)),
  );
  const eventless = ((node.always ?? []) as readonly TransitionDefinition[]).map((definition) => toTransition('always', definition));
  return [...onEvents, ...eventless];
}

function statesBelow(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(statesBelow)];
}

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const nodes = statesBelow(machine.root);
  const initialPaths = new Set(nodes.flatMap((node) => (node.initial?.target ?? []).map(pathOf)));
  return {
    id: machine.id,
    states: nodes.map((node) => ({ path: pathOf(node), depth: node.path.length, initial: initialPaths.has(pathOf(node)), final: node.type === 'final' })),
    transitions: nodes.flatMap(transitionsOf),
  };
}
