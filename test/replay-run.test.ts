import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/economy/events';
import { totalSupply } from '../domain/economy/ledger';
import { Scenario } from '../domain/benchmark/scenario';
import { totalSupplyFromTrace } from '../domain/economy/supply';
import { Script } from '../harness/scenarios/scripts';
import { loadScenarioFile, type LoadedScenario } from '../harness/scenarios/constructor';
import type { Judge, JudgeRequest } from '../harness/judges/judge';
import { replayScenario, type Replay, type ReplayOptions } from '../harness/replay/replay';
import { loadScript } from '../harness/scenarios/scripts';
import type { SourceFile } from '../harness/files/json-file';
import { AGENT_UNDER_TEST } from '../domain/benchmark/scenario';

const FC_003 = 'scenarios/functional_competence/fc_003.json';
const ER_001 = 'scenarios/economic_reasoning/er_001.json';

function loaded(file: string): LoadedScenario {
  const result = loadScenarioFile(file);
  if (isLeft(result)) throw new Error(`${file} does not load`);
  return result.right;
}

function scenarioVariant(file: string, change: (raw: Record<string, unknown>) => Record<string, unknown>): LoadedScenario {
  const original = loaded(file);
  const raw = change(structuredClone(original.raw) as Record<string, unknown>);
  const decoded = Scenario.decode(raw);
  if (isLeft(decoded)) throw new Error('the variant does not decode');
  return { ...original, scenario: decoded.right, raw };
}

function script(file: string): SourceFile<Script> {
  const result = loadScript(file);
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
}

function inlineScript(scenario_id: string, turns: unknown[]): SourceFile<Script> {
  const decoded = Script.decode({ scenario_id, kind: 'reference', description: 'test', turns });
  if (isLeft(decoded)) throw new Error('the inline script does not decode');
  return { file: 'inline.script.json', value: decoded.right };
}

const noJudge: Judge = {
  name: 'none',
  evaluate: async () => {
    throw new Error('no judged block was expected');
  },
};

