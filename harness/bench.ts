import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { Actor, assign, createActor, setup, StateMachine, type InspectionEvent } from 'xstate';
import { totalSupply } from '../domain/economy/ledger';
import { median } from '../domain/population/metrics';
import { createEventBus, createWorld, runWorld, type TallySink } from '../machines';
import {
  BID_COUNT,
  benchClearing,
  benchPlain,
  benchPopulation,
  peakRssMb,
  populationConfig,
  runPopulationApart,
  runToEnd,
  type ApartRun,
  type PopulationRun,
  CLEARING_RUNS,
  runPlainEconomy,
  checkTargets,
  targetsHelp,
  targetsJson,
  targetsTable,
  type BenchRun,
  ratio,
  round,
  timed,
} from './bench/index';
import { badInput, parseCommandLine, runWhenMain } from './cli';
import { metricsCollector, runSweep, sweepPoints } from './simulation';
import { judgeNamed } from './judges';
import { replayScenario } from './replay';
import { loadScenarioFile, loadScript, PROJECT_SCENARIOS_DIR } from './scenarios';

/** The reference scenario whose replay measures what watching its states costs. */
const OBSERVED_SCENARIO = 'er_001';
const OBSERVER_RUNS = 15;
/** A replay takes tens of milliseconds: each timed run is several, so that the timer's and the machine's jitter weigh less. */
const REPLAYS_PER_RUN = 5;

