import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Domain } from '../../domain/benchmark/scenario';

/**
 * What the project keeps beside a scenario file, found by the scenario's id, so that the upstream
 * files run unmodified with the project's additions: scripts (`fc_001.reference.script.json`,
 * `fc_001.counter.script.json`), judging rubrics (`er_001.rubric.json`) and self-improvement
 * workspaces (the folder `si_001.workspace/`). None of them is a scenario. They are looked up in the
 * project's `scenarios/<domain>/` folder wherever the scenario file itself was loaded from.
 */
export const SCRIPT_SUFFIX = '.script.json';
export const RUBRIC_SUFFIX = '.rubric.json';
export const WORKSPACE_SUFFIX = '.workspace';

export const PROJECT_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios', import.meta.url));

export function isCompanionFile(name: string): boolean {
  return name.endsWith(SCRIPT_SUFFIX) || name.endsWith(RUBRIC_SUFFIX);
}

export function isCompanionFolder(name: string): boolean {
  return name.endsWith(WORKSPACE_SUFFIX);
}

/** Where a scenario's companions live: the project's folder of its domain, unless another root is given. */
export interface ScenarioRef {
  readonly domain: Domain;
  readonly id: string;
}

export function scriptFileOf({ domain, id }: ScenarioRef, kind: string, root = PROJECT_SCENARIOS_DIR): string {
  return join(root, domain, `${id}.${kind}${SCRIPT_SUFFIX}`);
}

export function rubricFileOf({ domain, id }: ScenarioRef, root = PROJECT_SCENARIOS_DIR): string {
  return join(root, domain, `${id}${RUBRIC_SUFFIX}`);
}

export function workspaceFolderOf({ domain, id }: ScenarioRef, root = PROJECT_SCENARIOS_DIR): string {
  return join(root, domain, `${id}${WORKSPACE_SUFFIX}`);
}

export function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
