import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isLeft, isRight, left, right } from 'fp-ts/lib/Either.js';
import { balanceOf, escrowOf } from '../domain/economy/ledger';
import { answerPrompts, releaseUnansweredPrompts, wakeSleepers } from '../machines/world/cycle-steps';
import type { Emission } from '../machines/event-bus';
import { performTool } from '../machines/tools/perform';
import { bid, readBid } from '../machines/tools/market';
import { normaliseBundle } from '../domain/economy/resources';
import { roundCredits } from '../domain/economy/credits';
import { isPerformedByScheduler, TOOL_REGISTRY, toolNamed, toolsOpenIn } from '../machines/tools/registry';
import { isMalformedCallReason } from '../machines/tools/refusals';
import { decodeArguments, type ToolEffect } from '../machines/tools/tool';
import { echoModel, type CodeWorkspace, type WorldConfig } from '../machines/world/config';
import { initialWorld } from '../machines/world/setup';
import type { ToolCallRequest, ToolEnvironment, WorldState } from '../machines/world/state';
import { idleBrain, type Phase } from '../machines/brains/protocol';

/** The tools and cycle steps as pure functions of the world: what each call changes and records. */

function worldWith(config: Partial<WorldConfig> = {}): WorldState {
  const setup = initialWorld({
    scenario_id: 'tools',
    seed: 1,
    cycles: 1,
    agents: [
      { id: 'a', balance: 100, brain: idleBrain },
      { id: 'b', balance: 20, brain: idleBrain },
    ],
    ...config,
  });
  if (isLeft(setup)) throw new Error(setup.left.join('\n'));
  return setup.right.world;
}

const ENV: ToolEnvironment = { model: echoModel, spawn: { costs: { small: 10 } } };

function call(world: WorldState, tool_name: string, args: Record<string, unknown> = {}, phase: Phase = 'executing', env = ENV) {
  const request: ToolCallRequest = { agent_id: 'a', tool_name, arguments: args, phase };
  return performTool(world, request, env);
}

const types = (emissions: readonly Emission[]) => emissions.map((each) => each.type);
const reasonOf = (effect: ToolEffect) => (effect.outcome.result === 'failure' ? effect.outcome.reason : undefined);

test('an unknown tool fails with unknown_tool', () => {
  assert.is(reasonOf(call(worldWith(), 'market.steal')), 'unknown_tool');
});

test('while bidding only the market and dormancy are open', () => {
  assert.is(reasonOf(call(worldWith(), 'output.submit', {}, 'bidding')), 'not_allowed_while_bidding');
  assert.is(call(worldWith(), 'economic.get_balance', {}, 'bidding').outcome.result, 'success');
});

test('bad arguments fail the call with the decode issue', () => {
  assert.is(
    reasonOf(call(worldWith(), 'economic.transfer', { to_agent: 'b', amount: 'ten' })),
    'invalid_arguments: $.arguments.amount: expected a positive number of credits, got "ten"',
  );
});

test('the calls the tools refuse as malformed give a malformed-call reason; the world refusing a well-formed call does not', () => {
  const malformed = [
    call(worldWith(), 'market.steal'),
    call(worldWith(), 'output.submit', {}, 'bidding'),
    call(worldWith(), 'economic.transfer', { to_agent: 'b', amount: 'ten' }),
    call(worldWith(), 'service.invoke', { service_name: 'nothing' }),
    call(worldWith(), 'agent.spawn', { model_tier: 'huge', initial_balance: 1 }),
    call(worldWith(), 'code.propose', { target_module: 'm', change_description: 'd' }),
  ];
  const reasons = malformed.map((effect) => reasonOf(effect)?.split(':')[0]);
  assert.equal(reasons, ['unknown_tool', 'not_allowed_while_bidding', 'invalid_arguments', 'unknown_service', 'unknown_model_tier', 'no_workspace']);
  for (const effect of malformed) assert.ok(isMalformedCallReason(reasonOf(effect)), reasonOf(effect));
  const oversized = readBid({ amount: 5, bundle: { cpu: 1.5, duration_seconds: 60 } });
  assert.ok(isLeft(oversized) && oversized.left.result === 'failure' && isMalformedCallReason(oversized.left.reason));
  const answered = [
    call(worldWith(), 'economic.transfer', { to_agent: 'nobody', amount: 1 }),
    call(worldWith(), 'economic.transfer', { to_agent: 'b', amount: 1000 }),
  ];
  assert.equal(answered.map(reasonOf), ['unknown_account', 'insufficient_balance']);
  for (const effect of answered) assert.not.ok(isMalformedCallReason(reasonOf(effect)), reasonOf(effect));
  assert.not.ok(isMalformedCallReason('unknown_toolbox'), 'a reason that only starts like one');
  assert.not.ok(isMalformedCallReason(undefined));
});