const USAGE = `Usage: npx tsx harness/bench.ts [--large | --sweep-speedup]

Measures the engine on this machine, prints each figure that has a target beside it (met, not met,
not measured), and ends with one JSON line of figures. With no flag (a minute or two on two cores):
  clear_100k_bids_ms    the pure clearing function on 100,000 random bids (median of 5 runs)
  sort_100k_ms          a bare Float64Array sort of the same 100,000 amounts (median of 5 runs,
                        each on a fresh copy, taking turns with the clearings)
  clearing_vs_sort      the first over the second
  cycle_10k_agents_ms   10,000 agent actors each bid through the scheduler actor in their bidding
                        turn, then one allocation (and the winners' windows): the median of 3 fresh
                        worlds after a warm-up world
                        The agents' creation is reported apart as create_10k_agents_ms, the phases
                        as bidding_10k_ms and allocation_10k_ms
  agent_cycles_per_sec  a population run of 1,000 agents x 100 cycles streaming its trace to a file,
                        population_run_ms long (the median of 3 runs; each run of the engine below
                        takes turns with its reference's, and each figure is the median of 3)
  us_per_agent_cycle    the same run's cost of one agent-cycle in microseconds; events_per_sec its
                        trace events a second
  metrics_run_ms        the same population run with no trace, only the study's metrics collector
                        tallying the events (how a study runs)
  plain_traced_ms       the same economy run by the plain reference (harness/bench/plain-economy.ts:
                        one loop, no actors, the engine's trace byte for byte), streaming its trace
  plain_silent_ms       the plain reference recording no events at all
  population_vs_plain_traced    population_run_ms over plain_traced_ms
  metrics_vs_plain_silent       metrics_run_ms over plain_silent_ms
  peak_rss_mb           the process's peak resident memory

and, to put the engine's figures in proportion to XState's own cost:
  machine_event_floor_us               what one event costs a minimal machine (one state, one
                                       assign) on this machine
  machine_events_cycle_10k             how many events the orchestrator, scheduler and agent
                                       machines take in the 10,000-agent cycle
  machine_floor_cycle_10k_ms           what those events alone cost at the floor, with nothing
                                       else done at all
  plain_cycle_10k_ms                   the same cycle of the same world run by the plain reference:
                                       the economy's own work (the median of 3, each taking turns
                                       with the engine's)
  cycle_10k_floor_ms                   the cycle's floor: its machine events at XState's floor, and
                                       the economy's own work (the two above)
  cycle_10k_vs_floor                   cycle_10k_agents_ms over cycle_10k_floor_ms
  machine_events_per_agent_cycle       the same count per agent-cycle of the population run
  machine_floor_agent_cycles_per_sec   the rate those events alone would allow at the floor cost

and what watching the agent under test's states (the viewer's visited states) costs every replay:
  observer_overhead     a replay of ${OBSERVED_SCENARIO} with its reference script, with the state
                        observer over without it (medians of ${OBSERVER_RUNS} runs of ${REPLAYS_PER_RUN} replays each,
                        alternated); observed_replay_ms the replay's time with it

With --large, measures instead the cost of an agent-cycle in a large population (about a minute
and a half on two cores). Each run below is in a process of its own, as a user's command is, the
four taking turns three times; each figure is the median of its three runs:
  small_agent_cycles_per_sec, small_us_per_agent_cycle, small_run_ms
                              the 1,000 x 100 population run as above, the reference, but in a
                              process of its own (the default bench's run follows others in its
                              process, which warm the compiler: these figures are lower)
  large_run_ms, large_agent_cycles, large_us_per_agent_cycle
                              a population run of 100,000 agents x 3 cycles (their creation
                              included, as in the reference), streaming its trace to a file
  large_vs_small_cost         large_us_per_agent_cycle over small_us_per_agent_cycle
  large_peak_rss_mb           the large run's process's peak resident memory, the highest of the three
  create_100k_agents_ms       creating the large run's world of 100,000 agents, timed within that run
  xstate_create_100k_ms       XState's own floor for that: creating and starting 100,000 actors of a
                              minimal machine (one state, one assign), each with an id, in the bench's
                              process between the runs
  large_vs_small_cost_past_creation
                              large_vs_small_cost with the large run's creation taken out (the
                              reference's, a hundredth of its agents, is left in)
  plain_us_per_agent_cycle, plain_large_us_per_agent_cycle
                              the plain reference's same two runs, streaming the same trace
  plain_large_vs_small_cost   the second over the first: how the economy's own work scales, with no
                              actor at all
  large_vs_small_floor        the floor of large_vs_small_cost for an engine whose agents are actors:
                              plain_large_vs_small_cost, plus xstate_create_100k_ms spread over the
                              large run's agent-cycles, over small_us_per_agent_cycle

With --sweep-speedup, measures instead how a population sweep scales over worker threads (about
half a minute on two cores):
  sweep_1_worker_ms, sweep_2_workers_ms  the same sweep of 12 runs (the default study economy, 40
                                         cycles, budget_fraction 0.02 and 0.1, seeds 1..6) on 1 and
                                         on 2 worker threads, thread start-up included
  sweep_speedup                          the first over the second

Targets (from the issues, for a 2-core development machine):
${targetsHelp().join('\n')}

Every JSON line also has load_average (the machine's over the last minute, before the bench
started) and cores, since the figures depend on them, and targets: each targeted figure's target
and verdict.

  --large           measure the large population run and its reference only
  --sweep-speedup   measure the sweep speed-up only
  -h, --help        print this help

Exit status: 0 when every figure was measured, whether or not it meets its target; 1 when a
measurement failed; 2 on a bad flag.`;

const WORLD_AGENTS = 10_000;
const WARM_UP_AGENTS = 1_000;
const WORLD_RUNS = 3;
const FLOOR_EVENTS = 200_000;
const COUNTED_CYCLES = 10;
const POPULATION = 1_000;
const POPULATION_CYCLES = 100;
const POPULATION_RUNS = 3;
const LARGE_POPULATION = 100_000;
const LARGE_CYCLES = 3;
const LARGE_RUNS = 3;

/** Notes when the allocation starts, from the events' types, so that the cycle can be split into its phases; it stamps no event. */
function allocationWatch(): TallySink & { startedAt(): number | undefined } {
  let startedAt: number | undefined;
  return {
    tally(emission) {
      if (startedAt === undefined && emission.type === 'bid_processed') startedAt = performance.now();
    },
    startedAt: () => startedAt,
  };
}

