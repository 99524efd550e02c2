import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../domain/codec/error-message';
import { badInput, parseCommandLine, runWhenMain, preparedOutput } from './cli';
import { agentModel, machineCoverage, type MachineCoverage, generatePaths, scriptSkeleton } from './model-based';

const USAGE = `Usage: npx tsx harness/paths.ts [--json] [--skeletons DIR]

Generates paths through the agent, scheduler and orchestrator machines with @xstate/graph (the paths
the model-based tests play against the real actors) and prints, per machine, its states, its
transitions and how many of the transitions the paths cover.

  --json            print {"machines": [{"id", "states", "transitions", "covered_transitions"}]}
  --skeletons DIR   also write each generated agent path that takes a turn (a path that takes
                    none has nothing to script) as a script skeleton
                    (machines/script.ts format) to the folder DIR, as DIR/agent-path-NN.json (made
                    if missing), for a user to fill in
  -h, --help        print this help

Exit status: 0 when the paths were generated (and written); 2 on bad input (a bad flag, an output
path that cannot be written).`;

const OPTIONS = {
  json: { type: 'boolean' },
  skeletons: { type: 'string' },
} as const;

/** `1 state`, `12 states`. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function describeCoverage(machines: readonly MachineCoverage[]): string {
  return machines
    .flatMap(({ id, states, transitions, covered_transitions, paths, uncovered }) => [
      `${id}: ${counted(states, 'state')}, ${counted(transitions, 'transition')}, ${covered_transitions} covered by ${counted(paths, 'generated path')}`,
      ...uncovered.map((transition) => `  not covered: ${transition}`),
    ])
    .join('\n');
}

/** A path that never starts a turn has nothing to script, so the skeletons are fewer than the agent's paths. */
function writeSkeletons(dir: string): { readonly written: number; readonly paths: number } {
  const { paths } = generatePaths(agentModel);
  const skeletons = paths.flatMap((path) => scriptSkeleton(path) ?? []);
  try {
    skeletons.forEach((skeleton, index) => {
      writeFileSync(join(dir, `agent-path-${String(index + 1).padStart(2, '0')}.json`), `${JSON.stringify(skeleton, null, 2)}\n`);
    });
  } catch (error) {
    throw badInput(`--skeletons: cannot write to ${dir}: ${errorMessage(error)}`);
  }
  return { written: skeletons.length, paths: paths.length };
}

function describeSkeletons({ written, paths }: { readonly written: number; readonly paths: number }, dir: string): string {
  const idle = paths - written;
  const skipped = idle === 0 ? '' : ` (${counted(idle, 'path')} of the ${paths} take${idle === 1 ? 's' : ''} no turn, so ${idle === 1 ? 'has' : 'have'} nothing to script)`;
  return `wrote ${counted(written, 'script skeleton')} to ${dir}, one for each generated agent path that takes a turn${skipped}`;
}

export function paths(args: string[]): number {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const skeletons = values.skeletons === undefined ? undefined : preparedOutput('--skeletons', values.skeletons, 'folder');
  const machines = machineCoverage();
  const written = skeletons === undefined ? undefined : writeSkeletons(skeletons);
  if (values.json === true) {
    const summary = machines.map(({ id, states, transitions, covered_transitions }) => ({ id, states, transitions, covered_transitions }));
    console.log(JSON.stringify({ machines: summary }));
  } else {
    console.log(describeCoverage(machines));
    if (written !== undefined) console.log(describeSkeletons(written, values.skeletons!));
  }
  return 0;
}

runWhenMain(import.meta, paths);
