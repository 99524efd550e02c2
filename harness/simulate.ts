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
  positiveNumberOption,
  positiveIntegerOption,
  runWhenMain,
  wholeNumberOption,
} from './cli/cli';
import { preparedOutput } from './cli/output-path';
import { codeVersion } from './queue/code-version';
import { QUEUE_OPTIONS, QUEUE_USAGE, openedQueue } from './queue/queue-options';
import { newQueueRunId, queuedSweep, storedManifest, sweepManifest } from './queue/queued-sweep';
import { queueProgressLine } from './queue/progress';
import type { RunManifest } from './queue/messages';
import { DEFAULT_ACK_WAIT_SECONDS } from './queue/streams';

const POLICIES = Object.entries(POLICY_SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(18)}${summary}`)
  .join('\n');

const USAGE = `Usage: npx tsx harness/simulate.ts --agents N --cycles C --seed S [--balance B] [outputs]
       npx tsx harness/simulate.ts --config FILE [--cycles C] [--seed S] [--balance B] [outputs]
       npx tsx harness/simulate.ts (--config FILE | --agents N --cycles C --seed S) --sweep 'param=v1,v2'
                                   [--sweep …] [--seeds A..B] [--workers N] --sweep-out FILE
       npx tsx harness/simulate.ts … --sweep … --sweep-out FILE --queue nats://HOST:4222 [--queue-ack-wait S]
       npx tsx harness/simulate.ts --resume RUN_ID --queue nats://HOST:4222 [--sweep-out FILE]

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

Sweeps on a queue (the same CSV, its runs done by workers on any machines; prints "run: RUN_ID" on stderr):
${QUEUE_USAGE}
  --queue-ack-wait S  seconds a worker may stay silent before its item goes to another (default ${DEFAULT_ACK_WAIT_SECONDS});
                      a live worker says it is still working every third of it
  --resume RUN_ID     finish a queued sweep whose submitter stopped: collect the results stored,
                      queue again only the runs missing, write the CSV (to the run's --sweep-out
                      unless given)

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
  ...QUEUE_OPTIONS,
  'queue-ack-wait': { type: 'string' },
  resume: { type: 'string' },
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
  if (values.queue !== undefined && values.workers !== undefined) throw badInput('--workers counts threads here: with --queue, start workers with npx tsx harness/worker.ts --queue …');
  const workers = values.workers === undefined ? defaultWorkers() : positiveIntegerOption('workers', values.workers);
  const out = preparedOutput('--sweep-out', required(values['sweep-out'], 'sweep-out'), 'file');
  for (const flag of ['metrics-out', 'html', 'trace-out'] as const) {
    if (values[flag] !== undefined) throw badInput(`--${flag} writes one run: a sweep writes --sweep-out only`);
  }
  const points = sweepPoints(config, axes, seeds);
  if (isLeft(points)) throw badInput(points.left.join('\n'));
  if (values.queue !== undefined) {
    const groupNames = population.groups.map((group) => group.name);
    return onQueue(values, (version) => sweepManifest(newQueueRunId(), version, points.right, groupNames, out), out);
  }
  const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rsweep: ${done}/${total} runs done`) : undefined;
  const started = Date.now();
  const rows = await runSweep(points.right, workers, progress);
  if (progress !== undefined) process.stderr.write('\n');
  if (isLeft(rows)) throw new CommandExit(`sweep stopped: ${rows.left}`, EXIT_UNEXPECTED);
  writeFileSync(out, sweepCsv(points.right, rows.right, population.groups.map((group) => group.name)));
  process.stdout.write(`${JSON.stringify({ points: points.right.length, workers, seconds: (Date.now() - started) / 1000, sweep_out: out })}\n`);
  return 0;
}

/**
 * A sweep on the queue: `manifestOf` gives a new run's manifest, or the resumed one. Everything the user can get
 * wrong (the server, its JetStream, its streams, the credentials, the run's code version) is checked before an item
 * is queued.
 */
async function onQueue(values: Values, manifestOf: ((version: string) => RunManifest) | { readonly resume: string }, out: string | undefined): Promise<number> {
  const ackWait = values['queue-ack-wait'] === undefined ? undefined : positiveNumberOption('queue-ack-wait', values['queue-ack-wait']);
  const version = codeVersion();
  const queue = await openedQueue(values, 'syntropism sweep submitter', ackWait);
  try {
    let manifest: RunManifest;
    if (typeof manifestOf === 'function') manifest = manifestOf(version);
    else {
      const stored = await storedManifest(queue, manifestOf.resume);
      if (isLeft(stored)) throw badInput(stored.left);
      manifest = stored.right;
      if (manifest.code_version !== version) {
        throw badInput(`--resume ${manifest.run_id}: the run was queued by code version ${manifest.code_version}, this checkout is ${version}: resume it from that checkout`);
      }
    }
    const sweepOut = out ?? preparedOutput('--sweep-out', manifest.sweep_out, 'file');
    process.stderr.write(`run: ${manifest.run_id}\n`);
    const progress = queueProgressLine();
    const started = Date.now();
    const swept = await queuedSweep(queue, manifest, { fresh: typeof manifestOf === 'function', onProgress: (state) => progress.update(state) });
    progress.end();
    if (isLeft(swept)) throw new CommandExit(`sweep stopped: ${swept.left} (resume with --resume ${manifest.run_id})`, EXIT_UNEXPECTED);
    const points = manifest.points.map(({ assignments, seed, config }) => ({ assignments, seed, config }));
    writeFileSync(sweepOut, sweepCsv(points, swept.right.rows, manifest.group_names));
    const summary = { points: points.length, workers: swept.right.workers, seconds: (Date.now() - started) / 1000, sweep_out: sweepOut, run_id: manifest.run_id, queued: swept.right.queued };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await queue.nc.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  if (values.resume !== undefined) {
    if (values.queue === undefined) throw badInput('--resume RUN_ID resumes a queued sweep: give the --queue it ran on');
    const given = (['config', 'agents', 'cycles', 'seed', 'balance', 'sweep', 'seeds', 'workers', 'metrics-out', 'html', 'trace-out'] as const).find((flag) => values[flag] !== undefined);
    if (given !== undefined) throw badInput(`--resume takes the run's own settings: --${given} cannot change them`);
    const out = values['sweep-out'] === undefined ? undefined : preparedOutput('--sweep-out', values['sweep-out'], 'file');
    return onQueue(values, { resume: values.resume }, out);
  }
  for (const flag of ['queue', 'queue-creds', 'queue-ack-wait'] as const) {
    if (values[flag] !== undefined && values.sweep === undefined) throw badInput(`--${flag} belongs to a sweep: give --sweep 'param=v1,v2' too`);
  }
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