async function worldCycle(agents: number) {
  const watch = allocationWatch();
  const config = populationConfig(agents, 1);
  const [created, createMs] = timed(() => createWorld(config, [watch]));
  if (isLeft(created)) throw new Error(created.left.join('\n'));
  const start = performance.now();
  const cycle = await created.right.runCycle();
  const cycleMs = performance.now() - start;
  if (isLeft(cycle)) throw new Error(cycle.left);
  const allocationStart = watch.startedAt() ?? start + cycleMs;
  return {
    create_10k_agents_ms: round(createMs),
    cycle_10k_agents_ms: round(cycleMs),
    bidding_10k_ms: round(allocationStart - start),
    allocation_10k_ms: round(start + cycleMs - allocationStart),
  };
}

/** The same first cycle of the same world, run by the plain reference, with the same watch on its events: the economy's own work. */
function plainCycle(agents: number): number {
  const config = populationConfig(agents, 1);
  const done = runPlainEconomy(config, createEventBus(config.scenario_id, [allocationWatch()]));
  if (isLeft(done)) throw new Error(done.left);
  return round(done.right.cycleMs[0]!);
}

/**
 * A smaller world first, so that the figure is the engine's rather than the JIT compiler's warming up;
 * each world's cycle takes turns with the plain reference's.
 */
async function benchWorldCycle() {
  await worldCycle(WARM_UP_AGENTS);
  plainCycle(WARM_UP_AGENTS);
  const runs = [];
  const plain: number[] = [];
  for (let run = 0; run < WORLD_RUNS; run += 1) {
    runs.push(await worldCycle(WORLD_AGENTS));
    plain.push(plainCycle(WORLD_AGENTS));
  }
  return { ...medianBy(runs, (run) => run.cycle_10k_agents_ms), plain_cycle_10k_ms: median(plain) };
}

/** The population run as a study runs it: no trace, the metrics collector tallying every event, one row a cycle. */
async function benchMetricsRun(agents: number, cycles: number): Promise<number> {
  const config = populationConfig(agents, cycles);
  const metrics = metricsCollector(new Map(config.agents.map(({ id }) => [id, 'bench'])), ['bench']);
  const start = performance.now();
  const created = createWorld(config, [metrics]);
  if (isLeft(created)) throw new Error(created.left.join('\n'));
  const world = created.right;
  await runToEnd(world, (cycle) => {
    const ledger = world.ledger();
    metrics.close(cycle.cycle, world.prices(), ledger, totalSupply(ledger));
  });
  return round(performance.now() - start);
}

/** The run whose `figure` is the median of the runs' (an odd number of them). */
function medianBy<Run>(runs: readonly Run[], figure: (run: Run) => number): Run {
  const middle = median(runs.map(figure));
  return runs.find((run) => figure(run) === middle)!;
}

const byRunTime = (run: PopulationRun) => run.population_run_ms;

/**
 * The engine's population run and its metrics run, each against the plain reference, taking turns
 * (engine, reference, engine, reference...) so that a burst of other work on a shared machine does not
 * fall on one side of a ratio only; each figure is the median of its runs. The reference runs in a
 * fraction of a second: a smaller run of each first, so that its figure is not the JIT's warming up.
 */
async function benchAgainstReference() {
  await benchPlain(POPULATION / 10, POPULATION_CYCLES / 10, true);
  await benchPlain(POPULATION / 10, POPULATION_CYCLES / 10, false);
  const runs: Awaited<ReturnType<typeof benchPopulation>>[] = [];
  const metricsRuns: number[] = [];
  const traced: number[] = [];
  const silent: number[] = [];
  for (let turn = 0; turn < POPULATION_RUNS; turn += 1) {
    runs.push(await benchPopulation(POPULATION, POPULATION_CYCLES));
    traced.push((await benchPlain(POPULATION, POPULATION_CYCLES, true)).population_run_ms);
    metricsRuns.push(await benchMetricsRun(POPULATION, POPULATION_CYCLES));
    silent.push((await benchPlain(POPULATION, POPULATION_CYCLES, false)).population_run_ms);
  }
  return {
    run: medianBy(runs, byRunTime),
    metricsRunMs: median(metricsRuns),
    plain: { plain_traced_ms: median(traced), plain_silent_ms: median(silent) },
  };
}

