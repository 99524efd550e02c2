import { agentModel } from './agent';
import { generatePaths } from './generate';
import { orchestratorModel } from './orchestrator';
import { schedulerModel } from './scheduler';

/** How much of each machine the generated paths cover, counted from the paths the model-based tests play. */

export interface MachineCoverage {
  readonly id: string;
  readonly states: number;
  readonly transitions: number;
  readonly covered_transitions: number;
  readonly paths: number;
  readonly uncovered: readonly string[];
}

export function machineCoverage(): MachineCoverage[] {
  return [generatePaths(agentModel), generatePaths(schedulerModel), generatePaths(orchestratorModel)].map(({ id, states, transitions, paths, covered }) => {
    const uncovered = transitions.filter((transition) => !covered.has(transition.id)).map((transition) => transition.id);
    return { id, states: states.length, transitions: transitions.length, covered_transitions: transitions.length - uncovered.length, paths: paths.length, uncovered };
  });
}
