import type { ScriptKind } from '../scenarios';

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
  /** `--agent` as given; the scripts drive the agent under test when it is `script` or absent. */
  readonly agent?: string;
  readonly judge: string;
  readonly seed: number;
}

const PROJECT_SCRIPTS: Record<ScriptKind, string> = {
  reference: 'the reference scripts (the harness checking itself)',
  counter: 'the counter scripts (typical mistakes, each scenario must fail)',
};

function agentOf({ script, kind, agent }: RunDescription): string {
  if (agent !== undefined && agent !== 'script') return `${agent} (the world furnished by the ${kind} scripts)`;
  return script === undefined ? PROJECT_SCRIPTS[kind] : `the script ${script}`;
}

export function whatRan(description: RunDescription): string {
  const { scenarios, folder, judge, seed } = description;
  const agent = agentOf(description);
  const from = folder === undefined ? '' : ` from ${folder}`;
  return `Ran ${scenarios} scenario${scenarios === 1 ? '' : 's'}${from}; agent: ${agent}; judge: ${judge}; seed: ${seed}.`;
}

export const WHAT_NEXT =
  'Next: --help lists every option; --html report.html writes a report to read in a browser; --agent openai:MODEL, exec:CMD or mcp:CMD puts your own agent under test.';
