import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { runPlainEconomy } from '../harness/bench/plain-economy';
import { decodeStudy, studyAgents, studyWorld } from '../harness/simulation/study';
import { population } from '../harness/simulation/population';
import { createEventBus, defineAsyncBrain, runWorld, traceRecorder, type WorldConfig } from '../machines';

/** The bench's plain reference must run the engine's economy event for event: its trace is the engine's, byte for byte. */

async function engineTrace(config: WorldConfig): Promise<string[]> {
  const run = await runWorld(config);
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace.map((event) => JSON.stringify(event));
}

function plainTrace(config: WorldConfig): string[] {
  const recorder = traceRecorder();
  const run = runPlainEconomy(config, createEventBus(config.scenario_id, [recorder]));
  if (isLeft(run)) throw new Error(run.left);
  return recorder.events.map((event) => JSON.stringify(event));
}

/** The first line where the two differ, so that a failure shows the event the reference got wrong. */
function firstDifference(engine: readonly string[], plain: readonly string[]): string | undefined {
  for (let line = 0; line < Math.max(engine.length, plain.length); line += 1) {
    if (engine[line] !== plain[line]) return `line ${line + 1}:\n  engine ${engine[line]}\n  plain  ${plain[line]}`;
  }
  return undefined;
}

function study(config: Record<string, unknown>): () => WorldConfig {
  const decoded = decodeStudy(config);
  if (isLeft(decoded)) throw new Error(decoded.left.join('\n'));
  // A fresh world each time: the simulated human keeps its own stream.
  return () => studyWorld(decoded.right, studyAgents(decoded.right).agents);
}

const ECONOMIES: Record<string, () => WorldConfig> = {
  "the bench's population (one policy, many losers told with their next turn)": () => ({ scenario_id: 'bench', seed: 1, cycles: 12, agents: population(300, 1_000) }),
  'the default study economy (every policy, services, the human, sleepers)': study({ cycles: 30, seed: 7 }),
  'a poor population that sleeps and dies, on a scarce supply': study({
    cycles: 25,
    seed: 3,
    supply: { cpu: 0.3, memory: 1, tokens: 1, attention: 1 },
    groups: [
      { policy: 'fixed_share', count: 30, balance: 25, params: { budget_fraction: 0.3 } },
      { policy: 'random', count: 10, balance: 30 },
    ],
  }),
};

for (const [name, config] of Object.entries(ECONOMIES)) {
  test(`the plain reference writes the engine's trace byte for byte: ${name}`, async () => {
    const engine = await engineTrace(config());
    const plain = plainTrace(config());
    assert.ok(engine.length > 1_000, `a trace worth comparing: ${engine.length} events`);
    assert.is(firstDifference(engine, plain), undefined);
  });
}

test('the comparison can fail: another seed gives another trace', async () => {
  const engine = await engineTrace(ECONOMIES['the default study economy (every policy, services, the human, sleepers)']!());
  const other = plainTrace(study({ cycles: 30, seed: 8 })());
  assert.ok(firstDifference(engine, other) !== undefined);
});

test('without a bus the reference records nothing and still runs every agent-cycle', () => {
  const run = runPlainEconomy({ scenario_id: 'bench', seed: 1, cycles: 5, agents: population(40, 1_000) });
  assert.ok(!isLeft(run));
  if (!isLeft(run)) assert.equal([run.right.cycles, run.right.agentCycles, run.right.cycleMs.length], [5, 200, 5]);
});

test('a brain that is an actor of its own is refused, named', () => {
  const actorBrain = defineAsyncBrain(() => ({ act: async () => ({ kind: 'end_turn' }) }));
  const run = runPlainEconomy({ scenario_id: 'bench', seed: 1, cycles: 1, agents: [{ id: 'a', balance: 10, brain: actorBrain }] });
  assert.equal(isLeft(run) ? run.left : undefined, 'a: the plain reference runs only brains defined as plain functions');
});

test.run();
