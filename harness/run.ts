import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/events';
import { ScriptKind } from '../machines/script';
import { badInput, errorMessage, parseCommandLine, runWhenMain } from './cli';
import { PROJECT_SCENARIOS_DIR } from './companions';
import { formatScenarioError, loadScenarioFile, type LoadedScenario } from './constructor';
import { createHttpJudge, httpJudgeConfigFromEnv } from './judges/http-judge';
import type { Judge } from './judges/judge';
import { createRubricJudge } from './judges/rubric-judge';
import { runBenchmark, type ScenarioRun } from './replay/benchmark';
import { renderHtmlReport } from './html-report/render';
import { DEFAULT_BRIDGE_PORT } from './inspect/bridge';
import { inspectRun } from './inspect/inspect-run';
import type { InspectionEvent, Observer } from 'xstate';
import { orchestratorMachine } from '../machines/orchestrator';
import { schedulerMachine } from '../machines/scheduler';
import { agentMachine } from '../machines/agent';
import { loadScript } from './replay/scripts';
import { AGENT_OPTIONS, AGENT_USAGE, chooseAgent, type ChosenAgent } from './agents/agent-options';
import { costOf } from './agents/usage';
import { selectScenarios } from './replay/selection';
import { isReportFormat, renderReport, REPORT_FORMATS } from './report';
import { readTraceFile } from './trace-file';
import { validateTrace } from './validate';

const DEFAULT_SEED = '1';

const USAGE = `usage: npx tsx harness/run.ts --scenario FILE --trace TRACE.jsonl [--format table|json]
       npx tsx harness/run.ts [--scenario ID|FILE]... [--domain NAME] [--scenarios-dir DIR]
                              [--scripts reference|counter | --script FILE] [--judge rubric|http]
                              [--seed N] [--format table|json] [--trace-out DIR] [--html FILE]
                              [--inspect [PORT] [--no-wait]]
                              [--agent script|openai:MODEL [--cycles N] [--turn-timeout S] [--model-timeout S]
                               [--temperature T] [--max-output-tokens N] [--token-limit N] [--pricing FILE]
                               [--model-cache DIR [--model-cache-mode auto|record|replay]]]

Runs the benchmark: each scenario becomes a world of actors (the agent under test, its competitors,
the service providers, the human), a script drives the agent under test, the scenario's injected
events fire on their triggers, a judge scores the judged blocks, and the recorded trace is checked
against the scenario's validation rules. With no option it runs every scenario with its reference
script and the rubric judge. With --trace it checks a recorded trace instead of running anything.

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
  --trace-out DIR     also write each scenario's trace to DIR/<id>.jsonl
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
                      --scenario FILE, without running anything
  --format FORMAT     table (default): one row per scenario with its first failing check (with
                      --trace: every check); json: {"summary": {"total", "passed", "failed"},
                      "results": [{"id", "domain", "passed", "checks": [{"name", "passed", "detail"}]}]}
  -h, --help          print this help

Exit status: 0 when every scenario passed; 1 when one failed; 2 on bad input (a bad flag, an
unknown scenario id, an invalid scenario or script file, a trace line that is not JSON or not a
valid event, a trace of another scenario, an unconfigured HTTP judge). A judge that cannot be
reached fails its scenario with the reason; it never passes one.`;

const EXIT_SCENARIO_FAILED = 1;

const OPTIONS = {
  scenario: { type: 'string', multiple: true, default: [] as string[] },
  domain: { type: 'string' },
  'scenarios-dir': { type: 'string' },
  scripts: { type: 'string', default: 'reference' },
  script: { type: 'string' },
  judge: { type: 'string', default: 'rubric' },
  seed: { type: 'string', default: DEFAULT_SEED },
  'trace-out': { type: 'string' },
  html: { type: 'string' },
  inspect: { type: 'string' },
  'no-wait': { type: 'boolean', default: false },
  trace: { type: 'string' },
  format: { type: 'string', default: 'table' },
  ...AGENT_OPTIONS,
} as const;

const JUDGES = ['rubric', 'http'] as const;

function loadScenario(file: string): LoadedScenario {
  const loaded = loadScenarioFile(file);
  if (isLeft(loaded)) throw badInput(loaded.left.map(formatScenarioError).join('\n'));
  return loaded.right;
}

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

