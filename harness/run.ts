import { basename, relative } from 'node:path';
import { isLeft, right } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/economy/events';
import { ScriptKind, PROJECT_SCENARIOS_DIR, type LoadedScenario, loadScript, isFileName, selectScenarios, readTraceFile } from './scenarios';
import { badInput, parseCommandLine, positiveIntegerOption, runWhenMain, wholeNumberOption, preparedOutput } from './cli';
import { WHAT_NEXT, whatRan, type RunDescription, isReportFormat, renderReport, REPORT_FORMATS } from './report';
import { judgeNamed, type Judge, judgeRecordedTrace, type TraceJudgements } from './judges';
import { planBenchmark, type ScenarioRun } from './replay';
import { loggedRun, readRunLog, type RunLog, sampleKey, samplesOf, hashedFile, hostOf } from './evaluation';
import { writeViewerFile, type ViewerInput } from './view/index';
import { DEFAULT_BRIDGE_PORT, inspectRun } from './inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { AGENT_OPTIONS, AGENT_USAGE, chooseAgent, type ChosenAgent, costOf } from './agents';
import { validateTrace, withRunChecks } from './validate';
import {
  codeVersion,
  SUBMIT_OPTIONS,
  SUBMIT_USAGE,
  openedQueue,
  QueuedSamples,
  queueRunIdOf,
  checkedQueuedEvents,
  DEFAULT_EVENTS_PREFIX,
  openedLiveEvents,
  parsedEventsTarget,
  RUN_HEADER,
  SAMPLE_HEADER,
} from './queue';

/** Where a queued run's agent calls its model, as far as this machine knows: on the workers, at their AGENT_BASE_URL. */
const WORKERS_ENDPOINT = 'http://the-workers.invalid/v1';

const DEFAULT_SEED = '1';
const DEFAULT_LOG_DIR = 'logs';
/** Runs at once: for an agent that waits on a model or a process, 8; scripts are mostly CPU-bound, and 4 interleaves their judging and file writes (measured: economic_reasoning in 8.2 s against 9.6 s one at a time). */
const DEFAULT_AGENT_CONCURRENCY = 8;
const DEFAULT_SCRIPT_CONCURRENCY = 4;

