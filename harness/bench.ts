import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { Actor, assign, createActor, setup, StateMachine, type InspectionEvent } from 'xstate';
import { clearAuction, type Bid } from '../domain/auction';
import type { Balances } from '../domain/ledger';
import { nextFloat, randomStream, type RandomStream } from '../domain/random';
import type { ResourceBundle } from '../domain/resources';
import { createWorld, openJsonlSink, runWorld, type TraceSink } from '../machines';
import { parseCommandLine, runWhenMain } from './cli/cli';
import { population } from './simulation/population';
import { runSweep, sweepPoints } from './simulation/sweep';

const USAGE = `Usage: npx tsx harness/bench.ts

Measures the engine on this machine and ends with one JSON line of figures:
  clear_100k_bids_ms    the pure clearing function on 100,000 random bids (median of 5 runs)
  cycle_10k_agents_ms   10,000 agent actors each bid through the scheduler actor in their bidding
                        turn, then one allocation (and the winners' windows): the median of 3 fresh
                        worlds after a warm-up world; the agents' creation is reported apart as
                        create_10k_agents_ms, the phases as bidding_10k_ms and allocation_10k_ms
  agent_cycles_per_sec  a population run of 1,000 agents x 100 cycles streaming its trace to a file
  peak_rss_mb           the process's peak resident memory

and, to put the engine's figures in proportion to XState's own cost:
  machine_event_floor_us               what one event costs a minimal machine (one state, one
                                       assign) on this machine
  machine_events_cycle_10k             how many events the orchestrator, scheduler and agent
                                       machines take in the 10,000-agent cycle
  machine_floor_cycle_10k_ms           what those events alone cost at the floor, with nothing
                                       else done at all
  machine_events_per_agent_cycle       the same count per agent-cycle of the population run
  machine_floor_agent_cycles_per_sec   the rate those events alone would allow at the floor cost

With --sweep-speedup, measures instead how a population sweep scales over worker threads (about
half a minute on two cores):
  sweep_1_worker_ms, sweep_2_workers_ms  the same sweep (the default study economy, 40 cycles,
                                         budget_fraction 0.02 and 0.1, seeds 1..3) on 1 and on 2
                                         worker threads, thread start-up included
  sweep_speedup                          the first over the second; the issue asks for at least 1.4
  load_average_1m                        the machine's load when the measurement began: above about
                                         1, other work shares the cores and the speed-up says little

  --sweep-speedup   measure the sweep speed-up only
  -h, --help        print this help

Exit status: 0 when every figure was measured; 1 when a measurement failed; 2 on a bad flag.`;

/** What the issue asks of this 2-core machine. */
const TARGETS = { clear_100k_bids_ms: 100, cycle_10k_agents_ms: 150, agent_cycles_per_sec: 30_000, peak_rss_mb: 1024 };

const BID_COUNT = 100_000;
const BIDDERS = 10_000;
const CLEARING_RUNS = 5;
const WORLD_AGENTS = 10_000;
const WARM_UP_AGENTS = 1_000;
const WORLD_RUNS = 3;
const FLOOR_EVENTS = 200_000;
const COUNTED_CYCLES = 10;
const POPULATION = 1_000;
const POPULATION_CYCLES = 100;
const BALANCE = 1_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

function randomBids(count: number, bidders: number): { bids: Bid[]; balances: Balances } {
  let stream: RandomStream = randomStream('bench:bids');
  const draw = () => {
    const [value, next] = nextFloat(stream);
    stream = next;
    return value;
  };
  const bids = Array.from({ length: count }, (_, index): Bid => {
    const bundle: ResourceBundle = { cpu: draw() * 0.05, memory: draw() * 0.05, tokens: draw() * 0.02, attention: 0, duration_seconds: 60 };
    return { bid_id: `bid-${index}`, agent_id: `agent-${index % bidders}`, amount: Math.round(draw() * 10_000) / 100, bundle, sequence: index };
  });
  const balances = Object.fromEntries(Array.from({ length: bidders }, (_, index) => [`agent-${index}`, BALANCE]));
  return { bids, balances };
}

function benchClearing(): number {
  const { bids, balances } = randomBids(BID_COUNT, BIDDERS);
  clearAuction(bids, balances);
  return median(Array.from({ length: CLEARING_RUNS }, () => timed(() => clearAuction(bids, balances))[1]));
}

/** Notes when the allocation starts, from the trace, so that the cycle can be split into its phases. */
function allocationWatch(): TraceSink & { startedAt(): number | undefined } {
  let startedAt: number | undefined;
  return {
    write(event) {
      if (startedAt === undefined && event.type === 'bid_processed') startedAt = performance.now();
    },
    startedAt: () => startedAt,
  };
}

