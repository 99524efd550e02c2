import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../domain/codec/decode';
import type { DomainEvent } from '../domain/economy/events';
import { loadScenarioFile } from '../harness/scenarios/constructor';
import { PROJECT_SCENARIOS_DIR } from '../harness/scenarios/companions';
import { judgedBlocksOf } from '../domain/benchmark/scenario';
import type { JudgeFailure, JudgeRequest, JudgeVerdict } from '../harness/judges/judge';
import { Rubric } from '../harness/judges/rubric/rubric';
import { createRubricJudge, judgeByRubric } from '../harness/judges/rubric/rubric-judge';
import { traceOf, type EventSpec } from './fixtures/traces/builder';

const AGENT = 'agent_under_test';
const BUNDLE = { cpu: 0.05, memory: 0.05, tokens: 0.01, attention: 0, duration_seconds: 60 };

type Spec = EventSpec;

const said = (content: string, decision: string | null = null, agent = AGENT): Spec => ['reasoning_trace', { content, decision }, agent];
const calls = (tool_name: string, args: Record<string, unknown> = {}, agent = AGENT): Spec => [
  'tool_call_initiated',
  { tool_name, arguments: args },
  agent,
];
const bidPlaced = (total_cost: number, agent = AGENT): Spec => [
  'bid_placed',
  { agent_id: agent, bid_id: `bid-${total_cost}`, bundle: BUNDLE, total_cost },
  agent,
];
const dormant = (final_balance: number): Spec => ['agent_dormant', { agent_id: AGENT, final_balance, reason: 'sleeping for 3 cycles' }, AGENT];
const invoked = (provider_agent: string): Spec => [
  'service_invoked',
  { caller_agent: AGENT, provider_agent, service_name: provider_agent, cost: 10, result: 'success' },
  AGENT,
];

function requestFor(id: string, domain: string, events: readonly DomainEvent[]): JudgeRequest {
  const loaded = loadScenarioFile(join(PROJECT_SCENARIOS_DIR, domain, `${id}.json`));
  if (isLeft(loaded)) throw new Error(`cannot load ${id}`);
  const [block] = judgedBlocksOf(loaded.right.scenario.validation);
  if (block === undefined) throw new Error(`${id} has no judged block`);
  return { ...block, scenarioId: id, scenario: loaded.right.scenario, events };
}

function verdictOf(result: Either<JudgeFailure, JudgeVerdict>): JudgeVerdict {
  if (isLeft(result)) throw new Error(`no verdict: ${result.left.message}`);
  return result.right;
}

function scores(verdict: JudgeVerdict): Record<string, number> {
  return Object.fromEntries(verdict.criteria.map(({ criterion, score }) => [criterion, score]));
}

function justification(verdict: JudgeVerdict, criterion: string): string {
  return verdict.criteria.find((entry) => entry.criterion === criterion)?.justification ?? '';
}

const judge = createRubricJudge();
const judgeEr = (id: string, ...specs: readonly Spec[]) =>
  judge.evaluate(requestFor(id, 'economic_reasoning', traceOf(...specs))).then(verdictOf);

// er_001: 120 credits, three zero rewards, an idle human; dormancy or a 40-60 probe is expected.
const ER_001_REASONING =
  'I have 120 credits and the last three rewards were 0, 0 and 0; the human is idle. ' +
  'Competitors bid 80, 90 and 100, so winning would cost most of the balance. ' +
  'The opportunity cost of spending now is that the credits are gone when the human returns. ' +
  'A probe bid of 40 to 60 is possible but an aggressive bid is rejected. ' +
  'Prices are stable, so waiting loses nothing. I wake when the human is back.';

test('er_001: dormancy with the facts stated scores 5 on every criterion and passes', async () => {
  const verdict = await judgeEr('er_001', said(ER_001_REASONING, 'enter_dormancy'), calls('agent.sleep', { cycles: 3 }), dormant(120));
  assert.equal(scores(verdict), { recognizes_scarcity: 5, weighs_opportunity_cost: 5, decision_coherence: 5, strategic_sophistication: 5 });
  assert.ok(verdict.pass);
  assert.match(justification(verdict, 'recognizes_scarcity'), 'Found 3 of 3 facts in the reasoning: only 120 credits are left («120 credits» at #1 e1)');
  assert.match(justification(verdict, 'decision_coherence'), 'the actions agree: goes dormant (#3 e3); never places a bid');
});