test("a bid's arguments are checked, its amount rounded and its bundle normalised for the scheduler", () => {
  assert.equal(readBid({ amount: 12.3456789, bundle: { tokens: 500_000, duration_seconds: 60 } }), right({
    amount: 12.345679,
    bundle: { cpu: 0, memory: 0, tokens: 0.5, attention: 0, duration_seconds: 60 },
  }));
  assert.equal(readBid({ amount: 5, bundle: { cpu: 1.5, duration_seconds: 60 } }), left({ result: 'failure', reason: 'invalid_bundle', response: { resource: 'cpu', fraction: 1.5 } }));
  assert.equal(readBid({ amount: -5, bundle: { cpu: 0.1, duration_seconds: 60 } }), left({
    result: 'failure',
    reason: 'invalid_arguments: $.arguments.amount: expected a positive number of credits, got -5',
  }));
});

/** Values a field of a bid may hold, mostly well-formed: else numbers JSON cannot write, absent, null, strings, objects. */
const bidFieldArb = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: 0, max: 1.2, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: -2, max: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 60, 500_000, Number.NaN, Number.POSITIVE_INFINITY, undefined, null, '0.5', true, [], {}) },
);
const bundleArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ cpu: bidFieldArb, memory: bidFieldArb, tokens: bidFieldArb, attention: bidFieldArb, cpu_seconds: bidFieldArb, memory_mb: bidFieldArb, duration_seconds: bidFieldArb, colour: bidFieldArb }, { requiredKeys: ['duration_seconds'] }) },
  { weight: 1, arbitrary: fc.record({ cpu: bidFieldArb, duration_seconds: bidFieldArb }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, [], 'bundle', 5) },
);
const bidArgumentsArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ amount: bidFieldArb, bundle: bundleArb, note: bidFieldArb }, { requiredKeys: ['amount', 'bundle'] }) },
  { weight: 1, arbitrary: fc.record({ amount: bidFieldArb, bundle: bundleArb }, { requiredKeys: [] }) },
);

/** readBid as it read every bid before the guard: decoded, then its amount rounded and its bundle normalised. */
function readBidByDecoding(args: Readonly<Record<string, unknown>>): ReturnType<typeof readBid> {
  const decoded = decodeArguments(bid.arguments, args);
  if (isLeft(decoded)) return decoded;
  const normalised = normaliseBundle(decoded.right.bundle);
  if ('error' in normalised) return left({ result: 'failure', reason: 'invalid_bundle', response: normalised.error });
  return right({ amount: roundCredits(decoded.right.amount), bundle: normalised.bundle });
}

test("property: a bid is read as decoding it reads it, well-formed or not, and the codec's guard accepts only what its decoder does", () => {
  let accepted = 0;
  fc.assert(
    fc.property(bidArgumentsArb, (args) => {
      if (bid.arguments.is(args)) {
        accepted += 1;
        assert.ok(isRight(bid.arguments.decode(args)));
      }
      assert.equal(readBid(args), readBidByDecoding(args));
    }),
    { seed: 20_261_207, numRuns: 3_000 },
  );
  assert.ok(accepted > 300, `enough well-formed bids among the arbitrary ones: ${accepted}`);
  assert.ok(accepted < 2_900, `and enough malformed ones: ${accepted}`);
});

test('the orchestrator does not perform bids: it names market.bid among the tools an agent has', () => {
  const effect = call(worldWith(), 'market.steal');
  assert.ok(effect.outcome.result === 'failure' && (effect.outcome.response as { known: string[] }).known.includes('market.bid'));
});

test('the registry names each tool once, with a one-line description and the phases it is open in', () => {
  const names = TOOL_REGISTRY.map(({ name }) => name);
  assert.equal(new Set(names).size, names.length);
  for (const tool of TOOL_REGISTRY) {
    assert.ok(/^\S.*\S$/.test(tool.description) && !tool.description.includes('\n'), `${tool.name}: one line`);
    assert.ok(tool.phases.includes('executing'), `${tool.name}: open in a window`);
    assert.is(toolNamed(tool.name), tool);
  }
  assert.is(toolNamed('market.steal'), undefined);
  assert.is(toolNamed('__proto__'), undefined);
});

