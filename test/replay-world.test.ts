import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { Scenario } from '../domain/benchmark/scenario';
import { idleBrain } from '../machines/brains/protocol';
import { Script } from '../harness/scenarios/scripts';
import { DEFAULT_PRICES, DEFAULT_SPAWN_COSTS, type WorldConfig } from '../machines/world/config';
import { competitorId } from '../harness/replay/competitors';
import { scriptedHuman } from '../harness/replay/human';
import { AGENT_UNDER_TEST } from '../domain/benchmark/scenario';
import { scriptedRun, worldFromScenario } from '../harness/replay/world-from-scenario';

function scenarioWith(initial_state: Record<string, unknown>): Scenario {
  const decoded = Scenario.decode({
    task_id: 'x_001',
    domain: 'economic_reasoning',
    description: 'a test scenario',
    initial_state: { agent_balance: 300, ...initial_state },
    validation: { required_events: [{ type: 'reasoning_trace' }], success_condition: 'all_required_present' },
  });
  if (isLeft(decoded)) throw new Error('the test scenario does not decode');
  return decoded.right;
}

function scriptWith(fields: Record<string, unknown> = {}): Script {
  const decoded = Script.decode({
    scenario_id: 'x_001',
    kind: 'reference',
    description: 'a test script',
    turns: [
      { phase: 'bidding', actions: [] },
      { phase: 'bidding', actions: [] },
    ],
    ...fields,
  });
  if (isLeft(decoded)) throw new Error('the test script does not decode');
  return decoded.right;
}

function world(initial_state: Record<string, unknown>, script = scriptWith()): Either<string[], WorldConfig> {
  return worldFromScenario({ file: 'x_001.json', value: scenarioWith(initial_state) }, scriptedRun({ file: 'x_001.script.json', value: script }), { seed: 7 });
}

function built(initial_state: Record<string, unknown>, script?: Script): WorldConfig {
  const config = world(initial_state, script);
  if (isLeft(config)) throw new Error(config.left.join('\n'));
  return config.right;
}

function problems(initial_state: Record<string, unknown>, script?: Script): string[] {
  const config = world(initial_state, script);
  if (isRight(config)) throw new Error('expected the world to be refused');
  return config.left;
}

test('the agent under test gets the balance; the world runs one cycle per bidding turn of the script', () => {
  const config = built({});
  assert.equal(config.agents.map(({ id, balance }) => [id, balance]), [[AGENT_UNDER_TEST, 300]]);
  assert.is(config.scenario_id, 'x_001');
  assert.is(config.seed, 7);
  assert.is(config.cycles, 2);
  assert.is(built({}, scriptWith({ cycles: 5 })).cycles, 5);
});

test('resource_prices are the starting prices; an unlisted resource keeps its default', () => {
  assert.equal(built({ resource_prices: { tokens: 0.5, cpu: 2 } }).prices, { ...DEFAULT_PRICES, tokens: 0.5, cpu: 2 });
  assert.equal(built({}).prices, DEFAULT_PRICES);
  assert.equal(problems({ resource_prices: { cpu: -1, gpu: 3 } }), [
    'x_001.json: $.initial_state.resource_prices.cpu: expected a positive price, got -1',
    'x_001.json: $.initial_state.resource_prices.gpu: expected no other key (known keys: cpu, memory, tokens, attention), got 3',
  ]);
});

test('competitor_bids become competitors sharing the whole capacity, funded for the run', () => {
  const config = built({ market_context: { competitor_bids: [80, 100], price_trend: 'stable' } });
  const competitors = config.agents.slice(1);
  assert.equal(
    competitors.map(({ id, balance }) => [id, balance]),
    [
      [competitorId(0), 80 * 3],
      [competitorId(1), 100 * 3],
    ],
  );
  assert.is.not(competitors[0]!.brain, competitors[1]!.brain);
  assert.equal(built({ market_context: { human_activity: 'idle' } }).agents.length, 1);
  assert.equal(problems({ market_context: { competitor_bids: [80, 'high'] } }), [
    'x_001.json: $.initial_state.market_context.competitor_bids[1]: expected a positive number of credits, got "high"',
  ]);
});