const USAGE = `Usage: npx tsx harness/run.ts --scenario ID|FILE --trace TRACE.jsonl [--judge rubric|http]
                              [--trust-trace-judgements] [--format table|json|junit]
       npx tsx harness/run.ts [--scenario ID|FILE]... [--domain NAME] [--scenarios-dir DIR]
                              [--scripts reference|counter | --script FILE] [--judge rubric|http]
                              [--seed N] [--epochs K] [--max-concurrency N] [--log-dir DIR]
                              [--format table|json|junit] [--trace-dir DIR] [--html FILE]
                              [--inspect [PORT] [--no-wait]] [--publish-events nats://HOST:4222[,PREFIX]]
                              [--queue nats://HOST:4222 [--queue-creds FILE] [--queue-ack-wait S]]
                              [--agent script|openai:MODEL [--cycles N] [--turn-timeout S] [--model-timeout S]
                               [--temperature T] [--max-output-tokens N] [--token-limit N] [--pricing FILE]
                               [--model-cache DIR [--model-cache-mode auto|record|replay]]]
       npx tsx harness/run.ts --resume LOG [--max-concurrency N] [--format table|json|junit] [--html FILE]

Runs the benchmark: each scenario becomes a world of actors (the agent under test, its competitors,
the service providers, the human), a script drives the agent under test, the scenario's injected
events fire on their triggers, a judge scores the judged blocks, and the recorded trace is checked
against the scenario's validation rules. With no option it runs every scenario with its reference
script and the rubric judge. With --trace it checks a recorded trace instead of running anything;
the trace's own judge_evaluation events are ignored and its judged blocks judged afresh by --judge.

  --scenario ID|FILE  a scenario to run, by id (in the scenarios folder) or by file; repeatable;
                      all of them when absent (or, with --script, the script's scenario)
  --domain NAME       only the scenarios of this domain: functional_competence,
                      economic_reasoning or self_improvement
  --scenarios-dir DIR the folder the scenarios are loaded from (default: the project's scenarios/).
                      Scripts and rubrics are always the project's, found by scenario id:
                      scenarios/<domain>/<id>.<reference|counter>.script.json, <id>.rubric.json
  --scripts KIND      reference (default): the behaviour that passes; counter: a typical mistake,
                      which must fail on the checks its script lists as expected_failures
  --script FILE       run this script file against its one scenario
${AGENT_USAGE}
  --judge NAME        rubric (default): the deterministic judge reading <id>.rubric.json;
                      http: an OpenAI-compatible chat-completions endpoint, configured by
                      JUDGE_BASE_URL, JUDGE_MODEL and (if needed) JUDGE_API_KEY
  --seed N            the run's seed (default ${DEFAULT_SEED}): the same seed gives byte-identical traces
                      (but for the measured timings of self-improvement runs)
  --epochs K          run every scenario K times (default 1), epoch e with the seed N+e-1; the
                      report adds pass^k and pass@k for k = 1…K per scenario, domain and overall
  --max-concurrency N scenario runs at once (default ${DEFAULT_AGENT_CONCURRENCY} for a model, ${DEFAULT_SCRIPT_CONCURRENCY} for scripts, which are
                      mostly CPU-bound); self-improvement runs always run one at a time. The report, the
                      traces and the log are the same for every N
  --log-dir DIR       where the run's log goes (default ${DEFAULT_LOG_DIR}/): DIR/<run-id>.jsonl, its traces in
                      DIR/<run-id>/; the log's path is printed on stderr as "log: PATH"
  --resume LOG        finish an interrupted run: run only the samples LOG lacks, with LOG's own
                      options, from the folder it was started in, and append them to LOG
${SUBMIT_USAGE}
                      With --queue the samples run on the workers (exec: and mcp: commands run there,
                      from the worker's folder; openai: uses the workers' AGENT_BASE_URL and
                      AGENT_API_KEY); the log, traces and report are a local run's. --resume LOG
                      --queue … collects what the workers finished and queues only what is missing
  --publish-events nats://HOST:4222[,PREFIX]
                      also publish each event of each run, as it happens, to the NATS subject
                      PREFIX.<event type> (default prefix ${DEFAULT_EVENTS_PREFIX}; no JetStream needed), the
                      event's JSON as the body, headers ${RUN_HEADER} (the log's id) and ${SAMPLE_HEADER}
                      (<id>.e<epoch>); authenticated as --queue is. With --queue the workers publish,
                      on the queue's server, which the address must name
  --trace-dir DIR     also write each scenario's trace to the folder DIR, as DIR/<id>.jsonl (made if
                      missing; --trace-out DIR is another name for it)
  --html FILE         also write a self-contained HTML report: per scenario the verdict and its
                      checks, the trace as a sequence diagram across the actors with the events the
                      checks matched highlighted, every agent's balance by cycle, and the machines'
                      state diagrams
  --inspect [PORT]    watch every actor of the run (orchestrator, scheduler, agents, their brains)
                      in the Stately inspector: starts the inspector bridge on 127.0.0.1:PORT
                      (default ${DEFAULT_BRIDGE_PORT}), prints the address to open, and keeps the final state
                      on view until Ctrl-C
  --no-wait           with --inspect, exit as soon as the run is over
  --trace TRACE       check this recorded trace (JSONL, one event per line) against the one
                      --scenario ID|FILE, without running anything
  --trust-trace-judgements
                      with --trace, take the trace's own judge_evaluation events as the
                      judgements instead of judging afresh (for traces whose producer is trusted)
  --format FORMAT     table (default): one row per scenario with its first failing check (with
                      --trace: every check); json: {"summary": {"total", "passed", "failed"},
                      "results": [{"id", "domain", "passed", "checks": [{"name", "passed", "detail"}]}]};
                      junit: JUnit XML for CI systems, a testsuite per domain, a testcase per
                      scenario run, a failure per failing check
  -h, --help          print this help

Exit status: 0 when every scenario passed; 1 when one failed; 2 on bad input (a bad flag, an
unknown scenario id, an invalid scenario or script file, a trace line that is not JSON or not a
valid event, a trace of another scenario, an unconfigured HTTP judge, an output path that cannot
be written). A judge that cannot be reached fails its scenario with the reason; it never passes one.`;

const EXIT_SCENARIO_FAILED = 1;

