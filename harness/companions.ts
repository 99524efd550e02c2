/**
 * What the project keeps beside a scenario file, found by the scenario's id, so that the upstream
 * files run unmodified with the project's additions: scripts (`fc_001.reference.script.json`,
 * `fc_001.counter.script.json`), judging rubrics (`er_001.rubric.json`) and self-improvement
 * workspaces (the folder `si_001.workspace/`). None of them is a scenario.
 */
export const SCRIPT_SUFFIX = '.script.json';
export const RUBRIC_SUFFIX = '.rubric.json';
export const WORKSPACE_SUFFIX = '.workspace';

export function isCompanionFile(name: string): boolean {
  return name.endsWith(SCRIPT_SUFFIX) || name.endsWith(RUBRIC_SUFFIX);
}

export function isCompanionFolder(name: string): boolean {
  return name.endsWith(WORKSPACE_SUFFIX);
}
