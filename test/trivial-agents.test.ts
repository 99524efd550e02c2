import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { chooseAgent } from '../harness/agents/agent-options';
import { parseAgentSpec, trivialAgentFactory, type TrivialAgentKind } from '../harness/agents/agent-spec';
import { runTrivialAgents } from '../harness/evaluation/trivial-check';
import { createRubricJudge } from '../harness/judges/rubric/rubric-judge';
import { runPlanned } from '../harness/replay/benchmark';
import { PROJECT_SCENARIOS_DIR, scriptFileOf } from '../harness/scenarios/companions';
import { loadScenarioDir, type LoadedScenario } from '../harness/scenarios/constructor';
import { cyclesOf, loadScript } from '../harness/scenarios/scripts';
import { eventsOf } from './fixtures/events-of';

/**
 * The trivial agents (`--agent null`, `--agent random`) and `build.ts --check-trivial`: no scenario of
 * the project is passed by an agent that ends every turn or calls tools at random, and the check names
 * a scenario written to be passable by doing nothing.
 */

const judge = createRubricJudge();
const { scenarios } = loadScenarioDir(PROJECT_SCENARIOS_DIR);
const scenario = (id: string): LoadedScenario => scenarios.find((loaded) => loaded.id === id)!;

async function traceOf(id: string, agent: TrivialAgentKind, seed: number) {
  const loaded = scenario(id);
  const script = loadScript(scriptFileOf({ domain: loaded.scenario.domain, id }, 'reference'));
  if (isLeft(script)) throw new Error(script.left.join('\n'));
  const run = await runPlanned({ loaded, script }, { seed, judge, agent: { factory: trivialAgentFactory(agent), cycles: cyclesOf(script.right.value) } });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace;
}

function build(...args: string[]) {
  const run = spawnSync('npx', ['tsx', 'harness/build.ts', ...args], { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('--agent null and --agent random are agents like the others; options that do not apply are refused', () => {
  assert.equal(parseAgentSpec('null'), { _tag: 'Right', right: { kind: 'null' } });
  assert.equal(parseAgentSpec('random'), { _tag: 'Right', right: { kind: 'random' } });
  assert.ok(isLeft(parseAgentSpec('nul')));
  const chosen = chooseAgent({ agent: 'random', cycles: '2' }, {});
  assert.ok(isRight(chosen) && chosen.right?.cycles === 2);
  assert.equal(chooseAgent({ agent: 'null', 'turn-timeout': '5' }, {}), {
    _tag: 'Left',
    left: '--turn-timeout does not apply to a trivial agent (--agent null or random), which answers at once',
  });
});

test('the null agent only ends its turns: no call, no reasoning', async () => {
  const trace = await traceOf('fc_003', 'null', 1);
  assert.equal(eventsOf(trace, 'tool_call_initiated', 'agent_under_test'), []);
  assert.equal(eventsOf(trace, 'reasoning_trace', 'agent_under_test'), []);
});

test('the random agent: seeded (the same seed, the same trace; another seed, another), and its calls decode', async () => {
  const first = await traceOf('fc_005', 'random', 1);
  assert.equal(await traceOf('fc_005', 'random', 1), first);
  assert.ok(eventsOf(first, 'tool_call_initiated', 'agent_under_test').length > 0, 'the random agent made no call');
  assert.not.equal(await traceOf('fc_005', 'random', 2), first);
  for (const id of ['fc_001', 'fc_005', 'er_008']) {
    for (const seed of [1, 2, 3]) {
      const completed = eventsOf(await traceOf(id, 'random', seed), 'tool_call_completed', 'agent_under_test');
      // What the call itself gets wrong; a name the world does not have (a service, a workspace) is the world's answer.
      const malformed = completed.filter((event) => event.data.result === 'failure' && /^(invalid_arguments|invalid_bundle|unknown_tool|not_allowed_while_)/.test(String(event.data.reason)));
      assert.equal(malformed.map((event) => event.data), [], `${id} seed ${seed}`);
    }
  }
});

test('no scenario of the project is passed by the null agent, nor by the random agent (seed 1)', async () => {
  const runs = await runTrivialAgents(scenarios, { seed: 1, randomRuns: 1, judge, companions: PROJECT_SCENARIOS_DIR });
  if (isLeft(runs)) throw new Error(runs.left.join('\n'));
  assert.is(runs.right.length, 2 * 25);
  assert.equal(runs.right.filter((run) => run.passed), []);
});

test('build.ts --check-trivial names the scenario written to be passable by doing nothing, and exits 1', () => {
  const run = build('test/fixtures/trivial', '--check-trivial', '--random-runs', '2');
  assert.is(run.status, 1, run.stderr);
  assert.equal(run.stdout.split('\n'), [
    'functional_competence   2 scenarios  fc_900 … fc_901',
    'total                   2 scenarios',
    'trivial agents: null passed 1 of 2 runs (seed 1), random passed 2 of 4 runs (seeds 1..2)',
    'fc_900 (test/fixtures/trivial/functional_competence/fc_900.json): passed by null (seed 1), random (seeds 1, 2); a scenario a trivial agent passes measures nothing',
    '',
  ]);
});

test('build.ts: --seed and --random-runs need --check-trivial and a fitting number', () => {
  const alone = build('test/fixtures/trivial', '--seed', '3');
  assert.is(alone.status, 2);
  assert.is(alone.stderr, '--seed applies to --check-trivial\n');
  const none = build('test/fixtures/trivial', '--check-trivial', '--random-runs', '0');
  assert.is(none.status, 2);
  assert.is(none.stderr, '--random-runs: expected a positive integer, got 0\n');
});

test.run();