const OPTIONS = {
  scenario: { type: 'string', multiple: true, default: [] as string[] },
  domain: { type: 'string' },
  'scenarios-dir': { type: 'string' },
  scripts: { type: 'string', default: 'reference' },
  script: { type: 'string' },
  judge: { type: 'string', default: 'rubric' },
  seed: { type: 'string', default: DEFAULT_SEED },
  'trace-dir': { type: 'string' },
  /** The first spelling of --trace-dir, kept for the commands people already wrote. */
  'trace-out': { type: 'string' },
  html: { type: 'string' },
  inspect: { type: 'string' },
  'no-wait': { type: 'boolean', default: false },
  trace: { type: 'string' },
  'trust-trace-judgements': { type: 'boolean', default: false },
  epochs: { type: 'string', default: '1' },
  'max-concurrency': { type: 'string' },
  'log-dir': { type: 'string', default: DEFAULT_LOG_DIR },
  ...SUBMIT_OPTIONS,
  'publish-events': { type: 'string' },
  resume: { type: 'string' },
  format: { type: 'string', default: 'table' },
  ...AGENT_OPTIONS,
} as const;

function loadTrace(file: string, scenario: LoadedScenario): DomainEvent[] {
  const trace = readTraceFile(file);
  if (isLeft(trace)) throw badInput(trace.left.join('\n'));
  // A trace recorded for another scenario would give a verdict about the wrong rules.
  const foreign = trace.right.find((event) => event.scenario_id !== scenario.id);
  if (foreign !== undefined) {
    throw badInput(
      `${file}: event ${foreign.event_id} has scenario_id ${JSON.stringify(foreign.scenario_id)}, expected ${JSON.stringify(scenario.id)} (the id of ${scenario.file})`,
    );
  }
  return trace.right;
}

/**
 * The verdict of a recorded trace against one scenario: its judged blocks judged afresh by `judge`,
 * or, with `judgements: 'trusted'`, by the judgements the trace records.
 */
export async function verdictOfTrace(
  scenario: LoadedScenario,
  traceFile: string,
  options: { readonly judgements: TraceJudgements; readonly judge: Judge },
): Promise<ScenarioRun> {
  const judged = await judgeRecordedTrace(scenario, loadTrace(traceFile, scenario), options);
  const verdict = validateTrace(scenario.scenario, judged.trace);
  return { verdict: withRunChecks(verdict, judged.checks), trace: judged.trace };
}

