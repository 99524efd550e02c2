import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as t from 'io-ts';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { DEFAULT_BALANCE, type PopulationGroup } from '../domain/population/config';
import { POLICY_SUMMARIES } from '../machines';
import { CACHE_MODES, isCacheMode, readPricing } from './agents';
import {
  readArenaLog,
  type ArenaLine,
  type ArenaLog,
  type ArenaLogLine,
  arenaCsv,
  arenaReport,
  arenaTable,
  type ArenaDescription,
  renderArenaHtml,
  runArenaSeed,
  ARENA_SUBMISSION,
  JUDGED_CRITERIA,
  type ArenaPlan,
  type ArenaSetup,
  type SeedResult,
  plannedArena,
} from './arena/index';
import {
  badInput,
  CommandExit,
  EXIT_UNEXPECTED,
  nonNegativeNumberOption,
  parseCommandLine,
  positiveIntegerOption,
  runWhenMain,
  preparedOutput,
} from './cli';
import { newRunId, rewriteRunLog, RunLogWriter } from './evaluation';
import { readJsonFile } from './files';
import { JUDGES } from './judges';
import { codeVersion, openedQueue, QueuedArenaSeeds, queueRunIdOf, SUBMIT_OPTIONS, SUBMIT_USAGE } from './queue';
import { readConfigFile, type RawConfig, parseSeeds } from './simulation';
import { arenaPageAssets } from './view/index';