test('er_001: a conservative bid must lie within 40 to 60 credits', async () => {
  const probe = await judgeEr('er_001', said(ER_001_REASONING, 'conservative_bid'), calls('market.bid', { amount: 50, bundle: BUNDLE }), bidPlaced(50));
  assert.ok(probe.pass);
  assert.match(justification(probe, 'decision_coherence'), 'bids 40 to 60 credits (#3 e3)');

  const tooHigh = await judgeEr('er_001', said(ER_001_REASONING, 'conservative_bid'), calls('market.bid', { amount: 95, bundle: BUNDLE }), bidPlaced(95));
  assert.not.ok(tooHigh.pass);
  assert.is(scores(tooHigh).decision_coherence, 1);
  assert.match(justification(tooHigh, 'decision_coherence'), 'nearest #3 e3: total_cost = 95, required 40 to 60');
  assert.match(justification(tooHigh, 'decision_coherence'), 'it bids more than 60 credits (#3 e3)');
});

test('er_001: deciding dormancy and then bidding contradicts the decision and fails despite every fact', async () => {
  const verdict = await judgeEr(
    'er_001',
    said(ER_001_REASONING, 'enter_dormancy'),
    calls('agent.sleep', { cycles: 3 }),
    dormant(120),
    calls('market.bid', { amount: 110, bundle: BUNDLE }),
    bidPlaced(110),
  );
  assert.equal(scores(verdict), { recognizes_scarcity: 2, weighs_opportunity_cost: 2, decision_coherence: 1, strategic_sophistication: 2 });
  assert.not.ok(verdict.pass);
  assert.match(justification(verdict, 'decision_coherence'), 'but the actions contradict it: it places a bid (#4 e4)');
  assert.match(justification(verdict, 'recognizes_scarcity'), 'Capped at 2 (from 5): the decision "enter_dormancy"');
});

test('er_001: deciding dormancy without going dormant contradicts the decision', async () => {
  const verdict = await judgeEr('er_001', said(ER_001_REASONING, 'enter_dormancy'));
  assert.not.ok(verdict.pass);
  assert.match(justification(verdict, 'decision_coherence'), 'nothing after it shows that it goes dormant (no agent_dormant event)');
});

// er_006: 80 credits against a minimum useful bid of 120; a desperation bid is unacceptable.
const ER_006_REASONING =
  'I have 80 credits and the cheapest useful execution costs 120, so 80 is less than 120. ' +
  'The last 5 cycles brought no reward and the human has been absent for 2 days. ' +
  'A bid would push me to bankruptcy for an expected value close to zero. ' +
  'Dormancy burns nothing: I keep the 80 credits so that I can come back later. ' +
  'Competitor activity is low. I reassess when the human comes back.';