async function worldCycle(agents: number) {
  const watch = allocationWatch();
  const config = { scenario_id: 'bench', seed: 1, cycles: 1, agents: population(agents, BALANCE) };
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

/** A smaller world first, so that the figure is the engine's rather than the JIT compiler's warming up. */
async function benchWorldCycle() {
  await worldCycle(WARM_UP_AGENTS);
  const runs = [];
  for (let run = 0; run < WORLD_RUNS; run += 1) runs.push(await worldCycle(WORLD_AGENTS));
  const middle = median(runs.map((run) => run.cycle_10k_agents_ms));
  return runs.find((run) => run.cycle_10k_agents_ms === middle)!;
}

async function benchPopulation() {
  const dir = mkdtempSync(join(tmpdir(), 'syntropism-bench-'));
  try {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    const config = { scenario_id: 'bench', seed: 1, cycles: POPULATION_CYCLES, agents: population(POPULATION, BALANCE) };
    const start = performance.now();
    const run = await runWorld(config, { sinks: [sink.right], keepTrace: false });
    const ms = performance.now() - start;
    sink.right.close();
    if (isLeft(run)) throw new Error(run.left.join('\n'));
    const agentCycles = run.right.cycles.reduce((sum, { alive }) => sum + alive, 0);
    const events = run.right.cycles.at(-1)?.events ?? 0;
    return {
      agent_cycles: agentCycles,
      agent_cycles_per_sec: Math.round(agentCycles / (ms / 1000)),
      events_per_sec: Math.round(events / (ms / 1000)),
      population_run_ms: round(ms),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchMachineFloor(): number {
  const counter = setup({
    types: {} as { context: { count: number }; events: { type: 'tick' } },
    actions: { count: assign({ count: ({ context }) => context.count + 1 }) },
  }).createMachine({ context: { count: 0 }, on: { tick: { actions: 'count' } } });
  const actor = createActor(counter).start();
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
  const created = createWorld({ scenario_id: 'bench', seed: 1, cycles: 1, agents: population(WORLD_AGENTS, BALANCE) }, [], cycle10k.inspect);
  if (isLeft(created)) throw new Error(created.left.join('\n'));
  const opening = cycle10k.events();
  const cycle = await created.right.runCycle();
  created.right.stop();
  if (isLeft(cycle)) throw new Error(cycle.left);
  const populationRun = machineEventCounter();
  const config = { scenario_id: 'bench', seed: 1, cycles: COUNTED_CYCLES, agents: population(POPULATION, BALANCE) };
  const run = await runWorld(config, { keepTrace: false, inspect: populationRun.inspect });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  const agentCycles = run.right.cycles.reduce((sum, { alive }) => sum + alive, 0);
  return { inCycle10k: cycle10k.events() - opening, perAgentCycle: Math.round((populationRun.events() / agentCycles) * 100) / 100 };
}

const SWEEP_TARGET_SPEEDUP = 1.4;

async function benchSweepSpeedup() {
  const [load] = loadavg();
  const points = sweepPoints({ cycles: 40 }, [{ param: 'budget_fraction', values: [0.02, 0.1] }], ['1', '2', '3']);
  if (isLeft(points)) throw new Error(points.left.join('\n'));
  const timed = async (workers: number) => {
    const started = performance.now();
    const rows = await runSweep(points.right, workers);
    if (isLeft(rows)) throw new Error(rows.left);
    return round(performance.now() - started);
  };
  const one = await timed(1);
  const two = await timed(2);
  return { sweep_1_worker_ms: one, sweep_2_workers_ms: two, sweep_speedup: Math.round((one / two) * 100) / 100, target_speedup: SWEEP_TARGET_SPEEDUP, load_average_1m: load };
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, { 'sweep-speedup': { type: 'boolean' } }, 0);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (values['sweep-speedup'] === true) {
    const sweep = await benchSweepSpeedup();
    say(`sweep of 6 runs: ${sweep.sweep_1_worker_ms} ms on 1 worker, ${sweep.sweep_2_workers_ms} ms on 2: x${sweep.sweep_speedup} (load average ${sweep.load_average_1m})`);
    say(JSON.stringify(sweep));
    return 0;
  }
  const clearing = round(benchClearing());
  say(`clearing ${BID_COUNT.toLocaleString('en')} bids: ${clearing} ms (median of ${CLEARING_RUNS})`);
  const cycle = await benchWorldCycle();
  say(
    `${WORLD_AGENTS.toLocaleString('en')} agents: created in ${cycle.create_10k_agents_ms} ms; one cycle ${cycle.cycle_10k_agents_ms} ms ` +
      `(bidding ${cycle.bidding_10k_ms} ms, allocation and windows ${cycle.allocation_10k_ms} ms)`,
  );
  const run = await benchPopulation();
  say(
    `population ${POPULATION.toLocaleString('en')} agents x ${POPULATION_CYCLES} cycles: ${run.population_run_ms} ms, ` +
      `${run.agent_cycles_per_sec.toLocaleString('en')} agent-cycles/s, ${run.events_per_sec.toLocaleString('en')} events/s`,
  );
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  say(`peak RSS: ${peakRssMb} MB`);
  const floorUs = benchMachineFloor();
  const machineEvents = await countMachineEvents();
  const floorRate = Math.round(1e6 / (floorUs * machineEvents.perAgentCycle));
  const floorCycleMs = round((machineEvents.inCycle10k * floorUs) / 1000);
  say(
    `XState floor: ${floorUs} µs an event to a minimal machine. The 10,000-agent cycle takes ${machineEvents.inCycle10k.toLocaleString('en')} ` +
      `machine events, ${floorCycleMs} ms at the floor alone; the population run ${machineEvents.perAgentCycle} an agent-cycle, ` +
      `at most ${floorRate.toLocaleString('en')} agent-cycles/s at the floor alone`,
  );
  const figures = {
    clear_100k_bids_ms: clearing,
    cycle_10k_agents_ms: cycle.cycle_10k_agents_ms,
    agent_cycles_per_sec: run.agent_cycles_per_sec,
    peak_rss_mb: peakRssMb,
    create_10k_agents_ms: cycle.create_10k_agents_ms,
    bidding_10k_ms: cycle.bidding_10k_ms,
    allocation_10k_ms: cycle.allocation_10k_ms,
    population_run_ms: run.population_run_ms,
    events_per_sec: run.events_per_sec,
    machine_event_floor_us: floorUs,
    machine_events_cycle_10k: machineEvents.inCycle10k,
    machine_floor_cycle_10k_ms: floorCycleMs,
    machine_events_per_agent_cycle: machineEvents.perAgentCycle,
    machine_floor_agent_cycles_per_sec: floorRate,
    targets: TARGETS,
  };
  say(JSON.stringify(figures));
  return 0;
}

runWhenMain(import.meta, main);
