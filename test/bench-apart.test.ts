import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import { runPopulationApart } from '../harness/bench/population-apart';

/** `bench.ts --large` runs each population in a process of its own and reads back its figures. */

test('a run apart reports the figures of its own process: the engine and the plain reference count the same agent-cycles', async () => {
  const engine = await runPopulationApart('engine', 30, 4);
  const plain = await runPopulationApart('plain', 30, 4);
  assert.ok(engine.agent_cycles > 0 && engine.agent_cycles <= 120, `agent-cycles ${engine.agent_cycles}`);
  assert.is(plain.agent_cycles, engine.agent_cycles);
  assert.ok(engine.create_ms !== undefined && engine.events_per_sec !== undefined);
  assert.is(plain.create_ms, undefined);
  for (const run of [engine, plain]) assert.ok(run.peak_rss_mb > 20 && run.population_run_ms > 0, JSON.stringify(run));
});

test('a run apart loads from any folder the bench is started in', async () => {
  const folder = process.cwd();
  process.chdir(tmpdir());
  try {
    assert.ok((await runPopulationApart('plain', 10, 2)).agent_cycles > 0);
  } finally {
    process.chdir(folder);
  }
});

test('a run apart that fails rejects, with the child’s one-line reason rather than figures', async () => {
  const failure = await runPopulationApart('engine', 0, 4).then(
    (run) => `resolved ${JSON.stringify(run)}`,
    (error: Error) => error.message,
  );
  assert.is(failure, 'the engine run of 0 agents x 4 cycles in its own process ended with exit 1: error: expected engine or plain, then positive whole numbers of agents and cycles, got engine 0 4');
});

test.run();