/** The minimal machine of XState's floor: one state, one assign. */
const counterMachine = setup({
  types: {} as { context: { count: number }; events: { type: 'tick' } },
  actions: { count: assign({ count: ({ context }) => context.count + 1 }) },
}).createMachine({ context: { count: 0 }, on: { tick: { actions: 'count' } } });

function benchMachineFloor(): number {
  const actor = createActor(counterMachine).start();
  const tick = { type: 'tick' } as const;
  const sendAll = () => {
    for (let sent = 0; sent < FLOOR_EVENTS; sent += 1) actor.send(tick);
  };
  sendAll();
  const ms = median(Array.from({ length: CLEARING_RUNS }, () => timed(sendAll)[1]));
  return Math.round((ms * 1000 * 100) / FLOOR_EVENTS) / 100;
}

/** Counts the events that machines (not brains) take in the runs it inspects. */
function machineEventCounter() {
  let events = 0;
  const inspect = {
    next(inspection: InspectionEvent) {
      const target = inspection.actorRef;
      if (inspection.type === '@xstate.event' && target instanceof Actor && target.logic instanceof StateMachine) events += 1;
    },
  };
  return { inspect, events: () => events };
}

/** Counted by inspection on runs of their own, since inspecting slows the run it watches. */
async function countMachineEvents() {
  const cycle10k = machineEventCounter();
  const created = createWorld(populationConfig(WORLD_AGENTS, 1), [], cycle10k.inspect);
  if (isLeft(created)) throw new Error(created.left.join('\n'));
  const opening = cycle10k.events();
  const cycle = await created.right.runCycle();
  created.right.stop();
  if (isLeft(cycle)) throw new Error(cycle.left);
  const populationRun = machineEventCounter();
  const config = populationConfig(POPULATION, COUNTED_CYCLES);
  const run = await runWorld(config, { keepTrace: false, inspect: populationRun.inspect });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  const agentCycles = run.right.cycles.reduce((sum, { alive }) => sum + alive, 0);
  return { inCycle10k: cycle10k.events() - opening, perAgentCycle: Math.round((populationRun.events() / agentCycles) * 100) / 100 };
}

async function benchSweepSpeedup() {
  // Each thread's start and warm-up cost about a second: with 3 runs a thread it was a third of the work.
  const points = sweepPoints({ cycles: 40 }, [{ param: 'budget_fraction', values: [0.02, 0.1] }], ['1', '2', '3', '4', '5', '6']);
  if (isLeft(points)) throw new Error(points.left.join('\n'));
  const timed = async (workers: number) => {
    const started = performance.now();
    const rows = await runSweep(points.right, workers);
    if (isLeft(rows)) throw new Error(rows.left);
    return round(performance.now() - started);
  };
  const one = await timed(1);
  const two = await timed(2);
  return { sweep_1_worker_ms: one, sweep_2_workers_ms: two, sweep_speedup: ratio(one, two) };
}

type Say = (line: string) => void;

function sayPopulationRun(say: Say, agents: number, cycles: number, run: ApartRun | Awaited<ReturnType<typeof benchPopulation>>) {
  say(
    `population ${agents.toLocaleString('en')} agents x ${cycles} cycles: ${run.population_run_ms} ms, ` +
      `${run.agent_cycles_per_sec.toLocaleString('en')} agent-cycles/s (${run.us_per_agent_cycle} µs each), ${run.events_per_sec?.toLocaleString('en')} events/s`,
  );
}