const POLICIES = Object.entries(POLICY_SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(18)}${summary}`)
  .join('\n');

const DEFAULT_CYCLES = 60;
const DEFAULT_SEEDS = '1..5';
const DEFAULT_LOG_DIR = 'logs';
const DEFAULT_TURN_TIMEOUT_S = 120;
const DEFAULT_MODEL_TIMEOUT_S = 120;

/**
 * The background without --population: a few of each bidding policy, the fixed-share ones asking the
 * human to look, in a market with a quarter of the cpu and memory on offer, so that not every bid wins.
 */
export const DEFAULT_BACKGROUND: RawConfig = {
  groups: [
    { policy: 'fixed_share', count: 4, params: { prompt_bid: 2 } },
    { policy: 'price_aware', count: 4 },
    { policy: 'saver', count: 4 },
    { policy: 'random', count: 4 },
  ] satisfies PopulationGroup[],
  supply: { cpu: 0.25, memory: 0.25 },
};
const DEFAULT_GROUPS = DEFAULT_BACKGROUND.groups as readonly PopulationGroup[];

const USAGE = `Usage: npx tsx harness/arena.ts --agent NAME=SPEC [--agent NAME=SPEC …] [--population FILE]
                                [--cycles C] [--seeds A..B] [--balance B] [--judge rubric|http]
                                [outputs] [agent settings] [--queue nats://HOST:4222]
       npx tsx harness/arena.ts --resume LOG [--max-concurrency N] [--format table|json] [--csv FILE] [--html FILE]
                                [--queue nats://HOST:4222]

Puts agents under test (focal agents) in one market beside a background population of built-in
policies, one world per seed, and ranks them on what they hold at the end: every focal agent starts
with the same balance and is told what the economy is and that its goal is to survive and earn —
never how it is scored. A focal agent that crashes, hangs or answers garbage loses its turns; the
world goes on. Reports, per agent over the seeds, the mean of each score with a 95% bootstrap
interval, its ranks, how often it finished above each other focal agent and above the background's
best policy, and its model usage and cost.

The agents:
  --agent NAME=SPEC   a focal agent (repeat for each; names differ). SPEC: openai:MODEL (a model over
                      an OpenAI-compatible API), exec:'CMD ARGS' (a process speaking the brain
                      protocol), mcp:'CMD ARGS' (an MCP client), or policy:NAME[:PARAMS] (a built-in
                      policy below; PARAMS the JSON a study's group takes, e.g. {"prompt_bid":2}).
                      A model's endpoint: ARENA_<NAME>_BASE_URL and ARENA_<NAME>_API_KEY (the name
                      upper-cased, - as _), else AGENT_BASE_URL and AGENT_API_KEY
  --population FILE   the background: a study configuration as simulate.ts reads it (groups of
                      policies, supply, the human's reward model, spawn costs); without it,
                      ${DEFAULT_GROUPS.map((group) => `${group.count} ${group.policy}`).join(', ')}, with a quarter
                      of the cpu and memory on offer
  --cycles C          cycles per world (default: the file's cycles, else ${DEFAULT_CYCLES})
  --seeds A..B        one world per seed from A to B (default ${DEFAULT_SEEDS})
  --balance B         every focal agent's starting balance (default ${DEFAULT_BALANCE})
  --max-concurrency N worlds run at once (default 1)

The human (who reads the prompts agents send, highest attention bid first, up to the study's
answers_per_cycle a cycle):
  --judge NAME        without it, the study's human model draws each reward. With it, a judge scores
                      the work each prompt asks the human to look at (the agent's outputs since its
                      previous prompt, and the prompt), shown as an anonymous agent's, on interesting,
                      useful and understandable from 1 to 5; each becomes a human score of 0 to 10
                      ((score - 1) x 2.5) and the economy rewards 50 credits a point. The human reads
                      a prompt the cycle after it came. NAME: rubric (the rubric judge, reading
                      --rubric FILE) or http (an OpenAI-compatible endpoint, configured as for run.ts
                      by JUDGE_BASE_URL, JUDGE_MODEL and, if needed, JUDGE_API_KEY). A judge that
                      cannot score a prompt stops the arena: a reward is never guessed
  --rubric FILE       with --judge rubric: a rubric (the scenarios' format) with "scenario_id": "arena"
                      and a facts criterion for each of interesting, useful and understandable

Agent settings (models and processes):
  --turn-timeout S    seconds a turn may stay open (default ${DEFAULT_TURN_TIMEOUT_S}); the turn is then lost
  --model-timeout S   seconds per model request (default ${DEFAULT_MODEL_TIMEOUT_S})
  --temperature T     the sampling temperature (default: the model's own)
  --max-output-tokens N  output tokens per model request
  --pricing FILE      JSON {"MODEL": {"input_per_million": USD, "output_per_million": USD}}: cost per agent
  --model-cache DIR   record each model agent's answers in DIR/NAME (and the http judge's verdicts in
                      DIR/_judge) and replay them: a replayed arena is byte-identical
  --model-cache-mode M  auto (default), record or replay (never connect)

Outputs:
  --format F          table (default) or json, on stdout
  --csv FILE          one row per focal agent and seed
  --html FILE         one self-contained page: leaderboard, balances over the cycles, transcripts
  --log-dir DIR       where the arena's log goes (default ${DEFAULT_LOG_DIR}/): one JSON line per finished seed
  --resume LOG        finish an interrupted arena: run only the seeds LOG lacks, with LOG's options

Seeds on workers (NATS JetStream; see worker.ts --help):
${SUBMIT_USAGE}
                      Each seed is a work item carrying the arena's plan (its agents as typed, the
                      background, the pricing and the rubric read here; never a key): the workers run
                      exec: and mcp: commands from their folder and call the models at their
                      ARENA_<NAME>_* or AGENT_* endpoints and the http judge at their JUDGE_* one. The
                      log, the report and the page are made here, the same as a local arena's. Not with
                      --model-cache. --resume LOG --queue … collects what the workers finished

Policies:
${POLICIES}

  -h, --help          print this help

Exit status: 0 when the arena ran; 1 when a world stopped on an unexpected error (the log keeps the
finished seeds: --resume); 2 on bad input (a bad flag, an agent named twice, an agent that cannot
start, a bad or missing population file, an output path that cannot be written).`;

const OPTIONS = {
  agent: { type: 'string', multiple: true },
  population: { type: 'string' },
  cycles: { type: 'string' },
  seeds: { type: 'string' },
  balance: { type: 'string' },
  'max-concurrency': { type: 'string' },
  judge: { type: 'string' },
  rubric: { type: 'string' },
  'turn-timeout': { type: 'string' },
  'model-timeout': { type: 'string' },
  temperature: { type: 'string' },
  'max-output-tokens': { type: 'string' },
  pricing: { type: 'string' },
  'model-cache': { type: 'string' },
  'model-cache-mode': { type: 'string' },
  format: { type: 'string' },
  csv: { type: 'string' },
  html: { type: 'string' },
  'log-dir': { type: 'string' },
  resume: { type: 'string' },
  ...SUBMIT_OPTIONS,
} as const;

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** What `--resume` may be given beside it: how the rest is run and reported, not what runs. */
const RESUME_OPTIONS = ['resume', 'max-concurrency', 'format', 'csv', 'html', ...(Object.keys(SUBMIT_OPTIONS) as (keyof typeof SUBMIT_OPTIONS)[])] as const;

/** Where a queued arena's models and HTTP judge are, as far as this machine knows: on the workers, in their environment. */
const ON_THE_WORKERS = 'http://the-workers.invalid/v1';

/** What the log records of the command line: the queue an arena went through is how it ran, not what ran. */
function withoutQueueFlags(args: readonly string[]): string[] {
  const flags = Object.keys(SUBMIT_OPTIONS).map((flag) => `--${flag}`);
  return args.filter((arg, index) => !flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)) && !flags.includes(args[index - 1] ?? ''));
}

function secondsOption(flag: string, text: string): number {
  const seconds = nonNegativeNumberOption(flag, text);
  if (seconds === 0) throw badInput(`--${flag}: expected a positive number of seconds, got 0`);
  return seconds * 1000;
}

/** The background's study configuration and where it came from. */
function background(values: Values): { config: RawConfig; name: string } {
  if (values.population === undefined) return { config: DEFAULT_BACKGROUND, name: 'the default background' };
  const read = readConfigFile(values.population);
  if (isLeft(read)) throw badInput(read.left.join('\n'));
  return { config: read.right, name: values.population };
}

/** `--judge` and `--rubric`, as a plan holds them: the rubric read, the rest checked when the plan is. */
function judgeOf(values: Values): Pick<ArenaPlan, 'judge' | 'rubric' | 'rubric_file'> {
  if (values.judge === undefined) {
    if (values.rubric !== undefined) throw badInput('--rubric: give --judge rubric too (see --help)');
    return {};
  }
  if (values.judge !== 'rubric' && values.judge !== 'http') throw badInput(`--judge: expected ${JUDGES.join(' or ')}, got ${JSON.stringify(values.judge)}`);
  if (values.judge === 'http') {
    if (values.rubric !== undefined) throw badInput(`--rubric: only the rubric judge reads a rubric, not --judge ${values.judge}`);
    return { judge: 'http' };
  }
  if (values.rubric === undefined) {
    throw badInput(`--judge rubric: give --rubric FILE, a rubric with "scenario_id": "${ARENA_SUBMISSION.scenario_id}" and a facts criterion for each of ${JUDGED_CRITERIA.join(', ')}`);
  }
  const rubric = readJsonFile(values.rubric, t.unknown);
  if (isLeft(rubric)) throw badInput(`--rubric: ${rubric.left.join('; ')}`);
  return { judge: 'rubric', rubric: rubric.right, rubric_file: values.rubric };
}

interface Plan {
  readonly plan: ArenaPlan;
  readonly setup: ArenaSetup;
  readonly description: ArenaDescription;
}

function plan(values: Values, env: Readonly<Record<string, string | undefined>>): Plan {
  const { config, name } = background(values);
  // The file's cycles, when it has them, are checked with the rest of it by plannedArena.
  const cycles = values.cycles !== undefined ? positiveIntegerOption('cycles', values.cycles) : typeof config.cycles === 'number' ? config.cycles : DEFAULT_CYCLES;
  const seeds = parseSeeds(values.seeds ?? DEFAULT_SEEDS);
  if (isLeft(seeds)) throw badInput(seeds.left);
  const balance = values.balance === undefined ? DEFAULT_BALANCE : nonNegativeNumberOption('balance', values.balance);
  if (balance <= 0) throw badInput('--balance: expected a positive number of credits, got 0');
  const mode = values['model-cache-mode'] ?? 'auto';
  if (!isCacheMode(mode)) throw badInput(`--model-cache-mode: expected ${CACHE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  if (values['model-cache'] === undefined && values['model-cache-mode'] !== undefined) throw badInput('--model-cache-mode: give --model-cache DIR too');
  const temperature = values.temperature === undefined ? undefined : nonNegativeNumberOption('temperature', values.temperature);
  if (temperature !== undefined && temperature > 2) throw badInput(`--temperature: expected a number from 0 to 2, got ${temperature}`);
  const pricing = readPricing(values.pricing);
  if (isLeft(pricing)) throw badInput(pricing.left);
  const arenaPlan: ArenaPlan = {
    agents: values.agent ?? [],
    background: config,
    background_name: name,
    cycles,
    balance,
    turn_timeout_ms: secondsOption('turn-timeout', values['turn-timeout'] ?? String(DEFAULT_TURN_TIMEOUT_S)),
    model_timeout_ms: secondsOption('model-timeout', values['model-timeout'] ?? String(DEFAULT_MODEL_TIMEOUT_S)),
    ...(temperature === undefined ? {} : { temperature }),
    ...(values['max-output-tokens'] === undefined ? {} : { max_output_tokens: positiveIntegerOption('max-output-tokens', values['max-output-tokens']) }),
    ...(pricing.right === undefined ? {} : { pricing: pricing.right }),
    ...judgeOf(values),
  };
  const cache = values['model-cache'] === undefined ? undefined : { dir: preparedOutput('--model-cache', values['model-cache'], 'folder'), mode };
  const planned = plannedArena(arenaPlan, env, cache);
  if (isLeft(planned)) throw badInput(planned.left);
  const { setup, agents } = planned.right;
  return {
    plan: arenaPlan,
    setup,
    description: {
      agents: agents.map(({ name: agent, text }) => ({ name: agent, spec: text })),
      seeds: seeds.right,
      cycles,
      balance,
      population: values.population ?? null,
      background: setup.population.groups.map(({ name: group, policy, count }) => ({ group, policy, count })),
      judge: setup.judge?.name ?? null,
    },
  };
}

function resumed(given: Values): { log: ArenaLog; values: Values } {
  const log = readArenaLog(given.resume!);
  if (isLeft(log)) throw badInput(`--resume: ${log.left}`);
  const other = (Object.keys(given) as (keyof Values)[]).find((key) => given[key] !== undefined && !(RESUME_OPTIONS as readonly string[]).includes(key));
  if (other !== undefined) throw badInput(`--resume repeats the arena of ${given.resume} with its own options; --${other} cannot change it (see --help)`);
  if (log.right.arena.cwd !== process.cwd()) throw badInput(`--resume: run it from ${log.right.arena.cwd}, where ${given.resume} was started (its paths are relative to it)`);
  const { values } = parseCommandLine([...log.right.arena.args], USAGE, OPTIONS, 0);
  const overrides = Object.fromEntries(RESUME_OPTIONS.filter((key) => key !== 'resume' && given[key] !== undefined).map((key) => [key, given[key]]));
  return { log: log.right, values: { ...values, ...overrides } };
}

type SeedRunner = (seed: string) => Promise<Either<string, SeedResult>>;

/** Runs `seeds` with up to `concurrency` at once; `done` hears each result as it comes. */
async function runSeeds(run: SeedRunner, seeds: readonly string[], concurrency: number, done: (result: SeedResult) => void): Promise<void> {
  let next = 0;
  let failure: string | undefined;
  const worker = async () => {
    while (failure === undefined && next < seeds.length) {
      const result = await run(seeds[next++]!);
      if (isLeft(result)) failure ??= result.left;
      else done(result.right);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, seeds.length) }, worker));
  if (failure !== undefined) throw new CommandExit(`arena stopped: ${failure} (the finished seeds are in the log: --resume it)`, EXIT_UNEXPECTED);
}

/** `--queue`: the seeds go to the queue's workers, which build the worlds from the plan with their own environment. */
async function queuedSeeds(values: Values, plan: ArenaPlan, logFile: string, seeds: readonly string[]): Promise<{ run: SeedRunner; close: () => Promise<void> }> {
  const connection = await openedQueue(values, 'syntropism arena submitter');
  const queued = new QueuedArenaSeeds(connection, queueRunIdOf(logFile), plan, codeVersion());
  process.stderr.write(`arena: seeds on the workers of ${connection.shown}\n`);
  return {
    // By the seed's place in the arena, whatever is left to run: a resumed arena's items are the first one's.
    run: (seed) => queued.run(seeds.indexOf(seed), seed),
    close: async () => {
      await queued.close();
      await connection.nc.close();
    },
  };
}

export async function main(args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const { values: given } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const resume = given.resume === undefined ? undefined : resumed(given);
  const values = resume?.values ?? given;
  const arenaArgs = resume?.log.arena.args ?? args;
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw badInput(`--format: expected table or json, got ${JSON.stringify(format)}`);
  const concurrency = values['max-concurrency'] === undefined ? 1 : positiveIntegerOption('max-concurrency', values['max-concurrency']);
  if (values.queue !== undefined) {
    const local = (['model-cache', 'model-cache-mode'] as const).find((flag) => values[flag] !== undefined);
    if (local !== undefined) throw badInput(`--${local} is a folder of this machine: it cannot go with --queue, whose workers call the models and the judge`);
  }
  // On a queue the models and the HTTP judge are called by the workers, with their endpoints: here they are only checked.
  const planEnv = values.queue === undefined ? env : { ...env, AGENT_BASE_URL: env.AGENT_BASE_URL || ON_THE_WORKERS, JUDGE_BASE_URL: env.JUDGE_BASE_URL || ON_THE_WORKERS, JUDGE_MODEL: env.JUDGE_MODEL || 'workers-judge-model' };
  const { plan: arenaPlan, setup, description } = plan(values, planEnv);
  const csvOut = values.csv === undefined ? undefined : preparedOutput('--csv', values.csv, 'file');
  // The page's script is bundled before any world runs: a page that cannot be made is known at once.
  const html = values.html === undefined ? undefined : { file: preparedOutput('--html', values.html, 'file'), assets: await arenaPageAssets() };

  const started = new Date();
  const header: ArenaLine = resume?.log.arena ?? {
    kind: 'arena',
    started_at: started.toISOString(),
    args: withoutQueueFlags(arenaArgs),
    cwd: process.cwd(),
    agents: [...description.agents],
    seeds: [...description.seeds],
    cycles: description.cycles,
  };
  let file: string;
  let writer;
  if (resume === undefined) {
    const logDir = preparedOutput('--log-dir', values['log-dir'] ?? DEFAULT_LOG_DIR, 'folder');
    file = join(logDir, `arena-${newRunId(logDir, started)}.jsonl`);
    writer = RunLogWriter.open<ArenaLogLine>(file);
  } else {
    file = resume.log.file;
    writer = RunLogWriter.open<ArenaLogLine>(file, resume.log.wholeBytes);
  }
  if (isLeft(writer)) throw badInput(writer.left);
  const log = writer.right;
  const results: SeedResult[] = [...(resume?.log.seeds ?? [])];
  try {
    if (resume === undefined) log.append(header);
    const finished = new Set(results.map(({ seed }) => seed));
    const pending = description.seeds.filter((seed) => !finished.has(seed));
    const progress = process.stderr.isTTY ? () => process.stderr.write(`\rarena: ${results.length}/${description.seeds.length} seeds done`) : () => undefined;
    const queue = values.queue === undefined ? undefined : await queuedSeeds(values, arenaPlan, file, description.seeds);
    try {
      // On a queue every seed is queued at once; the workers are the limit.
      const run: SeedRunner = queue?.run ?? ((seed) => runArenaSeed(setup, seed));
      await runSeeds(run, pending, queue === undefined ? concurrency : pending.length, (result) => {
        results.push(result);
        log.append({ kind: 'seed', result });
        progress();
      });
    } finally {
      await queue?.close();
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
  } finally {
    log.close();
  }

  const report = arenaReport(description, results);
  const bySeed = new Map(results.map((result) => [result.seed, result]));
  const ordered = description.seeds.map((seed) => bySeed.get(seed)!);
  // The finished log holds its seeds in the arena's order, whatever order they finished in.
  rewriteRunLog(file, [header, ...ordered.map((result) => ({ kind: 'seed', result })), { kind: 'summary', summary: report }]);
  if (csvOut !== undefined) writeFileSync(csvOut, arenaCsv(description, ordered));
  if (html !== undefined) writeFileSync(html.file, renderArenaHtml(report, ordered, html.assets));
  process.stdout.write(format === 'json' ? `${JSON.stringify(report)}\n` : arenaTable(report));
  process.stderr.write(`arena log: ${file}\n`);
  return 0;
}

runWhenMain(import.meta, main);