test('er_006: an unacceptable decision fails even with every fact stated', async () => {
  const verdict = await judgeEr('er_006', said(ER_006_REASONING, 'desperation_bid'), calls('market.bid', { amount: 80, bundle: BUNDLE }), bidPlaced(80));
  assert.equal(scores(verdict), { recognizes_futility: 2, understands_capital_preservation: 2, avoids_death_spiral: 2, strategic_patience: 2 });
  assert.not.ok(verdict.pass);
  assert.match(justification(verdict, 'recognizes_futility'), 'Found 3 of 3 facts');
  assert.match(justification(verdict, 'recognizes_futility'), 'Capped at 2 (from 5): the decision "desperation_bid" (#1 e1) is unacceptable: 80 credits are less than');
  assert.match(verdict.feedback, /^The decision "desperation_bid" \(#1 e1\) is unacceptable/);
});

test('er_006: dormancy passes, and a decision is recognised by an alias in any spelling', async () => {
  const verdict = await judgeEr('er_006', said(ER_006_REASONING, 'Go dormant'), calls('agent.sleep', { cycles: 5 }), dormant(80));
  assert.ok(verdict.pass);
  assert.is(verdict.overall_score, 5);
});

test('er_006: missing facts lower the score criterion by criterion and say what is missing', async () => {
  const verdict = await judgeEr(
    'er_006',
    said('I have 80 credits but need 120. I go dormant and reassess later.', 'enter_dormancy'),
    calls('agent.sleep', { cycles: 5 }),
    dormant(80),
  );
  assert.equal(scores(verdict), { recognizes_futility: 2, understands_capital_preservation: 1, avoids_death_spiral: 1, strategic_patience: 2 });
  assert.not.ok(verdict.pass);
  assert.match(justification(verdict, 'recognizes_futility'), 'Missing: five cycles brought no reward; the human has been absent for 2 days.');
  assert.not.match(justification(verdict, 'recognizes_futility'), 'Capped');
});

// er_009: the reliable agent_z against the cheap agent_y.
const ER_009_REASONING =
  'agent_y succeeded 2 of 4 times, agent_z 6 of 6 times. A success is worth 200 and bad data wastes 180. ' +
  'The cheap route is worth -80, the reliable one -60: both lose on average. ' +
  'Reputation 0.3 against 0.95; the 70 more buys reliability and the sticker price misleads.';

test('er_009: the decision must be carried out with the provider it names', async () => {
  const reliable = await judgeEr('er_009', said(ER_009_REASONING, 'choose_agent_z'), calls('service.invoke', { service_name: 'agent_z' }), invoked('agent_z'));
  assert.ok(reliable.pass);
  assert.match(justification(reliable, 'decision_coherence'), 'buys the data from agent_z (#3 e3); never buys the data from agent_y');

  const switched = await judgeEr('er_009', said(ER_009_REASONING, 'choose_agent_z'), calls('service.invoke', { service_name: 'agent_y' }), invoked('agent_y'));
  assert.not.ok(switched.pass);
  assert.match(justification(switched, 'decision_coherence'), 'nearest #3 e3: provider_agent: expected "agent_z", got "agent_y"');
});

test('er_009: picking the cheap provider on sticker price fails, as does an unknown or missing decision', async () => {
  const cheap = await judgeEr('er_009', said('agent_y is 70 cheaper on the sticker.', 'choose_agent_y'), invoked('agent_y'));
  assert.equal(scores(cheap), { calculates_expected_value: 1, assesses_risk_appropriately: 1, values_reputation_correctly: 2, decision_coherence: 1 });
  assert.match(justification(cheap, 'decision_coherence'), 'is unacceptable: agent_y is cheaper on the sticker');

  const unknown = await judgeEr('er_009', said(ER_009_REASONING, 'flip_a_coin'));
  assert.not.ok(unknown.pass);
  assert.match(justification(unknown, 'decision_coherence'), 'The decision "flip_a_coin" (#1 e1) is not one the rubric expects (expected: choose_agent_z, decline_task)');

  const undecided = await judgeEr('er_009', said(ER_009_REASONING));
  assert.not.ok(undecided.pass);
  assert.match(justification(undecided, 'decision_coherence'), 'No decision was stated (expected: choose_agent_z, decline_task)');
});

test('only the first agent to speak is judged: other agents neither decide nor act for it', async () => {
  const verdict = await judgeEr(
    'er_001',
    said(ER_001_REASONING, 'enter_dormancy'),
    calls('market.bid', { amount: 90, bundle: BUNDLE }, 'competitor_1'),
    said('I bid aggressively.', 'aggressive_bid', 'competitor_1'),
    calls('agent.sleep', { cycles: 3 }),
    dormant(120),
  );
  assert.ok(verdict.pass);
});

test('fc_004: a rubric without decisions scores the submitted output only', async () => {
  const summary = 'Compute prices rose 40%; caching cut token use by 25%; two failing data services were replaced.';
  const verdict = verdictOf(
    await judge.evaluate(requestFor('fc_004', 'functional_competence', traceOf(calls('output.submit', { output: summary })))),
  );
  assert.equal(scores(verdict), { summary_completeness: 4 });
  assert.match(justification(verdict, 'summary_completeness'), "Found 3 of 4 facts in the outputs");
  assert.match(justification(verdict, 'summary_completeness'), "Missing: next quarter's focus is reliability.");
  assert.match(verdict.feedback, 'The rubric judges no decision.');
});

// ---- Wording rules, on a small hand-written rubric -------------------------------------------------

function rubricOf(json: unknown): Rubric {
  const decoded = decodeWith(Rubric, json);
  if (isLeft(decoded)) throw new Error(decoded.left.map(formatIssue).join('; '));
  return decoded.right;
}

const NUMBERS = rubricOf({
  scenario_id: 'er_006',
  criteria: {
    compares: { scores: 'facts', facts: [{ fact: '80 against 120', any_of: [['80', '120']] }] },
    probability: { scores: 'facts', facts: [{ fact: 'a probability of 0.8', any_of: ['0.8'], patterns: ['eighty (per ?cent|%)'] }] },
  },
});

function factScores(...sentences: string[]): Record<string, number> {
  const request = { ...requestFor('er_006', 'economic_reasoning', traceOf(...sentences.map((text) => said(text)))), criteria: ['compares', 'probability'] };
  const verdict = judgeByRubric(NUMBERS, request);
  if (isLeft(verdict)) throw new Error(verdict.left);
  return scores(verdict.right);
}

test('a number is not found inside a longer number, and grouped phrases must share a sentence', () => {
  assert.equal(factScores('80 is less than 120, and p is 0.8.'), { compares: 5, probability: 5 });
  assert.equal(factScores('It costs 180, or 1200 later; p is 0.85 or 10.8.'), { compares: 1, probability: 1 });
  assert.equal(factScores('I have 80. A useful window costs 120.'), { compares: 1, probability: 1 });
  assert.equal(factScores('The odds are eighty percent.'), { compares: 1, probability: 5 });
});

// ---- Errors: no verdict, never a pass --------------------------------------------------------------

function failureOf(result: Either<JudgeFailure, JudgeVerdict>): JudgeFailure {
  if (isRight(result)) throw new Error('expected the judge to fail');
  return result.left;
}

test('a scenario without a rubric file is an error naming the file it looked for', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'rubrics-'));
  const request = requestFor('er_001', 'economic_reasoning', traceOf(said(ER_001_REASONING, 'enter_dormancy')));
  const failure = failureOf(await createRubricJudge({ scenariosDir: empty }).evaluate(request));
  assert.is(
    failure.message,
    `rubric judge, judging judge_evaluation of er_001: no rubric for er_001 (expected ${join(empty, 'economic_reasoning', 'er_001.rubric.json')})`,
  );
});

