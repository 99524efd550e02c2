import { writeFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { agentCount, DEFAULT_GROUPS, MAX_AGENTS, PolicyName, seedValue, type ResolvedPopulation } from '../domain/population/config';
import type { CycleIndicators } from '../domain/population/metrics';
import { type JsonlSink, openJsonlSink, POLICY_SUMMARIES } from '../machines';
import {
  openCsvFile,
  openSweepFile,
  metricsHeader,
  metricsLine,
  csvCell,
  runStudy,
  renderStudyHtml,
  agentsConfig,
  assign,
  decodeStudy,
  readConfigFile,
  type RawConfig,
  defaultWorkers,
  parseSeeds,
  parseSweep,
  repeatedAxis,
  runSweep,
  sweepPoints,
  type SweepAxis,
} from './simulation';
import { studyPageAssets } from './view/index';
import {
  EXIT_INTERRUPTED,
  onInterrupt,
  badInput,
  CommandExit,
  EXIT_UNEXPECTED,
  nonNegativeNumberOption,
  parseCommandLine,
  positiveIntegerOption,
  runWhenMain,
  wholeNumberOption,
  preparedOutput,
} from './cli';
import {
  codeVersion,
  SUBMIT_OPTIONS,
  SUBMIT_USAGE,
  openedQueue,
  newQueueRunId,
  queuedSweep,
  storedManifest,
  sweepManifest,
  queueProgressLine,
  type RunManifest,
} from './queue';

const POLICIES = Object.entries(POLICY_SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(18)}${summary}`)
  .join('\n');

const DEFAULT_AGENTS = DEFAULT_GROUPS.reduce((sum, group) => sum + group.count, 0);
const DEFAULT_PROPORTIONS = DEFAULT_GROUPS.map((group) => `${Math.round((group.count / DEFAULT_AGENTS) * 100)}% ${group.policy}`).join(', ');

const USAGE = `Usage: npx tsx harness/simulate.ts --agents N [--policy P] --cycles C --seed S [--balance B] [outputs]
       npx tsx harness/simulate.ts --config FILE [--cycles C] [--seed S] [--balance B] [outputs]
       npx tsx harness/simulate.ts (--config FILE | --agents N [--policy P] --cycles C) --sweep 'param=v1,v2'
                                   [--sweep …] (--seed S | --seeds A..B) [--workers N] --sweep-out FILE
                                   [--sweep-every-cycle]
       npx tsx harness/simulate.ts … --sweep … --sweep-out FILE --queue nats://HOST:4222 [--queue-ack-wait S]
       npx tsx harness/simulate.ts --resume RUN_ID --queue nats://HOST:4222 [--sweep-out FILE]

Runs a population of agents driven by built-in policies, with no scenario, and a simulated human who
rewards the outputs they hand in. Prints one line per cycle (bids, wins, clearing prices, credits
burned and rewarded, population, Gini) and ends with one JSON line of totals.

The population:
  --config FILE     a study configuration (JSON): groups of agents ({policy, count, balance, params}),
                    the resources' supply, the human's reward model, spawn costs, cycles and seed; see
                    the README. Every field has a default: {} is the default study economy
  --agents N        without --config: the default study economy with N agents (at most
                    ${MAX_AGENTS.toLocaleString('en')}), shared among its groups in their proportions
                    (${DEFAULT_PROPORTIONS})
  --policy P        with --agents: N agents of the one policy P instead, with its own defaults
  --cycles C        how many cycles to run at most (a positive integer; overrides the file's)
  --seed S          the run's seed, a whole number: the same seed gives the same run, event for event
  --balance B       each agent's initial balance (default 100)

Outputs (Ctrl-C stops after the cycle under way and writes them for the cycles that finished):
  --metrics-out FILE  one CSV row of indicators per cycle, written as each cycle ends (its folder
                      must exist)
  --html FILE         a study report with charts, one self-contained page (its folder must exist);
                      after Ctrl-C it is marked as interrupted
  --trace-out FILE    stream every event to the file FILE, one JSON object per line (its folder must
                      exist)

Sweeps (each point and seed a fresh world; prints progress on a terminal):
  --sweep 'param=v1,v2,…'  a parameter of the config (cycles, human.reward_probability, supply.cpu)
                           or of every group's policy (budget_fraction, prompt_bid, bundle.cpu),
                           or every group's balance or count; repeat for a grid (each param once)
  --seeds A..B        run every point with each seed from A to B (default: the run's seed)
  --workers N         worker threads (default: the machine's cores, here ${defaultWorkers()}); never more
                      than the runs to do
  --sweep-out FILE    one CSV row per point and seed: the swept values, the seed, the last cycle's
                      indicators; written in grid order as points finish (Ctrl-C keeps the finished)
  --sweep-every-cycle every cycle's row of each point and seed, from cycle 0, not only the last

Sweeps on a queue (the same CSV, its runs done by workers on any machines; prints "run: RUN_ID" on stderr):
${SUBMIT_USAGE}
  --resume RUN_ID     finish a queued sweep whose submitter stopped: collect the results stored,
                      queue again only the runs missing, write the CSV (to the run's --sweep-out
                      unless given)

Policies:
${POLICIES}

  -h, --help        print this help

Exit status: 0 when the simulation ran; 1 when it stopped on an unexpected error; 2 on bad input
(a bad flag or value, a bad configuration file, an output path that cannot be written); 130 when
Ctrl-C stopped it (what finished is written).`;

const OPTIONS = {
  config: { type: 'string' },
  agents: { type: 'string' },
  policy: { type: 'string' },
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
  'sweep-every-cycle': { type: 'boolean' },
  ...SUBMIT_OPTIONS,
  resume: { type: 'string' },
} as const;

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

function agentsOption(text: string): number {
  const agents = positiveIntegerOption('agents', text);
  if (agents > MAX_AGENTS) throw badInput(`--agents: expected at most ${MAX_AGENTS.toLocaleString('en')} (the most a study holds), got ${agents.toLocaleString('en')}`);
  return agents;
}

function policyOption(text: string): PolicyName {
  if (!PolicyName.is(text)) throw badInput(`--policy: expected ${PolicyName.name}, got ${JSON.stringify(text)}`);
  return text;
}

/** The population `--agents` and `--policy` describe; `--cycles` is required with them unless swept, and `--seed` unless a sweep has `--seeds`. */
function agentsFlagConfig(values: Values): RawConfig {
  const agents = agentsOption(required(values.agents, 'agents'));
  const policy = values.policy === undefined ? undefined : policyOption(values.policy);
  if (!(values.sweep ?? []).some((axis) => axis.startsWith('cycles='))) required(values.cycles, 'cycles');
  if (values.sweep === undefined || values.seeds === undefined) required(values.seed, 'seed');
  return agentsConfig(agents, policy);
}

/** The configuration the flags describe: a file, or the population of `--agents`, with the other flags laid over it. */
function baseConfig(values: Values): RawConfig {
  if (values.seed !== undefined) wholeNumberOption('seed', values.seed);
  const cycles = values.cycles === undefined ? undefined : positiveIntegerOption('cycles', values.cycles);
  const balance = values.balance === undefined ? undefined : nonNegativeNumberOption('balance', values.balance);
  let config: RawConfig;
  if (values.config === undefined) {
    config = agentsFlagConfig(values);
  } else {
    if (values.agents !== undefined) throw badInput('--agents describes the population: with --config, give each group its count in the file');
    if (values.policy !== undefined) throw badInput('--policy describes the population: with --config, give each group its policy in the file');
    const read = readConfigFile(values.config);
    if (isLeft(read)) throw badInput(read.left.join('\n'));
    config = read.right;
  }
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

/** What the population is, in a title: the file, or the agents of the flags. */
function populationName(values: Values, agents: number): string {
  if (values.config !== undefined) return values.config;
  return values.policy === undefined ? `of ${agents} agents in the default groups` : `of ${agents} ${values.policy} agents`;
}

/** `--workers N`: at most one thread a run, said when it is fewer than asked. */
function workerCount(values: Values, runs: number): number {
  const asked = values.workers === undefined ? defaultWorkers() : positiveIntegerOption('workers', values.workers);
  const workers = Math.min(asked, runs);
  if (values.workers !== undefined && workers < asked) process.stderr.write(`--workers ${asked}: ${runs} run${runs === 1 ? '' : 's'} to do, so ${workers} worker${workers === 1 ? '' : 's'}\n`);
  return workers;
}

async function sweep(values: Values, config: RawConfig): Promise<number> {
  const axes: SweepAxis[] = (values.sweep ?? []).map((text) => {
    const axis = parseSweep(text);
    if (isLeft(axis)) throw badInput(axis.left);
    return axis.right;
  });
  const repeated = repeatedAxis(axes);
  if (repeated !== undefined) throw badInput(repeated);
  const population = decoded(config, values.config ?? 'the flags');
  let seeds = [population.seed];
  if (values.seeds !== undefined) {
    const parsed = parseSeeds(values.seeds);
    if (isLeft(parsed)) throw badInput(parsed.left);
    seeds = parsed.right;
  }
  if (values.queue !== undefined && values.workers !== undefined) throw badInput('--workers counts threads here: with --queue, start workers with npx tsx harness/worker.ts --queue …');
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
  const workers = workerCount(values, points.right.length);
  const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rsweep: ${done}/${total} runs done`) : undefined;
  const started = Date.now();
  const file = openSweepFile(out, points.right, population.groups.map((group) => group.name), values['sweep-every-cycle'] === true);
  const interrupt = onInterrupt('dropping the runs under way, writing the finished ones', () => file.close());
  try {
    const run = await runSweep(points.right, workers, { onProgress: progress, onPoint: file.add, signal: interrupt.signal });
    if (progress !== undefined) process.stderr.write('\n');
    if (isLeft(run)) throw new CommandExit(`sweep stopped: ${run.left}`, EXIT_UNEXPECTED);
    const finished = run.right.rows.filter((rows) => rows !== undefined).length;
    const summary = { points: points.right.length, finished, workers, seconds: (Date.now() - started) / 1000, sweep_out: out };
    process.stdout.write(`${JSON.stringify(run.right.interrupted ? { ...summary, interrupted: true } : summary)}\n`);
    if (!run.right.interrupted) return 0;
    process.stderr.write(`interrupted: ${finished} of ${points.right.length} runs finished; ${out} holds them\n`);
    return EXIT_INTERRUPTED;
  } finally {
    interrupt.release();
    file.close();
  }
}

/**
 * A sweep on the queue: `manifestOf` gives a new run's manifest, or the resumed one. Everything the user can get
 * wrong (the server, its JetStream, its streams, the credentials, the run's code version) is checked before an item
 * is queued.
 */
async function onQueue(values: Values, manifestOf: ((version: string) => RunManifest) | { readonly resume: string }, out: string | undefined): Promise<number> {
  const version = codeVersion();
  const queue = await openedQueue(values, 'syntropism sweep submitter');
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
    const file = openSweepFile(sweepOut, points, manifest.group_names, values['sweep-every-cycle'] === true);
    swept.right.rows.forEach((rows, index) => file.add(index, rows));
    file.close();
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
  for (const flag of Object.keys(SUBMIT_OPTIONS) as (keyof typeof SUBMIT_OPTIONS)[]) {
    if (values[flag] !== undefined && values.sweep === undefined) throw badInput(`--${flag} belongs to a sweep: give --sweep 'param=v1,v2' too`);
  }
  const config = baseConfig(values);
  return values.sweep === undefined ? study(values, config) : sweep(values, config);
}

async function study(values: Values, config: RawConfig): Promise<number> {
  for (const flag of ['seeds', 'workers', 'sweep-out', 'sweep-every-cycle'] as const) {
    if (values[flag] !== undefined) throw badInput(`--${flag} belongs to a sweep: give --sweep 'param=v1,v2' too`);
  }
  const population = decoded(config, values.config ?? 'the flags');
  const traceOut = values['trace-out'] === undefined ? undefined : preparedOutput('--trace-out', values['trace-out'], 'file');
  const metricsOut = values['metrics-out'] === undefined ? undefined : preparedOutput('--metrics-out', values['metrics-out'], 'file');
  const htmlOut = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');
  // Bundled before the study starts: the page is written from a Ctrl-C handler too, which cannot wait.
  const studyPage = htmlOut === undefined ? undefined : await studyPageAssets();
  const groupNames = population.groups.map((group) => group.name);
  const agents = agentCount(population);

  let trace: JsonlSink | undefined;
  if (traceOut !== undefined) {
    const opened = openJsonlSink(traceOut);
    if (isLeft(opened)) throw badInput(opened.left);
    trace = opened.right;
  }
  const metrics = metricsOut === undefined ? undefined : openCsvFile(metricsOut, metricsHeader(groupNames).map(csvCell).join(','));
  const rows: CycleIndicators[] = [];
  const writeHtml = (interrupted: boolean) => {
    if (htmlOut === undefined || studyPage === undefined) return;
    const title = `Population study ${populationName(values, agents)}, seed ${population.seed}`;
    writeFileSync(htmlOut, renderStudyHtml({ title, rows, groupNames, config: population, plannedCycles: population.cycles, interrupted }, studyPage));
  };
  let filesOpen = true;
  const closeFiles = () => {
    if (filesOpen) {
      trace?.close();
      metrics?.close();
    }
    filesOpen = false;
  };
  const interrupt = onInterrupt('stopping after the cycle under way', () => {
    closeFiles();
    writeHtml(true);
  });
  try {
    const run = await runStudy(population, {
      sinks: trace === undefined ? [] : [trace],
      onCycle: (row) => {
        rows.push(row);
        metrics?.write(metricsLine(row, groupNames));
        if (row.cycle > 0) process.stdout.write(`${formatCycle(row)}\n`);
      },
      signal: interrupt.signal,
    });
    if (isLeft(run)) throw new CommandExit(run.left, EXIT_UNEXPECTED);
    const { events, interrupted } = run.right;
    const last = rows[rows.length - 1]!;
    closeFiles();
    writeHtml(interrupted);
    const totals = {
      agents,
      groups: Object.fromEntries(population.groups.map((group) => [group.name, group.count])),
      cycles_run: last.cycle,
      seed: seedValue(population.seed),
      alive: last.alive,
      dormant: last.dormant,
      dead: last.dead,
      total_credits: last.credits_total,
      prices: { cpu: last.price_cpu, memory: last.price_memory, tokens: last.price_tokens, attention: last.price_attention },
      events,
      trace: traceOut ?? null,
    };
    process.stdout.write(`${JSON.stringify(interrupted ? { ...totals, interrupted: true } : totals)}\n`);
    if (!interrupted) return 0;
    const written = [traceOut, metricsOut, htmlOut].filter((file) => file !== undefined);
    process.stderr.write(`interrupted after cycle ${last.cycle} of ${population.cycles}${written.length === 0 ? '' : `; wrote what finished to ${written.join(', ')}`}\n`);
    return EXIT_INTERRUPTED;
  } finally {
    interrupt.release();
    closeFiles();
  }
}


runWhenMain(import.meta, main);
