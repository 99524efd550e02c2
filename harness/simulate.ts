import { isLeft } from 'fp-ts/lib/Either.js';
import { openJsonlSink, type JsonlSink } from '../machines/jsonl-sink';
import { policyBrain } from '../machines/brains/policy';
import { createWorld, type CycleSummary } from '../machines/world/world';
import type { AgentSetup } from '../machines/world/config';
import { badInput, CommandExit, EXIT_UNEXPECTED, parseCommandLine, runWhenMain } from './cli';

const USAGE = `usage: npx tsx harness/simulate.ts --agents N --cycles C --seed S [--balance B] [--trace-out FILE]

Runs a population of agents driven by the built-in policy brain (each cycle it bids a share of its
balance for a small fixed bundle; below a floor it sleeps once, then spends what it has left), with
no scenario. Prints one line per cycle (alive, dormant, dead, total credits, prices) and ends with
one JSON line of totals.

  --agents N        how many agents (a positive integer)
  --cycles C        how many cycles to run at most (a positive integer)
  --seed S          the run's seed: the same seed gives the same run, event for event
  --balance B       each agent's initial balance (default 100)
  --trace-out FILE  stream every event to FILE, one JSON object per line`;

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

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw badInput(`--${flag}: expected a positive integer, got '${value}'`);
  return number;
}

function nonNegativeNumber(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw badInput(`--${flag}: expected a non-negative number, got '${value}'`);
  }
  return number;
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

/** The agents of a population run: `agent-0001`, `agent-0002`, … all with the same brain and balance. */
export function population(count: number, balance: number): AgentSetup[] {
  const brain = policyBrain();
  const width = String(count).length;
  return Array.from({ length: count }, (_, index) => ({ id: `agent-${String(index + 1).padStart(Math.max(4, width), '0')}`, balance, brain }));
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const agents = positiveInteger(required(values.agents, 'agents'), 'agents');
  const cycles = positiveInteger(required(values.cycles, 'cycles'), 'cycles');
  const seed = required(values.seed, 'seed');
  const balance = values.balance === undefined ? DEFAULT_BALANCE : nonNegativeNumber(values.balance, 'balance');
  const traceOut = values['trace-out'];

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