/** `--trace-dir DIR`, also spelt `--trace-out DIR`: checked and made before anything runs. */
function traceFolder(values: Values): string | undefined {
  const given = (['trace-dir', 'trace-out'] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1) throw badInput('--trace-out is another name for --trace-dir: give one of them');
  const [flag] = given;
  return flag === undefined ? undefined : preparedOutput(`--${flag}`, values[flag]!, 'folder');
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** The folder scenarios are named in by id, and where the project's companions are: as paths read best from where the command was started. */
function scenarioFolders(values: Values): { readonly companions: string; readonly dir: string } {
  const companions = relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.';
  return { companions, dir: values['scenarios-dir'] ?? companions };
}

/** Checking a recorded trace against one scenario (by id or file), without running anything. */
async function checkRecordedTrace(values: Values, trace: string): Promise<ScenarioRun[]> {
  const replayOnly = (['domain', 'script', 'trace-dir', 'trace-out', 'publish-events'] as const).filter((option) => values[option] !== undefined);
  if (replayOnly.length > 0) throw badInput(`--trace checks a recorded trace; --${replayOnly[0]} applies only to a run (see --help)`);
  const [scenario, ...others] = values.scenario;
  if (scenario === undefined) throw badInput('missing --scenario ID|FILE for the --trace (see --help)');
  if (others.length > 0) throw badInput('--trace checks one trace against one --scenario ID|FILE');
  const { companions, dir } = scenarioFolders(values);
  const selected = selectScenarios({ names: [scenario], dir });
  if (isLeft(selected)) throw badInput(selected.left.join('\n'));
  const judgements: TraceJudgements = values['trust-trace-judgements'] ? 'trusted' : 'fresh';
  const judge = judgeNamed(values.judge, companions);
  return Promise.all(selected.right.map((loaded) => verdictOfTrace(loaded, trace, { judgements, judge })));
}

interface Replayed {
  readonly runs: readonly ScenarioRun[];
  readonly logFile: string;
  readonly description: RunDescription;
}

/** How a run is logged: a new log in `--log-dir`, or the `--resume`d one. */
type LogTarget = { readonly logDir: string } | { readonly resume: RunLog };

async function replay(values: Values, args: readonly string[], traceOut: string | undefined, target: LogTarget, inspect?: Observer<InspectionEvent>): Promise<Replayed> {
  if (!ScriptKind.is(values.scripts)) throw badInput(`--scripts: expected reference or counter, got ${JSON.stringify(values.scripts)}`);
  const { companions, dir } = scenarioFolders(values);
  const judge = judgeNamed(values.judge, companions);
  const seed = wholeNumberOption('seed', values.seed);
  const epochs = positiveIntegerOption('epochs', values.epochs);
  const script = values.script === undefined ? undefined : loadScript(values.script);
  if (script !== undefined && isLeft(script)) throw badInput(script.left.join('\n'));
  const names = values.scenario.length === 0 && script !== undefined ? [script.right.value.scenario_id] : values.scenario;
  const selected = selectScenarios({ names, domain: values.domain, dir });
  if (isLeft(selected)) throw badInput(selected.left.join('\n'));
  // A resumed log that lacks nothing (re-rendering a finished run) calls no agent, so the agent's endpoint need not be set.
  // On a queue the agent runs on the workers, with their endpoint and key: here its options are only checked.
  const agent =
    'resume' in target && lacksNothing(target.resume, selected.right, epochs, seed)
      ? right(undefined)
      : chooseAgent(values, values.queue === undefined ? process.env : { AGENT_BASE_URL: WORKERS_ENDPOINT });
  if (isLeft(agent)) throw badInput(agent.left);
  const chosen = agent.right;
  const concurrency =
    values['max-concurrency'] === undefined
      ? chosen === undefined ? DEFAULT_SCRIPT_CONCURRENCY : DEFAULT_AGENT_CONCURRENCY
      : positiveIntegerOption('max-concurrency', values['max-concurrency']);
  const planned = planBenchmark(selected.right, { scripts: values.scripts, script: script?.right, companions, seed, judge });
  if (isLeft(planned)) throw badInput(planned.left.join('\n'));
  const host = chosen === undefined || values.queue !== undefined ? undefined : hostOf(process.env.AGENT_BASE_URL);
  const events = values['publish-events'] === undefined ? undefined : parsedEventsTarget(values['publish-events']);
  if (events !== undefined && values.queue !== undefined) checkedQueuedEvents(events, values.queue);
  const queue = values.queue === undefined ? undefined : await queueForSamples(values);
  // On a queue the workers publish the events; here only a local run does.
  const live = events === undefined || queue !== undefined ? undefined : await openedLiveEvents(events, values['queue-creds']);
  let queued: QueuedSamples | undefined;
  let logRunId = '';
  const temperature = values.temperature === undefined ? undefined : Number(values.temperature);
  const logged = await loggedRun(
    {
      scenarios: selected.right,
      planned: planned.right,
      settings: {
        args: withoutTransportFlags(args),
        cwd: process.cwd(),
        agent: values.agent,
        ...(chosen === undefined ? {} : { model: chosen.model }),
        ...(host === undefined ? {} : { base_url_host: host }),
        ...(temperature === undefined ? {} : { temperature }),
        seed,
        epochs,
        judge: values.judge,
        scripts: values.scripts,
        ...(script === undefined ? {} : { script: hashedFile(script.right.file) }),
      },
      target,
      judge,
      companions,
      inspect,
      agent: chosen,
      // On a queue every sample is queued at once; the workers are the limit.
      concurrency: queue === undefined ? concurrency : Number.MAX_SAFE_INTEGER,
      price: chosen === undefined ? undefined : (run) => priced(run, chosen),
      traceCopies: traceOut === undefined ? undefined : { dir: traceOut, epochs },
      ...(live === undefined ? {} : { liveSink: (sample) => live.sinkFor(logRunId, sample) }),
      ...(queue === undefined ? {} : { runSample: (sample, plannedSample) => queued!.run(sample, plannedSample), workersSeen: () => queued?.workersSeen ?? 0 }),
    },
    (file) => {
      console.error(`log: ${file}`);
      logRunId = basename(file, '.jsonl');
      if (queue !== undefined) {
        queued = new QueuedSamples(queue.connection, queueRunIdOf(file), {
          judge: values.judge,
          agent: queue.agent,
          version: queue.version,
          ...(events === undefined ? {} : { events: { prefix: events.prefix, run: logRunId } }),
        });
      }
    },
  ).finally(async () => {
    await queued?.close();
    await queue?.connection.nc.close();
    await live?.close();
  });
  if (isLeft(logged)) throw badInput(logged.left.join('\n'));
  const byId = names.every((name) => !isFileName(name));
  const description = {
    scenarios: selected.right.length,
    folder: byId ? dir : undefined,
    script: values.script,
    kind: values.scripts,
    agent: values.agent,
    judge: values.judge,
    seed,
  };
  return { runs: logged.right.runs, logFile: logged.right.logFile, description };
}

/** Every sample of the run is in the log already. */
function lacksNothing(log: RunLog, scenarios: readonly LoadedScenario[], epochs: number, seed: number): boolean {
  const logged = new Set(log.samples.map((line) => sampleKey(line.verdict.id, line.verdict.epoch)));
  return samplesOf(scenarios, epochs, seed).every((sample) => logged.has(sampleKey(sample.loaded.id, sample.epoch)));
}

/** Where a run's samples run and where its events go: how it is run, not what. */
const TRANSPORT_OPTIONS = [...(Object.keys(SUBMIT_OPTIONS) as (keyof typeof SUBMIT_OPTIONS)[]), 'publish-events'] as const;

/** What the log records of the command line: the queue a run went through, and where its events went live, are not part of its result. */
function withoutTransportFlags(args: readonly string[]): string[] {
  const flags = TRANSPORT_OPTIONS.map((flag) => `--${flag}`);
  return args.filter((arg, index) => !flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)) && !flags.includes(args[index - 1] ?? ''));
}