async function measureSweep(say: Say) {
  const sweep = await benchSweepSpeedup();
  say(`sweep of 12 runs: ${sweep.sweep_1_worker_ms} ms on 1 worker, ${sweep.sweep_2_workers_ms} ms on 2: x${sweep.sweep_speedup}`);
  return sweep;
}

/** XState's floor for creating a world's agents: as many minimal actors, each started, each with an id. */
function benchActorCreation(actors: number): number {
  const started: Actor<typeof counterMachine>[] = [];
  const [, ms] = timed(() => {
    for (let made = 0; made < actors; made += 1) started.push(createActor(counterMachine, { id: `agent:${made}` }).start());
  });
  for (const actor of started) actor.stop();
  return round(ms);
}

/**
 * The 1,000 x 100 run as the reference of the 100,000 x 3 run's cost, and the plain reference's same
 * two runs: how far the economy's own work scales at that size, with no actor at all. Every run is in
 * a process of its own, as a user's command is, taking turns so that a burst of other work on a
 * shared machine falls on no one run; each figure is the median of its runs.
 */
async function measureLarge(say: Say) {
  const runs = { small: [] as ApartRun[], large: [] as ApartRun[], plainSmall: [] as ApartRun[], plainLarge: [] as ApartRun[] };
  const actorCreation: number[] = [];
  for (let turn = 0; turn < LARGE_RUNS; turn += 1) {
    runs.small.push(await runPopulationApart('engine', POPULATION, POPULATION_CYCLES));
    runs.plainSmall.push(await runPopulationApart('plain', POPULATION, POPULATION_CYCLES));
    runs.large.push(await runPopulationApart('engine', LARGE_POPULATION, LARGE_CYCLES));
    runs.plainLarge.push(await runPopulationApart('plain', LARGE_POPULATION, LARGE_CYCLES));
    actorCreation.push(benchActorCreation(LARGE_POPULATION));
  }
  const [small, large, plainSmall, plainLarge] = [medianBy(runs.small, byRunTime), medianBy(runs.large, byRunTime), medianBy(runs.plainSmall, byRunTime), medianBy(runs.plainLarge, byRunTime)];
  sayPopulationRun(say, POPULATION, POPULATION_CYCLES, small);
  sayPopulationRun(say, LARGE_POPULATION, LARGE_CYCLES, large);
  const largeVsSmall = ratio(large.us_per_agent_cycle, small.us_per_agent_cycle);
  const plainLargeVsSmall = ratio(plainLarge.us_per_agent_cycle, plainSmall.us_per_agent_cycle);
  const largePeakRss = Math.max(...runs.large.map((run) => run.peak_rss_mb));
  say(`cost of an agent-cycle at ${LARGE_POPULATION.toLocaleString('en')} agents: x${largeVsSmall} that at ${POPULATION.toLocaleString('en')}; peak RSS ${largePeakRss} MB`);
  say(
    `the plain reference, its trace streamed: ${plainSmall.us_per_agent_cycle} µs an agent-cycle at ${POPULATION.toLocaleString('en')} agents, ` +
      `${plainLarge.us_per_agent_cycle} at ${LARGE_POPULATION.toLocaleString('en')}: x${plainLargeVsSmall}`,
  );
  const createFloorMs = median(actorCreation);
  const createMs = large.create_ms ?? Number.NaN;
  const pastCreation = ratio((large.population_run_ms - createMs) / large.agent_cycles, small.population_run_ms / small.agent_cycles);
  // What no engine of actors goes below: the economy's own scaling, and XState's creation of its agents spread over the run's agent-cycles.
  const largeFloorUs = (small.us_per_agent_cycle * plainLarge.us_per_agent_cycle) / plainSmall.us_per_agent_cycle + (createFloorMs * 1000) / large.agent_cycles;
  const largeFloor = ratio(largeFloorUs, small.us_per_agent_cycle);
  say(
    `creating its ${LARGE_POPULATION.toLocaleString('en')} agents: ${createMs} ms; XState alone creates as many minimal actors in ${createFloorMs} ms. ` +
      `Past their creation, an agent-cycle of the large run costs x${pastCreation} one of the reference. ` +
      `The floor of large_vs_small_cost, the plain reference's x${plainLargeVsSmall} and XState's creation of as many actors: x${largeFloor}`,
  );
  return {
    small_agent_cycles_per_sec: small.agent_cycles_per_sec,
    small_us_per_agent_cycle: small.us_per_agent_cycle,
    small_run_ms: small.population_run_ms,
    large_run_ms: large.population_run_ms,
    large_agent_cycles: large.agent_cycles,
    large_us_per_agent_cycle: large.us_per_agent_cycle,
    large_vs_small_cost: largeVsSmall,
    large_peak_rss_mb: largePeakRss,
    create_100k_agents_ms: createMs,
    xstate_create_100k_ms: createFloorMs,
    large_vs_small_cost_past_creation: pastCreation,
    plain_us_per_agent_cycle: plainSmall.us_per_agent_cycle,
    plain_large_us_per_agent_cycle: plainLarge.us_per_agent_cycle,
    plain_large_vs_small_cost: plainLargeVsSmall,
    large_vs_small_floor: largeFloor,
  };
}