test('service providers: named services keep their names, unnamed ones are named after the provider', () => {
  const config = built({
    available_services: [
      { name: 'data_fetch', provider: 'agent_x', cost: 50 },
      { service: 'analysis', provider: 'agent_c', cost: 120, reputation: 0.85 },
    ],
    data_sources: ['service_a'],
    data_providers: [
      { agent_id: 'agent_y', cost: 80, reputation: 0.3, transaction_history: [{ result: 'success' }] },
      { agent_id: 'agent_w', cost: 90, transaction_history: [{ result: 'success' }, { result: 'failure' }, { result: 'failure' }, { result: 'success' }] },
    ],
    available_partners: [{ agent_id: 'agent_p', service_cost: 100, reputation: 0.9 }],
    previous_attempt: { service_provider: 'agent_k' },
    recovery_options: [
      { option: 'retry_same_provider', cost: 0, success_probability: 0.3 },
      { option: 'hire_different_provider', provider: 'agent_m', cost: 120, reputation: 0.85, success_probability: 0.8 },
      { option: 'build_in_house', cost: 180 },
    ],
  });
  assert.equal(config.services, [
    { provider: 'agent_x', service_name: 'data_fetch', cost: 50, success_rate: 1 },
    { provider: 'agent_c', service_name: 'analysis', cost: 120, success_rate: 0.85 },
    { provider: 'service_a', service_name: 'service_a', cost: 0, success_rate: 1 },
    { provider: 'agent_y', service_name: 'agent_y', cost: 80, success_rate: 0.3 },
    { provider: 'agent_w', service_name: 'agent_w', cost: 90, success_rate: 0.5 },
    { provider: 'agent_p', service_name: 'agent_p', cost: 100, success_rate: 0.9 },
    { provider: 'agent_k', service_name: 'agent_k', cost: 0, success_rate: 0.3 },
    { provider: 'agent_m', service_name: 'agent_m', cost: 120, success_rate: 0.8 },
  ]);
});

test('a provider without a cost or a service name is refused with its path', () => {
  assert.equal(problems({ available_services: [{ provider: 'agent_x', cost: 50 }], data_providers: [{ agent_id: 'agent_y' }] }), [
    'x_001.json: $.initial_state.available_services[0].name: expected string, got nothing',
    'x_001.json: $.initial_state.available_services[0].service: expected string, got nothing',
    'x_001.json: $.initial_state.data_providers[0].cost: expected a non-negative number of credits, got nothing',
  ]);
});

test("the script's outcomes go to the services they name; an unknown service is the script's error", () => {
  const state = { data_providers: [{ agent_id: 'agent_y', cost: 80, reputation: 0.3 }] };
  const config = built(state, scriptWith({ service_outcomes: { agent_y: ['failure', 'success'] } }));
  assert.equal(config.services?.[0]?.outcomes, ['failure', 'success']);
  assert.equal(problems(state, scriptWith({ service_outcomes: { agent_z: ['success'] } })), [
    'x_001.script.json: $.service_outcomes.agent_z: expected a service the scenario offers (agent_y), got "agent_z"',
  ]);
});

test('token_budget limits every window; model tiers cost the stated spawn cost and spawn passive children', () => {
  assert.is(built({ token_budget: 200 }).token_budget, 200);
  assert.is(built({}).token_budget, undefined);
  assert.equal(problems({ token_budget: 12.5 }), ['x_001.json: $.initial_state.token_budget: expected a positive integer, got 12.5']);
  const spawn = built({ model_tiers_available: ['lightweight', 'heavyweight'], spawn_architecture_cost_projection: { spawn_cost: 300 } }).spawn;
  assert.equal(spawn?.costs, { lightweight: 300, heavyweight: 300 });
  assert.is(spawn?.brainFor?.({ parent_id: AGENT_UNDER_TEST, child_id: 'c', model_tier: 'lightweight' }), idleBrain);
  assert.equal(built({ model_tiers_available: ['lightweight'] }).spawn?.costs, DEFAULT_SPAWN_COSTS);
});

test("the script's human answers prompts in turn, then leaves the rest unanswered", () => {
  const scores = [
    { interesting: 7, useful: 8, understandable: 9 },
    { interesting: 1, useful: 2, understandable: 3 },
  ];
  const human = scriptedHuman(scores);
  const prompt = (prompt_id: string) => ({ prompt_id, agent_id: 'a', prompt: 'look', bid_amount: 5, cycle: 1 });
  assert.equal([human?.(prompt('p1')), human?.(prompt('p2')), human?.(prompt('p3'))], [...scores, undefined]);
  assert.is(scriptedHuman(undefined), undefined);
  assert.is(scriptedHuman([]), undefined);
  assert.is(built({}).human, undefined);
  assert.type(built({}, scriptWith({ human_responses: scores })).human, 'function');
});

test.run();
