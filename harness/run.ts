import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/events';
import { agentMachine, orchestratorMachine, schedulerMachine } from '../machines';
import { ScriptKind } from './scenarios/scripts';
import { errorMessage } from '../domain/error-message';
import { badInput, parseCommandLine, runWhenMain, wholeNumberOption } from './cli/cli';
import { PROJECT_SCENARIOS_DIR } from './scenarios/companions';
import { preparedOutput } from './cli/output-path';
import { WHAT_NEXT, whatRan, type RunDescription } from './report/run-summary';
import type { LoadedScenario } from './scenarios/constructor';
import { createHttpJudge, httpJudgeConfigFromEnv } from './judges/http-judge';
import type { Judge } from './judges/judge';
import { createRubricJudge } from './judges/rubric/rubric-judge';
import { runBenchmark, type ScenarioRun } from './replay/benchmark';
import { renderHtmlReport } from './report/html/render';
import { DEFAULT_BRIDGE_PORT } from './inspect/bridge';
import { inspectRun } from './inspect/inspect-run';
import type { InspectionEvent, Observer } from 'xstate';
import { loadScript } from './scenarios/scripts';
import { AGENT_OPTIONS, AGENT_USAGE, chooseAgent, type ChosenAgent } from './agents/agent-options';
import { costOf } from './agents/usage';
import { isFileName, selectScenarios } from './scenarios/selection';
import { isReportFormat, renderReport, REPORT_FORMATS } from './report/report';
import { readTraceFile } from './scenarios/trace-file';
import { judgeRecordedTrace, type TraceJudgements } from './judges/trace-judgements';
import { validateTrace } from './validate/validate';

const DEFAULT_SEED = '1';

