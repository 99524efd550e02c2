import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../domain/economy/events';
import type { Ledger } from '../../domain/economy/ledger';
import {
  createWorld,
  DEFAULT_PRICES,
  type JsonlSink,
  openJsonlSink,
  traceRecorder,
  type TraceSink,
  type World,
  type WorldConfig,
  type BrainFault,
} from '../../machines';
import { worldFixtureOf, type Script, type LoadedScenario } from '../scenarios';
import { type Judge, judgeTrace } from '../judges';
import type { SelfImprovementWorkspace } from '../self-improvement';
import { validateTrace, withRunChecks, type Check, type ScenarioVerdict } from '../validate';
import { scenarioInjections } from './injections';
import { refusedStepsCheck } from './refused-steps';
import { recordMeasurements, workspaceFor } from './self-improvement';
import type { SourceFile } from '../files';
import { AGENT_UNDER_TEST } from '../../domain/benchmark/scenario';
import { everyObserver, watchVisitedStates, type VisitedStates } from './visited-states';
import { scriptedRun, worldFromScenario, type AgentUnderTestRun } from './world-from-scenario';
import type { InspectionEvent, Observer } from 'xstate';
import { type AgentUnderTest, NO_USAGE, type Usage, STDERR_TAIL_LINES, type Transcript } from '../agents';

/**
 * Replays one scenario: its world of actors runs with the script driving the agent under test and
 * the scenario's injected events firing on their triggers; the judge scores the judged blocks into
 * the trace; the trace is validated against the scenario's rules. The verdict also fails, with a
 * check saying why, when the world refused a step of the script, could not finish its run, an
 * injection could not be delivered or the judge gave no judgement.
 */

export interface ReplayOptions {
  readonly seed: string | number;
  readonly judge: Judge;
  /** Also write the trace to this file, one event per line. */
  readonly traceFile?: string;
  /** Also given each event as it is recorded (live consumers). */
  readonly sinks?: readonly TraceSink[];
  /** Where the project's companions (self-improvement workspaces) are; the project's `scenarios/` when absent. */
  readonly companions?: string;
  /** Receives the inspection events of every actor of the run (the Stately inspector). */
  readonly inspect?: Observer<InspectionEvent>;
  /** What drives the agent under test when it is not the script, and the cycles the world then runs. */
  readonly agent?: { readonly underTest: AgentUnderTest; readonly cycles: number };
  /** false: the states the run visits are not watched (nor any actor inspected unless `inspect` asks): what the bench compares with. */
  readonly watchStates?: boolean;
}

export interface Replay {
  readonly verdict: ScenarioVerdict;
  readonly trace: readonly DomainEvent[];
  /** The ledger at the end of the run, before the judges. */
  readonly ledger: Ledger;
  /** What the agent's model calls used; nothing for a script. */
  readonly usage: Usage;
  /** What the agent's process wrote on stderr, for an agent that is a process. */
  readonly stderr?: string;
  /** What the agent was told and answered, for an agent that is not the script. */
  readonly transcript?: Transcript;
  /** The states of the agent under test's machines the run went through, unless they were not watched. */
  readonly visitedStates?: VisitedStates;
}

/** Runs every cycle the world has; the reason when one could not complete. */
async function runToEnd(world: World): Promise<string | undefined> {
  while (world.status() === 'ready') {
    const cycle = await world.runCycle();
    if (isLeft(cycle)) return cycle.left;
  }
  return undefined;
}

/**
 * A turn of the agent under test that its brain did not end well fails the scenario, saying which
 * turn and why; a reason repeated by the turns after (a model that stays unreachable) is told once.
 */
/** The last lines an agent process wrote on stderr, as they close a fault's detail. */
function stderrTail(stderr: string | undefined): string {
  const lines = (stderr ?? '').split('\n').filter((line) => line.trim() !== '').slice(-STDERR_TAIL_LINES);
  return lines.length === 0 ? '' : `; the agent's stderr ends: ${lines.join(' | ')}`;
}

function faultChecks(faults: readonly BrainFault[], stderr: string | undefined): Check[] {
  const byReason = new Map<string, { first: BrainFault; count: number }>();
  for (const fault of faults) {
    const seen = byReason.get(fault.reason);
    byReason.set(fault.reason, seen === undefined ? { first: fault, count: 1 } : { ...seen, count: seen.count + 1 });
  }
  return [...byReason.values()].map(({ first, count }) => ({
    name: 'agent',
    passed: false,
    detail: `cycle ${first.cycle} ${first.phase} turn: ${first.reason}${count > 1 ? ` (and ${count - 1} later turn${count > 2 ? 's' : ''})` : ''}${stderrTail(stderr)}`,
  }));
}