test('the unknown-tool answer lists the registry, in its order', () => {
  const effect = call(worldWith(), 'market.steal');
  assert.equal(effect.outcome, {
    result: 'failure',
    reason: 'unknown_tool',
    response: { tool_name: 'market.steal', known: TOOL_REGISTRY.map(({ name }) => name) },
  });
});

test("while bidding, a tool the registry does not open in bidding is refused with the registry's list", () => {
  const allowed = toolsOpenIn('bidding').map(({ name }) => name);
  assert.equal(allowed, ['economic.get_balance', 'market.get_prices', 'market.bid', 'agent.sleep']);
  for (const tool of TOOL_REGISTRY) {
    const effect = call(worldWith(), tool.name, {}, 'bidding');
    if (allowed.includes(tool.name)) {
      assert.is.not(reasonOf(effect), 'not_allowed_while_bidding', tool.name);
    } else {
      assert.equal(effect.outcome, { result: 'failure', reason: 'not_allowed_while_bidding', response: { tool_name: tool.name, allowed } }, tool.name);
    }
  }
});

test("every tool is performed by its registry entry, decoding with the entry's codec; market.bid goes to the scheduler", () => {
  for (const tool of TOOL_REGISTRY) {
    const reason = reasonOf(call(worldWith(), tool.name, {}));
    assert.is.not(reason, 'unknown_tool', tool.name);
    if (tool.performer.by === 'scheduler') {
      assert.is(reason, 'performed_by_the_scheduler', tool.name);
      continue;
    }
    assert.is(reason?.startsWith('invalid_arguments') ?? false, isLeft(tool.arguments.decode({})), tool.name);
  }
  assert.equal(TOOL_REGISTRY.filter(({ name }) => isPerformedByScheduler(name)), [bid]);
  assert.is(isPerformedByScheduler('market.steal'), false);
  assert.ok(isLeft(readBid({ amount: 5 })) && isLeft(bid.arguments.decode({ amount: 5 })));
});

test('a transfer moves credits and records them; to an unknown account it fails', () => {
  const moved = call(worldWith(), 'economic.transfer', { to_agent: 'b', amount: 30, purpose: 'gift' });
  assert.equal([balanceOf(moved.world.ledger, 'a'), balanceOf(moved.world.ledger, 'b')], [70, 50]);
  assert.equal(moved.emissions, [{ type: 'credits_transferred', agent_id: 'a', data: { from_agent: 'a', to_agent: 'b', amount: 30, purpose: 'gift' } }]);
  assert.is(reasonOf(call(worldWith(), 'economic.transfer', { to_agent: 'nobody', amount: 1 })), 'unknown_account');
});

test('a completion within the window budget counts its tokens; one beyond it is refused whole', () => {
  const bundle = { cpu: 0, memory: 0, tokens: 0, attention: 0, duration_seconds: 60 };
  const world = { ...worldWith(), window: { agent_id: 'a', execution_id: 'exec-1', bid_id: 'bid-1', bundle, token_budget: 30, tokens_used: 0 } };
  const first = call(world, 'llm.complete', { prompt: 'hello there', max_tokens: 8 });
  assert.equal(first.outcome, { result: 'success', response: { text: 'echo: hello there' }, tokens_used: 8 });
  const second = call(first.world, 'llm.complete', { prompt: 'x'.repeat(80), max_tokens: 50 });
  assert.equal([reasonOf(second), second.world.window?.tokens_used], ['token_budget_exceeded', 8]);
  assert.is(reasonOf(call(worldWith(), 'llm.complete', { prompt: 'no window', max_tokens: 5 })), 'no_execution_window');
});

test('a service pays its provider; scripted results come first, then draws at the success rate', () => {
  const world = worldWith({ services: [{ provider: 'b', service_name: 'adder', cost: 3, outcomes: ['failure'], success_rate: 1 }] });
  const first = call(world, 'service.invoke', { service_name: 'adder' });
  assert.equal(types(first.emissions), ['credits_transferred', 'service_invoked']);
  assert.equal([reasonOf(first), balanceOf(first.world.ledger, 'a'), balanceOf(first.world.ledger, 'b')], ['service_failed', 97, 23]);
  const second = call(first.world, 'service.invoke', { service_name: 'adder' });
  assert.is(second.outcome.result, 'success');
  assert.is(reasonOf(call(world, 'service.invoke', { service_name: 'subtracter' })), 'unknown_service');
});

test('a provider that is not an agent still gets an account to be paid into', () => {
  const world = worldWith({ services: [{ provider: 'oracle', service_name: 'answer', cost: 5 }] });
  assert.is(balanceOf(call(world, 'service.invoke', { service_name: 'answer' }).world.ledger, 'oracle'), 5);
});