const USAGE = `Usage: npx tsx harness/run.ts --scenario ID|FILE --trace TRACE.jsonl [--judge rubric|http]
                              [--trust-trace-judgements] [--format table|json|junit]
       npx tsx harness/run.ts [--scenario ID|FILE]... [--domain NAME] [--scenarios-dir DIR]
                              [--scripts reference|counter | --script FILE] [--judge rubric|http]
                              [--seed N] [--format table|json|junit] [--trace-dir DIR] [--html FILE]
                              [--inspect [PORT] [--no-wait]]
                              [--agent script|openai:MODEL [--cycles N] [--turn-timeout S] [--model-timeout S]
                               [--temperature T] [--max-output-tokens N] [--token-limit N] [--pricing FILE]
                               [--model-cache DIR [--model-cache-mode auto|record|replay]]]

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
  format: { type: 'string', default: 'table' },
  ...AGENT_OPTIONS,
} as const;

const JUDGES = ['rubric', 'http'] as const;

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
  const checks = [...judged.checks, ...verdict.checks];
  return { verdict: { ...verdict, passed: checks.every((check) => check.passed), checks }, trace: judged.trace };
}

function judgeNamed(name: string, companions: string): Judge {
  if (name === 'rubric') return createRubricJudge({ scenariosDir: companions });
  if (name !== 'http') throw badInput(`--judge: expected ${JUDGES.join(' or ')}, got ${JSON.stringify(name)}`);
  const config = httpJudgeConfigFromEnv(process.env);
  if (isLeft(config)) throw badInput(`--judge http: ${config.left}`);
  return createHttpJudge(config.right);
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
  const replayOnly = (['domain', 'script', 'trace-dir', 'trace-out'] as const).filter((option) => values[option] !== undefined);
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
  readonly description: RunDescription;
}

async function replay(values: Values, traceOut: string | undefined, inspect?: Observer<InspectionEvent>): Promise<Replayed> {
  if (!ScriptKind.is(values.scripts)) throw badInput(`--scripts: expected reference or counter, got ${JSON.stringify(values.scripts)}`);
  const { companions, dir } = scenarioFolders(values);
  const judge = judgeNamed(values.judge, companions);
  const seed = wholeNumberOption('seed', values.seed);
  const script = values.script === undefined ? undefined : loadScript(values.script);
  if (script !== undefined && isLeft(script)) throw badInput(script.left.join('\n'));
  const names = values.scenario.length === 0 && script !== undefined ? [script.right.value.scenario_id] : values.scenario;
  const selected = selectScenarios({ names, domain: values.domain, dir });
  if (isLeft(selected)) throw badInput(selected.left.join('\n'));
  const agent = chooseAgent(values, process.env);
  if (isLeft(agent)) throw badInput(agent.left);
  const runs = await runBenchmark(selected.right, {
    agent: agent.right,
    scripts: values.scripts,
    script: script?.right,
    companions,
    seed,
    judge,
    traceOut,
    inspect,
  });
  if (isLeft(runs)) throw badInput(runs.left.join('\n'));
  const byId = names.every((name) => !isFileName(name));
  const description = {
    scenarios: runs.right.length,
    folder: byId ? dir : undefined,
    script: values.script,
    kind: values.scripts,
    agent: values.agent,
    judge: values.judge,
    seed,
  };
  const chosen = agent.right;
  return { runs: chosen === undefined ? runs.right : runs.right.map((run) => priced(run, chosen)), description };
}

function priced(run: ScenarioRun, { model, pricing }: ChosenAgent): ScenarioRun {
  const cost_usd = run.verdict.usage === undefined ? undefined : costOf(run.verdict.usage, model, pricing);
  return cost_usd === undefined ? run : { ...run, verdict: { ...run.verdict, cost_usd } };
}

/** The machines whose state diagrams close the HTML report. */
const REPORTED_MACHINES = [orchestratorMachine, schedulerMachine, agentMachine];

function writeHtmlReport(file: string, runs: readonly ScenarioRun[]): void {
  try {
    writeFileSync(file, renderHtmlReport(runs, { machines: REPORTED_MACHINES }));
  } catch (error) {
    throw badInput(`--html: cannot write ${file}: ${errorMessage(error)}`);
  }
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

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandLine(withExplicitInspectPort(args), USAGE, OPTIONS, 0);
  const { format, trace } = values;
  if (!isReportFormat(format)) throw badInput(`--format: expected ${REPORT_FORMATS.join(' or ')}, got ${JSON.stringify(format)}`);
  const html = values.html === undefined ? undefined : preparedOutput('--html', values.html, 'file');
  const report = (runs: readonly ScenarioRun[], description?: RunDescription): boolean => {
    if (html !== undefined) writeHtmlReport(html, runs);
    const verdicts = runs.map((scenarioRun) => scenarioRun.verdict);
    // Only the table says what ran and what to try next: the JSON report must stay JSON.
    const table = format === 'table' && description !== undefined;
    if (table) console.log(whatRan(description));
    console.log(renderReport(verdicts, format, trace === undefined ? 'overview' : 'checks'));
    if (table) console.log(WHAT_NEXT);
    return verdicts.every((verdict) => verdict.passed);
  };
  const reportReplay = ({ runs, description }: Replayed): boolean => report(runs, description);
  if (trace !== undefined) {
    if (values.inspect !== undefined) throw badInput('--inspect watches a run; --trace runs nothing (see --help)');
    return report(await checkRecordedTrace(values, trace)) ? 0 : EXIT_SCENARIO_FAILED;
  }
  if (values['trust-trace-judgements']) throw badInput('--trust-trace-judgements applies only to a --trace (see --help)');
  const traceOut = traceFolder(values);
  if (values.inspect === undefined) return reportReplay(await replay(values, traceOut)) ? 0 : EXIT_SCENARIO_FAILED;
  const port = portOf(values.inspect);
  // The report is printed as soon as the run is over, while the inspector keeps its final state on view.
  const inspected = await inspectRun(async (inspect) => reportReplay(await replay(values, traceOut, inspect)), {
    bridge: { port },
    wait: !values['no-wait'],
    // The report alone goes to stdout as JSON, so that it stays parseable.
    log: (line) => (format === 'json' ? console.error(line) : console.log(line)),
  });
  if (isLeft(inspected)) throw badInput(`--inspect: ${inspected.left}`);
  return inspected.right ? 0 : EXIT_SCENARIO_FAILED;
}

runWhenMain(import.meta, run);
