import type { ScriptKind } from '../scenarios/scripts';

/**
 * The two lines a benchmark run's table opens and closes with: what ran (the agent, the judge, the
 * seed, the scenarios' folder), since the table alone does not say that it was the harness checking
 * itself; and what to try next.
 */

export interface RunDescription {
  readonly scenarios: number;
  /** The folder the scenarios were found in by id; absent when they were named by file. */
  readonly folder?: string;
  /** The one script given with `--script`, in place of the project's scripts of `kind`. */
  readonly script?: string;
  readonly kind: ScriptKind;
  readonly judge: string;
  readonly seed: number;
}

const PROJECT_SCRIPTS: Record<ScriptKind, string> = {
  reference: 'the reference scripts (the harness checking itself)',
  counter: 'the counter scripts (typical mistakes, each scenario must fail)',
};

export function whatRan({ scenarios, folder, script, kind, judge, seed }: RunDescription): string {
  const agent = script === undefined ? PROJECT_SCRIPTS[kind] : `the script ${script}`;
  const from = folder === undefined ? '' : ` from ${folder}`;
  return `Ran ${scenarios} scenario${scenarios === 1 ? '' : 's'}${from}; agent: ${agent}; judge: ${judge}; seed: ${seed}.`;
}

export const WHAT_NEXT =
  'Next: --help lists every option; --html report.html writes a report to read in a browser; --script FILE runs a script of your own against its scenario.';