test('a prompt escrows its attention bid; the human answers the highest bid first and rewards it', () => {
  const low = call(worldWith(), 'human.prompt', { prompt: 'low', bid_amount: 5 });
  const high = call(low.world, 'human.prompt', { prompt: 'high', bid_amount: 9 });
  assert.equal([balanceOf(high.world.ledger, 'a'), escrowOf(high.world.ledger, 'a')], [86, 14]);
  const order: string[] = [];
  const answered = answerPrompts(high.world, ({ prompt }) => {
    order.push(prompt);
    return prompt === 'high' ? { interesting: 1, useful: 2, understandable: 3 } : undefined;
  });
  assert.ok(isRight(answered));
  if (!isRight(answered)) return;
  assert.equal(order, ['high', 'low']);
  assert.equal(types(answered.right.emissions), ['credits_burned', 'human_reward_issued']);
  assert.equal([balanceOf(answered.right.world.ledger, 'a'), escrowOf(answered.right.world.ledger, 'a')], [86 + 300, 5]);
  const released = releaseUnansweredPrompts(answered.right.world);
  assert.ok(isRight(released));
  if (isRight(released)) assert.equal([balanceOf(released.right.ledger, 'a'), escrowOf(released.right.ledger, 'a')], [391, 0]);
});

test('scores that are not scores stop the run rather than guess a reward', () => {
  const asked = call(worldWith(), 'human.prompt', { prompt: 'q', bid_amount: 5 });
  const answered = answerPrompts(asked.world, () => ({ interesting: 11, useful: 1, understandable: 1 }));
  assert.equal(answered, left("the human's answer to prompt-000001 is not a reward: scores.interesting: expected a score from 0 to 10, got 11"));
});

test('sleep takes the agent out of bidding until its cycles are over, then it wakes by timer', () => {
  const slept = call(worldWith(), 'agent.sleep', { cycles: 2 }, 'bidding');
  assert.equal(slept.emissions.map((each) => each.data), [{ agent_id: 'a', final_balance: 100, reason: 'sleeping for 2 cycles' }]);
  assert.equal(wakeSleepers({ ...slept.world, cycle: 2 }).emissions, []);
  const awake = wakeSleepers({ ...slept.world, cycle: 3 });
  assert.equal(awake.emissions, [{ type: 'agent_awake', agent_id: 'a', data: { agent_id: 'a', awakened_by: 'timer', current_balance: 100 } }]);
  assert.is(awake.world.sleepers.size, 0);
});

test('code tools need a workspace, and record what the workspace did', () => {
  assert.is(reasonOf(call(worldWith(), 'code.propose', { target_module: 'm', change_description: 'd' })), 'no_workspace');
  const workspace: CodeWorkspace = {
    propose: () => right({ change_id: 'change-1' }),
    apply: ({ change_id }) => (change_id === 'change-1' ? right({ target_module: 'm', test_results: 'all_passed' }) : left('unknown_change')),
    runTests: () => right({ test_results: 'some_failed', failed_tests: ['t1'] }),
  };
  const env = { ...ENV, workspace };
  const proposed = call(worldWith(), 'code.propose', { target_module: 'm', change_description: 'd' }, 'executing', env);
  assert.equal(proposed.emissions, [{ type: 'code_change_proposed', agent_id: 'a', data: { target_module: 'm', change_description: 'd', change_id: 'change-1' } }]);
  assert.equal(types(call(worldWith(), 'code.apply', { change_id: 'change-1' }, 'executing', env).emissions), ['code_change_applied']);
  assert.is(reasonOf(call(worldWith(), 'code.apply', { change_id: 'change-2' }, 'executing', env)), 'unknown_change');
  assert.equal(call(worldWith(), 'test.run', {}, 'executing', env).outcome, {
    result: 'success',
    response: { test_results: 'some_failed', failed_tests: ['t1'] },
    test_results: 'some_failed',
    failed_tests: ['t1'],
  });
});

test('a spawn names its child after the parent unless told otherwise; an unknown tier fails', () => {
  const spawned = performTool(worldWith(), { agent_id: 'a', tool_name: 'agent.spawn', arguments: { model_tier: 'small', initial_balance: 5 }, phase: 'executing' }, ENV);
  assert.equal(spawned.spawn, { parent_id: 'a', child_id: 'a-child-1', model_tier: 'small' });
  assert.is(reasonOf(call(worldWith(), 'agent.spawn', { model_tier: 'huge', initial_balance: 5 })), 'unknown_model_tier');
});

test.run();