/** The agent options a queued item carries: those naming this machine's files (pricing, model cache) stay here. */
const QUEUED_AGENT_OPTIONS = ['agent', 'cycles', 'turn-timeout', 'model-timeout', 'temperature', 'max-output-tokens', 'token-limit'] as const;

async function queueForSamples(values: Values) {
  const local = (['model-cache', 'model-cache-mode'] as const).find((flag) => values[flag] !== undefined);
  if (local !== undefined) throw badInput(`--${local} is a folder of this machine: it cannot go with --queue, whose workers call the model`);
  const agent = Object.fromEntries(QUEUED_AGENT_OPTIONS.flatMap((flag) => (values[flag] === undefined ? [] : [[flag, values[flag]!]])));
  const version = codeVersion();
  return { connection: await openedQueue(values, 'syntropism evaluation submitter'), agent, version };
}

function priced(run: ScenarioRun, { model, pricing }: ChosenAgent): ScenarioRun {
  const cost_usd = run.verdict.usage === undefined ? undefined : costOf(run.verdict.usage, model, pricing);
  return cost_usd === undefined ? run : { ...run, verdict: { ...run.verdict, cost_usd } };
}

/** `--html FILE`: the viewer of the run's log (or of the checked trace) as one file. */
async function writeHtmlReport(file: string, input: ViewerInput): Promise<void> {
  const written = await writeViewerFile(file, input);
  if (isLeft(written)) throw badInput(`--html: ${written.left}`);
}

/** `--inspect [PORT]`: the port may be left out, which parseArgs cannot express, so it is made explicit first. */
function withExplicitInspectPort(args: readonly string[]): string[] {
  return args.flatMap((arg, index) => {
    if (arg !== '--inspect') return /^\d+$/.test(arg) && args[index - 1] === '--inspect' ? [] : [arg];
    const next = args[index + 1];
    return [`--inspect=${next !== undefined && /^\d+$/.test(next) ? next : DEFAULT_BRIDGE_PORT}`];
  });
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw badInput(`--inspect: expected a port number, got ${JSON.stringify(text)}`);
  return port;
}

/** What `--resume` may be given beside it: how the rest is run and reported, not what runs. */
const RESUME_OPTIONS = ['resume', 'max-concurrency', 'format', 'html', ...TRANSPORT_OPTIONS] as const;

