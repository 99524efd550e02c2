import { isLeft } from 'fp-ts/lib/Either.js';
import { type AgentSetup, createWorld, type CycleSummary, type JsonlSink, openJsonlSink, policyBrain } from '../machines';
import { population } from './simulation/population';
import {
  badInput,
  CommandExit,
  EXIT_UNEXPECTED,
  nonNegativeNumberOption,
  parseCommandLine,
  positiveIntegerOption,
  runWhenMain,
  wholeNumberOption,
} from './cli/cli';
import { preparedOutput } from './cli/output-path';

const USAGE = `Usage: npx tsx harness/simulate.ts --agents N --cycles C --seed S [--balance B] [--trace-out FILE]

Runs a population of agents driven by the built-in policy brain (each cycle it bids a share of its
balance for a small fixed bundle; below a floor it sleeps once, then spends what it has left), with
no scenario. Prints one line per cycle (alive, dormant, dead, total credits, prices) and ends with
one JSON line of totals.

  --agents N        how many agents (a positive integer)
  --cycles C        how many cycles to run at most (a positive integer)
  --seed S          the run's seed, a whole number: the same seed gives the same run, event for event
  --balance B       each agent's initial balance (default 100)
  --trace-out FILE  stream every event to the file FILE, one JSON object per line (its folder must
                    exist)
  -h, --help        print this help

Exit status: 0 when the simulation ran; 1 when it stopped on an unexpected error; 2 on bad input
(a bad flag or value, an output path that cannot be written).`;

const OPTIONS = {
  agents: { type: 'string' },
  cycles: { type: 'string' },
  seed: { type: 'string' },
  balance: { type: 'string' },
  'trace-out': { type: 'string' },
} as const;

const DEFAULT_BALANCE = 100;

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw badInput(`--${flag} is required (see --help)`);
  return value;
}

function formatCycle(summary: CycleSummary): string {
  const prices = Object.entries(summary.prices)
    .map(([resource, price]) => `${resource} ${price.toFixed(2)}`)
    .join(' ');
  return (
    `cycle ${summary.cycle}: alive ${summary.alive}, dormant ${summary.dormant}, dead ${summary.dead}, ` +
    `credits ${summary.total_credits.toFixed(2)}, prices ${prices}`
  );
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const agents = positiveIntegerOption('agents', required(values.agents, 'agents'));
  const cycles = positiveIntegerOption('cycles', required(values.cycles, 'cycles'));
  // Validated as run.ts validates it, kept as typed: the seed names the run (`simulate-<seed>`).
  const seed = required(values.seed, 'seed');
  wholeNumberOption('seed', seed);
  const balance = values.balance === undefined ? DEFAULT_BALANCE : nonNegativeNumberOption('balance', values.balance);
  const traceOut = values['trace-out'] === undefined ? undefined : preparedOutput('--trace-out', values['trace-out'], 'file');

  let trace: JsonlSink | undefined;
  if (traceOut !== undefined) {
    const opened = openJsonlSink(traceOut);
    if (isLeft(opened)) throw badInput(opened.left);
    trace = opened.right;
  }
  try {
    const config = { scenario_id: `simulate-${seed}`, seed, cycles, agents: population(agents, balance) };
    const created = createWorld(config, trace === undefined ? [] : [trace]);
    if (isLeft(created)) throw badInput(created.left.join('\n'));
    const world = created.right;
    let last: CycleSummary | undefined;
    while (world.status() === 'ready') {
      const cycle = await world.runCycle();
      if (isLeft(cycle)) throw new CommandExit(`simulation stopped: ${cycle.left}`, EXIT_UNEXPECTED);
      last = cycle.right;
      process.stdout.write(`${formatCycle(last)}\n`);
    }
    const totals = {
      agents,
      cycles_run: last?.cycle ?? 0,
      seed,
      alive: last?.alive ?? agents,
      dormant: last?.dormant ?? 0,
      dead: last?.dead ?? 0,
      total_credits: last?.total_credits ?? 0,
      prices: last?.prices ?? world.prices(),
      events: world.bus.emittedCount(),
      trace: traceOut ?? null,
    };
    process.stdout.write(`${JSON.stringify(totals)}\n`);
    world.stop();
    return 0;
  } finally {
    trace?.close();
  }
}

runWhenMain(import.meta, main);