async function benchObserverOverhead(): Promise<{ observer_overhead: number; observed_replay_ms: number }> {
  const scenario = loadScenarioFile(join(PROJECT_SCENARIOS_DIR, 'economic_reasoning', `${OBSERVED_SCENARIO}.json`));
  const script = loadScript(join(PROJECT_SCENARIOS_DIR, 'economic_reasoning', `${OBSERVED_SCENARIO}.reference.script.json`));
  if (isLeft(scenario) || isLeft(script)) throw new Error(`${OBSERVED_SCENARIO} or its reference script does not load`);
  const judge = judgeNamed('rubric', PROJECT_SCENARIOS_DIR);
  const replayMs = async (watchStates: boolean) => {
    const start = performance.now();
    for (let replayed = 0; replayed < REPLAYS_PER_RUN; replayed++) {
      const replay = await replayScenario(scenario.right, script.right, { seed: 1, judge, watchStates });
      if (isLeft(replay)) throw new Error(replay.left.join('\n'));
    }
    return (performance.now() - start) / REPLAYS_PER_RUN;
  };
  await replayMs(true);
  const watched: number[] = [];
  const unwatched: number[] = [];
  for (let run = 0; run < OBSERVER_RUNS; run++) {
    watched.push(await replayMs(true));
    unwatched.push(await replayMs(false));
  }
  return { observer_overhead: ratio(median(watched), median(unwatched)), observed_replay_ms: round(median(watched)) };
}