/** The script drives the agent under test, unless an agent is given: the script then only furnishes its world, for `cycles` cycles. */
function agentUnderTestRun(script: SourceFile<Script>, agent: ReplayOptions['agent']): AgentUnderTestRun {
  if (agent === undefined) return scriptedRun(script);
  return {
    fixture: { file: script.file, value: { ...worldFixtureOf(script.value), cycles: agent.cycles } },
    brain: agent.underTest.brain,
    briefing: agent.underTest.briefing,
  };
}

function scriptMatches(loaded: LoadedScenario, script: SourceFile<Script>): string[] {
  const { scenario_id } = script.value;
  return scenario_id === loaded.id
    ? []
    : [`${script.file}: $.scenario_id: expected ${JSON.stringify(loaded.id)} (the id of ${loaded.file}), got ${JSON.stringify(scenario_id)}`];
}

/** Input problems (the scenario's world, the script, the trace file) are a Left, each naming its file. */
export async function replayScenario(
  loaded: LoadedScenario,
  script: SourceFile<Script>,
  options: ReplayOptions,
): Promise<Either<string[], Replay>> {
  const mismatch = scriptMatches(loaded, script);
  if (mismatch.length > 0) return left(mismatch);
  const workspace = workspaceFor(loaded, options.companions);
  if (isLeft(workspace)) return workspace;
  try {
    const config = worldFromScenario({ file: loaded.file, value: loaded.scenario }, agentUnderTestRun(script, options.agent), {
      seed: options.seed,
      workspace: workspace.right,
    });
    return isLeft(config) ? config : await runReplay(loaded, script, config.right, workspace.right, options);
  } finally {
    workspace.right?.dispose();
  }
}

async function runReplay(
  loaded: LoadedScenario,
  script: SourceFile<Script>,
  config: WorldConfig,
  workspace: SelfImprovementWorkspace | undefined,
  options: ReplayOptions,
): Promise<Either<string[], Replay>> {
  let traceFile: JsonlSink | undefined;
  let world: World | undefined;
  if (options.traceFile !== undefined) {
    const opened = openJsonlSink(options.traceFile);
    if (isLeft(opened)) return left([opened.left]);
    traceFile = opened.right;
  }
  try {
    const recorder = traceRecorder();
    const injections = scenarioInjections(loaded.scenario.injected_events ?? [], AGENT_UNDER_TEST);
    // The trigger watches last, so that every other sink has the triggering event before the injected one.
    const sinks: TraceSink[] = [recorder, ...(traceFile === undefined ? [] : [traceFile]), ...(options.sinks ?? []), injections.sink];
    const visited = options.watchStates === false ? undefined : watchVisitedStates(AGENT_UNDER_TEST);
    const created = createWorld(config, sinks, visited === undefined && options.inspect === undefined ? undefined : everyObserver(visited?.inspect, options.inspect));
    if (isLeft(created)) return left(created.left.map((problem) => `${loaded.file}: the world cannot be built: ${problem}`));
    world = created.right;

    injections.start(world);
    const runProblem = await runToEnd(world);
    const ledger = world.ledger();
    // The agent's process and server go before anything is judged: no agent outlives its run.
    world.stop();
    const underTest = options.agent?.underTest;
    await underTest?.closed();
    const stderr = underTest?.stderr();
    const measurementFailures = workspace === undefined ? [] : recordMeasurements(workspace, world.bus, AGENT_UNDER_TEST, config.prices ?? DEFAULT_PRICES);
    const judgeFailures = await judgeTrace(loaded, options.judge, world.bus, recorder.events, AGENT_UNDER_TEST);
    // The agent's own faults come first: when it broke down, what the trace then lacks is not the news.
    const replayChecks: Check[] = [
      ...faultChecks(underTest?.faults() ?? [], stderr),
      ...(underTest === undefined ? refusedStepsCheck(script, recorder.events, AGENT_UNDER_TEST) : []),
      ...(runProblem === undefined ? [] : [{ name: 'run', passed: false, detail: runProblem }]),
      ...injections.problems.map((problem) => ({ name: 'injected_events', passed: false, detail: problem })),
      ...measurementFailures,
      ...judgeFailures,
    ];
    const verdict = withRunChecks(validateTrace(loaded.scenario, recorder.events), replayChecks);
    const usage = underTest?.usage() ?? NO_USAGE;
    const transcript = underTest?.transcript();
    return right({ verdict: { ...verdict, usage }, trace: recorder.events, ledger, usage, stderr, ...(transcript === undefined ? {} : { transcript }), ...(visited === undefined ? {} : { visitedStates: visited.visited() }) });
  } finally {
    world?.stop();
    traceFile?.close();
  }
}