/** `--resume LOG`: the log, and the options of its run with the given ones of RESUME_OPTIONS. */
function resumed(given: Values, args: readonly string[]): { readonly log: RunLog; readonly values: Values } {
  const log = readRunLog(given.resume!);
  if (isLeft(log)) throw badInput(`--resume: ${log.left}`);
  const other = args.find((arg) => arg.startsWith('-') && !RESUME_OPTIONS.some((option) => arg === `--${option}` || arg.startsWith(`--${option}=`)));
  if (other !== undefined) throw badInput(`--resume repeats the run of ${given.resume} with its own options; ${other} cannot change it (see --help)`);
  if (log.right.run.cwd !== process.cwd()) throw badInput(`--resume: run it from ${log.right.run.cwd}, where ${given.resume} was started (its paths are relative to it)`);
  const stored = parseCommandLine(withExplicitInspectPort([...log.right.run.args]), USAGE, OPTIONS, 0).values;
  const overrides = Object.fromEntries(RESUME_OPTIONS.flatMap((option) => (given[option] === undefined ? [] : [[option, given[option]]])));
  return { log: log.right, values: { ...stored, format: given.format, ...overrides, inspect: undefined } };
}

export async function run(args: string[]): Promise<number> {
  const given = parseCommandLine(withExplicitInspectPort(args), USAGE, OPTIONS, 0).values;
  const resume = given.resume === undefined ? undefined : resumed(given, args);
  const values = resume?.values ?? given;
  const runArgs = resume?.log.run.args ?? args;
  const { format, trace } = values;
  if (!isReportFormat(format)) throw badInput(`--format: expected ${REPORT_FORMATS.join(' or ')}, got ${JSON.stringify(format)}`);
  const html = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');
  const report = async (runs: readonly ScenarioRun[], viewed: ViewerInput, description?: RunDescription): Promise<boolean> => {
    if (html !== undefined) await writeHtmlReport(html, viewed);
    const verdicts = runs.map((scenarioRun) => scenarioRun.verdict);
    // Only the table says what ran and what to try next: the JSON report must stay JSON.
    const table = format === 'table' && description !== undefined;
    if (table) console.log(whatRan(description));
    console.log(renderReport(verdicts, format, trace === undefined ? 'overview' : 'checks'));
    if (table) console.log(WHAT_NEXT);
    return verdicts.every((verdict) => verdict.passed);
  };
  const reportReplay = ({ runs, logFile, description }: Replayed): Promise<boolean> => report(runs, { logs: [logFile], open: 'first run' }, description);
  if (trace !== undefined) {
    if (values.inspect !== undefined) throw badInput('--inspect watches a run; --trace runs nothing (see --help)');
    const checked = await checkRecordedTrace(values, trace);
    return (await report(checked, { checked, traceFile: trace, judge: values.judge })) ? 0 : EXIT_SCENARIO_FAILED;
  }
  if (values['trust-trace-judgements']) throw badInput('--trust-trace-judgements applies only to a --trace (see --help)');
  const traceOut = traceFolder(values);
  const target: LogTarget = resume === undefined ? { logDir: preparedOutput('--log-dir', values['log-dir'], 'folder') } : { resume: resume.log };
  if (values.inspect !== undefined && values.queue !== undefined) throw badInput('--inspect watches the actors of this process: with --queue they run on the workers');
  if (values.inspect === undefined) return (await reportReplay(await replay(values, runArgs, traceOut, target))) ? 0 : EXIT_SCENARIO_FAILED;
  const port = portOf(values.inspect);
  // The report is printed as soon as the run is over, while the inspector keeps its final state on view.
  const inspected = await inspectRun(async (inspect) => reportReplay(await replay(values, runArgs, traceOut, target, inspect)), {
    bridge: { port },
    wait: !values['no-wait'],
    // The report alone goes to stdout as JSON, so that it stays parseable.
    log: (line) => (format === 'json' ? console.error(line) : console.log(line)),
  });
  if (isLeft(inspected)) throw badInput(`--inspect: ${inspected.left}`);
  return inspected.right ? 0 : EXIT_SCENARIO_FAILED;
}

runWhenMain(import.meta, run);