/** The verdict of a recorded trace against one scenario file. */
export function verdictOfTrace(scenarioFile: string, traceFile: string): ScenarioRun {
  const scenario = loadScenario(scenarioFile);
  const trace = loadTrace(traceFile, scenario);
  return { verdict: validateTrace(scenario.scenario, trace), trace };
}

function judgeNamed(name: string, companions: string): Judge {
  if (name === 'rubric') return createRubricJudge({ scenariosDir: companions });
  if (name !== 'http') throw badInput(`--judge: expected ${JUDGES.join(' or ')}, got ${JSON.stringify(name)}`);
  const config = httpJudgeConfigFromEnv(process.env);
  if (isLeft(config)) throw badInput(`--judge http: ${config.left}`);
  return createHttpJudge(config.right);
}

function seedOf(text: string): number {
  if (!/^-?\d+$/.test(text)) throw badInput(`--seed: expected a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function traceFolder(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw badInput(`--trace-out: cannot create the folder ${dir}: ${errorMessage(error)}`);
  }
  return dir;
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** Checking a recorded trace against one scenario file, without running anything. */
function checkRecordedTrace(values: Values, trace: string): ScenarioRun[] {
  const replayOnly = (['domain', 'scenarios-dir', 'script', 'trace-out'] as const).filter((option) => values[option] !== undefined);
  if (replayOnly.length > 0) throw badInput(`--trace checks a recorded trace; --${replayOnly[0]} applies only to a run (see --help)`);
  const [scenario, ...others] = values.scenario;
  if (scenario === undefined) throw badInput('missing --scenario FILE for the --trace (see --help)');
  if (others.length > 0) throw badInput('--trace checks one trace against one --scenario FILE');
  return [verdictOfTrace(scenario, trace)];
}

async function replay(values: Values, inspect?: Observer<InspectionEvent>): Promise<ScenarioRun[]> {
  if (!ScriptKind.is(values.scripts)) throw badInput(`--scripts: expected reference or counter, got ${JSON.stringify(values.scripts)}`);
  // Paths in messages read best relative to where the command was started.
  const companions = relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.';
  const judge = judgeNamed(values.judge, companions);
  const seed = seedOf(values.seed);
  const script = values.script === undefined ? undefined : loadScript(values.script);
  if (script !== undefined && isLeft(script)) throw badInput(script.left.join('\n'));
  const names = values.scenario.length === 0 && script !== undefined ? [script.right.value.scenario_id] : values.scenario;
  const dir = values['scenarios-dir'] ?? companions;
  const selected = selectScenarios({ names, domain: values.domain, dir });
  if (isLeft(selected)) throw badInput(selected.left.join('\n'));
  const traceOut = traceFolder(values['trace-out']);
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
  return agent.right === undefined ? runs.right : runs.right.map((run) => priced(run, agent.right!));
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
  const report = (runs: readonly ScenarioRun[]): boolean => {
    if (values.html !== undefined) writeHtmlReport(values.html, runs);
    const verdicts = runs.map((scenarioRun) => scenarioRun.verdict);
    console.log(renderReport(verdicts, format, trace === undefined ? 'overview' : 'checks'));
    return verdicts.every((verdict) => verdict.passed);
  };
  if (trace !== undefined) {
    if (values.inspect !== undefined) throw badInput('--inspect watches a run; --trace runs nothing (see --help)');
    return report(checkRecordedTrace(values, trace)) ? 0 : EXIT_SCENARIO_FAILED;
  }
  if (values.inspect === undefined) return report(await replay(values)) ? 0 : EXIT_SCENARIO_FAILED;
  const port = portOf(values.inspect);
  // The report is printed as soon as the run is over, while the inspector keeps its final state on view.
  const inspected = await inspectRun(async (inspect) => report(await replay(values, inspect)), {
    bridge: { port },
    wait: !values['no-wait'],
    log: (line) => console.log(line),
  });
  if (isLeft(inspected)) throw badInput(`--inspect: ${inspected.left}`);
  return inspected.right ? 0 : EXIT_SCENARIO_FAILED;
}

runWhenMain(import.meta, run);