async function measureDefault(say: Say) {
  const clearing = benchClearing();
  say(
    `clearing ${BID_COUNT.toLocaleString('en')} bids: ${clearing.clear_100k_bids_ms} ms, sorting their amounts ${clearing.sort_100k_ms} ms ` +
      `(medians of ${CLEARING_RUNS}): x${clearing.clearing_vs_sort}`,
  );
  const cycle = await benchWorldCycle();
  say(
    `${WORLD_AGENTS.toLocaleString('en')} agents: created in ${cycle.create_10k_agents_ms} ms; one cycle ${cycle.cycle_10k_agents_ms} ms ` +
      `(bidding ${cycle.bidding_10k_ms} ms, allocation and windows ${cycle.allocation_10k_ms} ms)`,
  );
  const { run, metricsRunMs, plain } = await benchAgainstReference();
  sayPopulationRun(say, POPULATION, POPULATION_CYCLES, run);
  const tracedVsPlain = ratio(run.population_run_ms, plain.plain_traced_ms);
  const metricsVsPlain = ratio(metricsRunMs, plain.plain_silent_ms);
  say(
    `the same economy, plain reference: ${plain.plain_traced_ms} ms with its trace streamed (the engine x${tracedVsPlain}), ` +
      `${plain.plain_silent_ms} ms recording nothing (the engine with only metrics, ${metricsRunMs} ms: x${metricsVsPlain})`,
  );
  const peakRss = peakRssMb();
  say(`peak RSS: ${peakRss} MB`);
  const floorUs = benchMachineFloor();
  const machineEvents = await countMachineEvents();
  const floorRate = Math.round(1e6 / (floorUs * machineEvents.perAgentCycle));
  const floorCycleMs = round((machineEvents.inCycle10k * floorUs) / 1000);
  const cycleFloorMs = round(floorCycleMs + cycle.plain_cycle_10k_ms);
  const cycleVsFloor = ratio(cycle.cycle_10k_agents_ms, cycleFloorMs);
  say(
    `XState floor: ${floorUs} µs an event to a minimal machine. The 10,000-agent cycle takes ${machineEvents.inCycle10k.toLocaleString('en')} ` +
      `machine events, ${floorCycleMs} ms at the floor alone; with the economy's own work (the plain reference's same cycle, ${cycle.plain_cycle_10k_ms} ms) ` +
      `its floor is ${cycleFloorMs} ms, and the cycle takes x${cycleVsFloor} that. The population run takes ${machineEvents.perAgentCycle} machine events an agent-cycle, ` +
      `at most ${floorRate.toLocaleString('en')} agent-cycles/s at the floor alone`,
  );
  const observer = await benchObserverOverhead();
  say(`the state observer: a replay of ${OBSERVED_SCENARIO} takes ${observer.observed_replay_ms} ms watching its states, x${observer.observer_overhead} one not watching them`);
  return {
    ...clearing,
    ...observer,
    cycle_10k_agents_ms: cycle.cycle_10k_agents_ms,
    cycle_10k_vs_floor: cycleVsFloor,
    agent_cycles_per_sec: run.agent_cycles_per_sec,
    us_per_agent_cycle: run.us_per_agent_cycle,
    population_vs_plain_traced: tracedVsPlain,
    metrics_vs_plain_silent: metricsVsPlain,
    metrics_run_ms: metricsRunMs,
    ...plain,
    peak_rss_mb: peakRss,
    create_10k_agents_ms: cycle.create_10k_agents_ms,
    bidding_10k_ms: cycle.bidding_10k_ms,
    allocation_10k_ms: cycle.allocation_10k_ms,
    population_run_ms: run.population_run_ms,
    events_per_sec: run.events_per_sec,
    machine_event_floor_us: floorUs,
    machine_events_cycle_10k: machineEvents.inCycle10k,
    machine_floor_cycle_10k_ms: floorCycleMs,
    plain_cycle_10k_ms: cycle.plain_cycle_10k_ms,
    cycle_10k_floor_ms: cycleFloorMs,
    machine_events_per_agent_cycle: machineEvents.perAgentCycle,
    machine_floor_agent_cycles_per_sec: floorRate,
  };
}

const MEASURES: Record<BenchRun, (say: Say) => Promise<Record<string, number>>> = { default: measureDefault, large: measureLarge, sweep: measureSweep };

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, { large: { type: 'boolean' }, 'sweep-speedup': { type: 'boolean' } }, 0);
  if (values.large === true && values['sweep-speedup'] === true) throw badInput('--large and --sweep-speedup are two separate measurements: give one of them');
  const run: BenchRun = values.large === true ? 'large' : values['sweep-speedup'] === true ? 'sweep' : 'default';
  const say: Say = (line) => process.stdout.write(`${line}\n`);
  // The load before the bench adds its own: the figures depend on what else the machine is doing.
  const machine = { load_average: Math.round(loadavg()[0]! * 100) / 100, cores: availableParallelism() };
  say(`machine: ${machine.cores} cores, load average ${machine.load_average} (last minute, before the bench)`);
  const figures = await MEASURES[run](say);
  const checks = checkTargets(figures, run);
  for (const line of targetsTable(checks)) say(line);
  say(JSON.stringify({ ...figures, ...machine, targets: targetsJson(checks) }));
  return 0;
}

runWhenMain(import.meta, main);
