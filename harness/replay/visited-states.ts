import * as t from 'io-ts';
import type { InspectionEvent, Observer } from 'xstate';

/**
 * The states of the agent under test's machines a run went through, seen through XState's inspection:
 * every snapshot the orchestrator, the scheduler and the agent under test's agent machine report, at
 * each microstep (so a state left at once by an eventless transition counts too), as state paths below
 * each machine (`cycle.bidding`, as the machines' graphs name them). The log keeps them per sample;
 * the viewer marks them in the machines' diagrams.
 */

/** Machine id → the paths of the states visited, sorted. */
export const VisitedStates = t.record(t.string, t.array(t.string));
export type VisitedStates = t.TypeOf<typeof VisitedStates>;

export interface VisitedStatesWatch {
  readonly inspect: Observer<InspectionEvent>;
  visited(): VisitedStates;
}

/** A state value's paths: `{ cycle: 'bidding' }` → `cycle`, `cycle.bidding`; parallel regions each. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, below]) => [`${prefix}${key}`, ...pathsOf(below, `${prefix}${key}.`)]);
}

interface InspectedActor {
  /** An agent's is `agent:<id>` (machines/orchestrator/roster.ts). */
  readonly id?: string;
  readonly logic?: { readonly id?: unknown };
}

export function watchVisitedStates(agentUnderTest: string): VisitedStatesWatch {
  const byMachine = new Map<string, Set<string>>();
  const machineOf = (actor: InspectedActor): string | undefined => {
    const machine = actor.logic?.id;
    if (machine === 'orchestrator' || machine === 'scheduler') return machine;
    return machine === 'agent' && actor.id === `agent:${agentUnderTest}` ? machine : undefined;
  };
  return {
    inspect: {
      next: (inspection) => {
        if (inspection.type !== '@xstate.snapshot' && inspection.type !== '@xstate.microstep') return;
        const machine = machineOf(inspection.actorRef as InspectedActor);
        if (machine === undefined) return;
        const states = byMachine.get(machine) ?? new Set<string>();
        for (const path of pathsOf((inspection.snapshot as { value?: unknown }).value)) states.add(path);
        byMachine.set(machine, states);
      },
    },
    visited: () => Object.fromEntries([...byMachine].sort(([a], [b]) => a.localeCompare(b)).map(([machine, states]) => [machine, [...states].sort()])),
  };
}

/** One observer that hands every inspection event to each of `observers`. */
export function everyObserver(...observers: readonly (Observer<InspectionEvent> | undefined)[]): Observer<InspectionEvent> {
  return { next: (inspection) => observers.forEach((observer) => observer?.next?.(inspection)) };
}