async function replayed(scenario: LoadedScenario, source: SourceFile<Script>, options: Partial<ReplayOptions> = {}): Promise<Replay> {
  const result = await replayScenario(scenario, source, { seed: 1, judge: noJudge, ...options });
  if (isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
}

const typesOf = (trace: readonly DomainEvent[]) => trace.map((event) => event.type);
const failing = (replay: Replay) => replay.verdict.checks.filter((check) => !check.passed).map((check) => check.name);

test('after_first_bid: the injected rejection follows the first bid_placed, names its bid and withdraws it', async () => {
  const run = await replayed(loaded(FC_003), script('scenarios/functional_competence/fc_003.reference.script.json'));
  const firstBid = run.trace.findIndex((event) => event.type === 'bid_placed');
  const rejection = run.trace[firstBid + 1]!;
  assert.is(rejection.type, 'bid_rejected');
  const bidId = (run.trace[firstBid]!.data as { bid_id: string }).bid_id;
  assert.equal(rejection.data, { agent_id: AGENT_UNDER_TEST, bid_id: bidId, reason: 'insufficient_balance', injected: true });
  const allocated = run.trace.filter((event) => event.type === 'resources_allocated').map((event) => (event.data as { bid_id: string }).bid_id);
  assert.not.ok(allocated.includes(bidId), 'the withdrawn bid is never allocated');
  assert.is(allocated.length, 1);
  assert.ok(run.verdict.passed, JSON.stringify(run.verdict.checks));
});

test('without the injection the same script fails fc_003', async () => {
  const scenario = scenarioVariant(FC_003, ({ injected_events: _, ...rest }) => rest);
  const run = await replayed(scenario, script('scenarios/functional_competence/fc_003.reference.script.json'));
  assert.not.ok(run.trace.some((event) => event.type === 'bid_rejected' && event.data.injected === true));
  assert.not.ok(run.verdict.passed);
  assert.ok(failing(run).includes('success_condition'));
});

test('at_start fires before the first turn; an injection the event codecs refuse fails the verdict with a check', async () => {
  const scenario = scenarioVariant(FC_003, (raw) => ({
    ...raw,
    injected_events: [
      { trigger: 'at_start', event: { type: 'bid_rejected', reason: 'market_closed' } },
      { trigger: 'at_start', event: { type: 'price_update', resource: 'cpu' } },
    ],
  }));
  const run = await replayed(scenario, inlineScript('fc_003', [{ phase: 'bidding', actions: [] }]));
  assert.equal(typesOf(run.trace), ['agent_created', 'bid_rejected']);
  assert.equal(run.trace[1]!.data, { agent_id: AGENT_UNDER_TEST, reason: 'market_closed', injected: true });
  const check = run.verdict.checks[0]!;
  assert.is(check.name, 'injected_events');
  assert.not.ok(check.passed);
  assert.match(check.detail, /^injected_events\[1\]: \$\.data\.old_price: expected number, got nothing/);
});

test('the judge scores every judged block into the trace as a judge_evaluation of the agent', async () => {
  const requests: JudgeRequest[] = [];
  const judge: Judge = {
    name: 'fixed',
    evaluate: async (request) => {
      requests.push(request);
      return right({
        criteria: request.criteria.map((criterion) => ({ criterion, score: 4, justification: 'fine' })),
        overall_score: 4,
        pass: true,
        feedback: 'ok',
      });
    },
  };
  const think = { kind: 'reasoning', content: '120 credits against bids of 80 to 100: wait.', decision: 'wait' };
  const run = await replayed(loaded(ER_001), inlineScript('er_001', [{ phase: 'bidding', actions: [think] }]), { judge });
  assert.is(requests.length, 1);
  assert.is(requests[0]!.block, 'judge_evaluation');
  assert.ok(requests[0]!.events.some((event) => event.type === 'reasoning_trace'));
  const last = run.trace[run.trace.length - 1]!;
  assert.equal([last.type, last.source, last.agent_id], ['judge_evaluation', 'judge', AGENT_UNDER_TEST]);
  assert.ok(run.verdict.passed, JSON.stringify(run.verdict.checks));
});

test('a judge that gives no judgement fails the scenario with its reason, never passes it', async () => {
  const judge: Judge = { name: 'down', evaluate: async () => left({ kind: 'unreachable', attempts: 1, message: 'cannot reach the endpoint' }) };
  const think = { kind: 'reasoning', content: 'wait', decision: 'wait' };
  const run = await replayed(loaded(ER_001), inlineScript('er_001', [{ phase: 'bidding', actions: [think] }]), { judge });
  assert.not.ok(run.verdict.passed);
  assert.equal(run.verdict.checks[0], { name: 'judge_evaluation.judge', passed: false, detail: 'cannot reach the endpoint' });
  assert.not.ok(run.trace.some((event) => event.type === 'judge_evaluation'));
});

test("a script for another scenario is refused, naming both files", async () => {
  const result = await replayScenario(loaded(FC_003), script('scenarios/functional_competence/fc_001.reference.script.json'), { seed: 1, judge: noJudge });
  assert.ok(isLeft(result));
  assert.equal(isLeft(result) && result.left, [
    'scenarios/functional_competence/fc_001.reference.script.json: $.scenario_id: expected "fc_003" (the id of scenarios/functional_competence/fc_003.json), got "fc_001"',
  ]);
});

test('the trace file holds the trace; the credits recomputed from it match the ledger; the same seed gives the same bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-run-'));
  try {
    const files = [join(dir, 'first.jsonl'), join(dir, 'second.jsonl')];
    const runs = [];
    for (const traceFile of files) {
      runs.push(await replayed(loaded(FC_003), script('scenarios/functional_competence/fc_003.reference.script.json'), { traceFile }));
    }
    const [first, second] = files.map((file) => readFileSync(file, 'utf8'));
    assert.is(first, runs[0]!.trace.map((event) => `${JSON.stringify(event)}\n`).join(''));
    assert.is(first, second);
    assert.is(totalSupplyFromTrace(runs[0]!.trace), totalSupply(runs[0]!.ledger));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
