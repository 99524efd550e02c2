import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createEventBus, createWorld, openJsonlSink, type CycleSummary, type TraceSink, type World, type WorldConfig } from '../../machines';
import { population } from '../simulation';
import { runPlainEconomy } from './plain-economy';
import { round, timed } from './timing';

/** The population runs the bench times: the engine's and the plain reference's, of one economy. */

const BALANCE = 1_000;

export function populationConfig(agents: number, cycles: number): WorldConfig {
  return { scenario_id: 'bench', seed: 1, cycles, agents: population(agents, BALANCE) };
}

/** What a population run took, and the figures made of it. */
export interface PopulationRun {
  readonly agent_cycles: number;
  readonly agent_cycles_per_sec: number;
  readonly us_per_agent_cycle: number;
  readonly population_run_ms: number;
}

function populationRun(agentCycles: number, ms: number): PopulationRun {
  return {
    agent_cycles: agentCycles,
    agent_cycles_per_sec: Math.round(agentCycles / (ms / 1000)),
    us_per_agent_cycle: Math.round((ms * 1000 * 100) / agentCycles) / 100,
    population_run_ms: round(ms),
  };
}

/** Runs `work` with a JSONL sink on a file of a fresh temporary folder, removed afterwards. */
async function withTraceFile<T>(work: (sink: TraceSink) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'syntropism-bench-'));
  try {
    const sink = openJsonlSink(join(dir, 'trace.jsonl'));
    if (isLeft(sink)) throw new Error(sink.left);
    try {
      return await work(sink.right);
    } finally {
      sink.right.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the world's cycles to its end, each cycle's summary to `onCycle`; the world is stopped either way. */
export async function runToEnd(world: World, onCycle: (cycle: CycleSummary) => void): Promise<void> {
  try {
    while (world.status() === 'ready') {
      const cycle = await world.runCycle();
      if (isLeft(cycle)) throw new Error(cycle.left);
      onCycle(cycle.right);
    }
  } finally {
    world.stop();
  }
}

/** The engine's population run streaming its trace to a file, keeping none of it in memory; its world's creation is timed apart too. */
export async function benchPopulation(agents: number, cycles: number): Promise<PopulationRun & { events_per_sec: number; create_ms: number }> {
  return withTraceFile(async (sink) => {
    const start = performance.now();
    const [created, createMs] = timed(() => createWorld(populationConfig(agents, cycles), [sink]));
    if (isLeft(created)) throw new Error(created.left.join('\n'));
    const world = created.right;
    let agentCycles = 0;
    await runToEnd(world, (cycle) => (agentCycles += cycle.alive));
    const ms = performance.now() - start;
    return { ...populationRun(agentCycles, ms), events_per_sec: Math.round(world.bus.emittedCount() / (ms / 1000)), create_ms: round(createMs) };
  });
}

/** The same economy run by the plain reference, its trace streamed to a file or not recorded at all. */
export async function benchPlain(agents: number, cycles: number, traced: boolean): Promise<PopulationRun> {
  const config = populationConfig(agents, cycles);
  const run = (bus?: ReturnType<typeof createEventBus>) => {
    const start = performance.now();
    const done = runPlainEconomy(config, bus);
    if (isLeft(done)) throw new Error(done.left);
    return populationRun(done.right.agentCycles, performance.now() - start);
  };
  return traced ? withTraceFile(async (sink) => run(createEventBus(config.scenario_id, [sink]))) : run();
}
