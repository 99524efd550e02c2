import { actionsOf, type ScriptedAction, type ScriptTurn } from '../../machines';
import type { agentModelMachine } from './agent';
import type { ModelPath } from './generate';

/**
 * A generated agent path as a script skeleton (`machines/script.ts`): its turns and the brain's
 * actions in them. What the world does along the path (the tool results, lost bids, notices) is not
 * the script's to say; it is named in the description, for the user who fills the skeleton in.
 */

export interface ScriptSkeleton {
  readonly scenario_id: string;
  readonly kind: 'reference';
  readonly description: string;
  readonly turns: readonly ScriptTurn[];
}

export const SCENARIO_PLACEHOLDER = 'FILL-IN-scenario-id';

export function scriptSkeleton(path: ModelPath<typeof agentModelMachine>): ScriptSkeleton | undefined {
  const turns: { phase: ScriptTurn['phase']; actions: ScriptedAction[] }[] = [];
  for (const { event } of path.steps) {
    if (event.type === 'turn.started') turns.push({ phase: event.phase, actions: [] });
    if (event.type !== 'brain.act') continue;
    for (const action of actionsOf(event)) if (action.kind !== 'end_turn') turns.at(-1)?.actions.push(action);
  }
  if (turns.length === 0) return undefined;
  return {
    scenario_id: SCENARIO_PLACEHOLDER,
    kind: 'reference',
    description: `Generated from the agent model's path ${path.description}. Fill in the scenario id, the actions' arguments and what the agent should show.`,
    turns,
  };
}
