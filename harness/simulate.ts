import { writeFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { ResolvedPopulation } from '../domain/population-config';
import type { CycleIndicators } from '../domain/population-metrics';
import { type JsonlSink, openJsonlSink, POLICY_SUMMARIES } from '../machines';
import { metricsHeader, metricsLine, csvCell } from './simulation/metrics';
import { runStudy } from './simulation/run-study';
import { renderStudyHtml } from './simulation/study-html';
import { assign, decodeStudy, flagConfig, readConfigFile, type RawConfig } from './simulation/study';
import { defaultWorkers, parseSeeds, parseSweep, runSweep, sweepCsv, sweepPoints, type SweepAxis } from './simulation/sweep';
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

const POLICIES = Object.entries(POLICY_SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(18)}${summary}`)
  .join('\n');

const USAGE = `Usage: npx tsx harness/simulate.ts --agents N --cycles C --seed S [--balance B] [outputs]
       npx tsx harness/simulate.ts --config FILE [--cycles C] [--seed S] [--balance B] [outputs]
       npx tsx harness/simulate.ts (--config FILE | --agents N --cycles C --seed S) --sweep 'param=v1,v2'
                                   [--sweep …] [--seeds A..B] [--workers N] --sweep-out FILE

Runs a population of agents driven by built-in policies, with no scenario, and a simulated human who
rewards the outputs they hand in. Prints one line per cycle (bids, wins, clearing prices, credits
burned and rewarded, population, Gini) and ends with one JSON line of totals.

The population:
  --config FILE     a study configuration (JSON): groups of agents ({policy, count, balance, params}),
                    the resources' supply, the human's reward model, spawn costs, cycles and seed; see
                    the README. Every field has a default: {} is the default study economy
  --agents N        without --config: N agents of the fixed_share policy, no other group
  --cycles C        how many cycles to run at most (a positive integer; overrides the file's)
  --seed S          the run's seed, a whole number: the same seed gives the same run, event for event
  --balance B       each agent's initial balance (default 100)

Outputs:
  --metrics-out FILE  one CSV row of indicators per cycle (its folder must exist)
  --html FILE         a study report with charts, one self-contained page (its folder must exist)
  --trace-out FILE    stream every event to the file FILE, one JSON object per line (its folder must
                      exist)

Sweeps (each point and seed a fresh world; prints progress on a terminal):
  --sweep 'param=v1,v2,…'  a parameter of the config (cycles, human.reward_probability, supply.cpu)
                           or of every group's policy (budget_fraction, prompt_bid, bundle.cpu),
                           or every group's balance or count; repeat for a grid
  --seeds A..B        run every point with each seed from A to B (default: the run's seed)
  --workers N         worker threads (default: the machine's cores, here ${defaultWorkers()})
  --sweep-out FILE    one CSV row per point and seed: the swept values, the seed, the last cycle's
                      indicators

Policies:
${POLICIES}

  -h, --help        print this help

Exit status: 0 when the simulation ran; 1 when it stopped on an unexpected error; 2 on bad input
(a bad flag or value, a bad configuration file, an output path that cannot be written).`;

const OPTIONS = {
  config: { type: 'string' },
  agents: { type: 'string' },
  cycles: { type: 'string' },
  seed: { type: 'string' },
  balance: { type: 'string' },
  'trace-out': { type: 'string' },
  'metrics-out': { type: 'string' },
  html: { type: 'string' },
  sweep: { type: 'string', multiple: true },
  seeds: { type: 'string' },
  workers: { type: 'string' },
  'sweep-out': { type: 'string' },
} as const;

const DEFAULT_BALANCE = 100;

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw badInput(`--${flag} is required (see --help)`);
  return value;
}

const fixed = (value: number) => value.toFixed(2);

function formatCycle(row: CycleIndicators): string {
  return (
    `cycle ${row.cycle}: bids ${row.bids}, wins ${row.wins}, ` +
    `prices cpu ${fixed(row.price_cpu)} memory ${fixed(row.price_memory)} tokens ${fixed(row.price_tokens)} attention ${fixed(row.price_attention)}, ` +
    `burned ${fixed(row.credits_burned)}, rewarded ${fixed(row.credits_rewarded)}, credits ${fixed(row.credits_total)}, ` +
    `alive ${row.alive} (dormant ${row.dormant}), dead ${row.dead}, gini ${row.gini.toFixed(3)}`
  );
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** The configuration the flags describe: a file with the flags laid over it, or the one-group population. */
function baseConfig(values: Values): RawConfig {
  if (values.seed !== undefined) wholeNumberOption('seed', values.seed);
  const cycles = values.cycles === undefined ? undefined : positiveIntegerOption('cycles', values.cycles);
  const balance = values.balance === undefined ? undefined : nonNegativeNumberOption('balance', values.balance);
  if (values.config === undefined) {
    const agents = positiveIntegerOption('agents', required(values.agents, 'agents'));
    const seed = required(values.seed, 'seed');
    return flagConfig(agents, balance ?? DEFAULT_BALANCE, cycles ?? positiveIntegerOption('cycles', required(values.cycles, 'cycles')), seed);
  }
  if (values.agents !== undefined) throw badInput('--agents builds a one-group population: with --config, give each group its count in the file');
  const read = readConfigFile(values.config);
  if (isLeft(read)) throw badInput(read.left.join('\n'));
  let config = read.right;
  if (cycles !== undefined) config = { ...config, cycles };
  if (values.seed !== undefined) config = { ...config, seed: values.seed };
  if (balance !== undefined) config = assign(config, 'balance', balance);
  return config;
}

function decoded(config: RawConfig, where: string): ResolvedPopulation {
  const population = decodeStudy(config, where);
  if (isLeft(population)) throw badInput(population.left.join('\n'));
  return population.right;
}

async function sweep(values: Values, config: RawConfig): Promise<number> {
  const axes: SweepAxis[] = (values.sweep ?? []).map((text) => {
    const axis = parseSweep(text);
    if (isLeft(axis)) throw badInput(axis.left);
    return axis.right;
  });
  const population = decoded(config, values.config ?? 'the flags');
  let seeds = [population.seed];
  if (values.seeds !== undefined) {
    const parsed = parseSeeds(values.seeds);
    if (isLeft(parsed)) throw badInput(parsed.left);
    seeds = parsed.right;
  }
  const workers = values.workers === undefined ? defaultWorkers() : positiveIntegerOption('workers', values.workers);
  const out = preparedOutput('--sweep-out', required(values['sweep-out'], 'sweep-out'), 'file');
  for (const flag of ['metrics-out', 'html', 'trace-out'] as const) {
    if (values[flag] !== undefined) throw badInput(`--${flag} writes one run: a sweep writes --sweep-out only`);
  }
  const points = sweepPoints(config, axes, seeds);
  if (isLeft(points)) throw badInput(points.left.join('\n'));
  const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rsweep: ${done}/${total} runs done`) : undefined;
  const started = Date.now();
  const rows = await runSweep(points.right, workers, progress);
  if (progress !== undefined) process.stderr.write('\n');
  if (isLeft(rows)) throw new CommandExit(`sweep stopped: ${rows.left}`, EXIT_UNEXPECTED);
  writeFileSync(out, sweepCsv(points.right, rows.right, population.groups.map((group) => group.name)));
  process.stdout.write(`${JSON.stringify({ points: points.right.length, workers, seconds: (Date.now() - started) / 1000, sweep_out: out })}\n`);
  return 0;
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const config = baseConfig(values);
  if (values.sweep !== undefined) return sweep(values, config);
  for (const flag of ['seeds', 'workers', 'sweep-out'] as const) {
    if (values[flag] !== undefined) throw badInput(`--${flag} belongs to a sweep: give --sweep 'param=v1,v2' too`);
  }
  const population = decoded(config, values.config ?? 'the flags');
  const traceOut = values['trace-out'] === undefined ? undefined : preparedOutput('--trace-out', values['trace-out'], 'file');
  const metricsOut = values['metrics-out'] === undefined ? undefined : preparedOutput('--metrics-out', values['metrics-out'], 'file');
  const htmlOut = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');

  let trace: JsonlSink | undefined;
  if (traceOut !== undefined) {
    const opened = openJsonlSink(traceOut);
    if (isLeft(opened)) throw badInput(opened.left);
    trace = opened.right;
  }
  try {
    const groupNames = population.groups.map((group) => group.name);
    const metricLines = [metricsHeader(groupNames).map(csvCell).join(',')];
    const run = await runStudy(population, {
      sinks: trace === undefined ? [] : [trace],
      onCycle: (row) => {
        metricLines.push(metricsLine(row, groupNames));
        if (row.cycle > 0) process.stdout.write(`${formatCycle(row)}\n`);
      },
    });
    if (isLeft(run)) throw new CommandExit(run.left, EXIT_UNEXPECTED);
    const { rows, events } = run.right;
    const last = rows[rows.length - 1]!;
    const agents = population.groups.reduce((sum, group) => sum + group.count, 0);
    if (metricsOut !== undefined) writeFileSync(metricsOut, `${metricLines.join('\n')}\n`);
    if (htmlOut !== undefined) {
      const title = `Population study ${values.config ?? `of ${agents} fixed-share agents`}, seed ${population.seed}`;
      writeFileSync(htmlOut, renderStudyHtml({ title, rows, groupNames, config: population }));
    }
    const totals = {
      agents,
      cycles_run: last.cycle,
      seed: population.seed,
      alive: last.alive,
      dormant: last.dormant,
      dead: last.dead,
      total_credits: last.credits_total,
      prices: { cpu: last.price_cpu, memory: last.price_memory, tokens: last.price_tokens, attention: last.price_attention },
      events,
      trace: traceOut ?? null,
    };
    process.stdout.write(`${JSON.stringify(totals)}\n`);
    return 0;
  } finally {
    trace?.close();
  }
}

runWhenMain(import.meta, main);