test('an invalid rubric is an error naming the file and the JSON path', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rubrics-'));
  mkdirSync(join(root, 'economic_reasoning'));
  const file = join(root, 'economic_reasoning', 'er_001.rubric.json');
  writeFileSync(file, JSON.stringify({ scenario_id: 'er_001', criteria: { recognizes_scarcity: { scores: 'facts', facts: [{ fact: 'x', patterns: ['('] }] } } }));
  const request = requestFor('er_001', 'economic_reasoning', traceOf(said(ER_001_REASONING, 'enter_dormancy')));
  const failure = failureOf(await createRubricJudge({ scenariosDir: root }).evaluate(request));
  assert.match(failure.message, `${file}: $.criteria.recognizes_scarcity.facts[0].patterns[0]: expected a JavaScript regular expression, got "("`);
});

test('a rubric that lacks a requested criterion, or is for another scenario, gives no verdict', () => {
  const request = requestFor('er_006', 'economic_reasoning', traceOf(said(ER_006_REASONING, 'enter_dormancy')));
  const partial = judgeByRubric(NUMBERS, request);
  assert.ok(isLeft(partial) && partial.left.startsWith('the rubric has no entry for criteria recognizes_futility, understands_capital_preservation'));
  const other = judgeByRubric({ ...NUMBERS, scenario_id: 'er_007' }, request);
  assert.equal(other, { _tag: 'Left', left: 'the rubric is for scenario er_007, not er_006' });
});

test('the rubric codec rejects unknown keys, unknown event fields and a coherence criterion without an expected decision', () => {
  const issues = (json: unknown) => {
    const decoded = decodeWith(Rubric, json);
    return isLeft(decoded) ? decoded.left.map(formatIssue) : [];
  };
  assert.equal(issues({ scenario_id: 'x', criteria: { c: { scores: 'facts', facts: [{ fact: 'f', any_of: ['a'] }], weight: 2 } } }), [
    '$.criteria.c.weight: expected no other key (known keys: scores, facts, read), got 2',
  ]);
  assert.equal(
    issues({
      scenario_id: 'x',
      decisions: [{ decision: 'd', verdict: 'expected', because: 'b', requires: [{ action: 'a', event: { type: 'bid_placed', amount: 3 } }] }],
      criteria: { c: { scores: 'coherence' } },
    }),
    ['$.decisions[0].requires[0].event.amount: expected a field that bid_placed events have, got 3'],
  );
  const [unchecked] = issues({
    scenario_id: 'x',
    decisions: [{ decision: 'd', verdict: 'unacceptable', because: 'b' }],
    criteria: { c: { scores: 'coherence' } },
  });
  assert.match(unchecked ?? '', /^\$: expected a rubric with at least one expected decision when a criterion scores coherence/);
});

test.run();
