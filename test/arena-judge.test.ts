import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arena, assertBadInput, type Outcome, withTemp } from './fixtures/arena-cli';
import { startOpenAiServer, type RecordedRequest, type ScriptedReply } from './fixtures/openai-server';

/**
 * The arena's human rewarding what a judge makes of the work handed in: two exec agents with the same
 * strategy (bid a little, hand in an output, ask the human to look), one handing in work the judge
 * likes and one work it does not, beside a background of policies.
 */

const THRIFTY = (content: string) => `exec:node test/fixtures/agents/arena-exec.mjs thrifty '${content}'`;
const AGENTS = ['--agent', `alice=${THRIFTY('An insightful report on the market.')}`, '--agent', `bob=${THRIFTY('A dull report.')}`];
/** The human reads every prompt: whether a prompt is rewarded, and how much, is the judge's alone. */
const POPULATION = { groups: [{ policy: 'fixed_share', count: 2, params: { prompt_bid: 2 } }, { policy: 'saver', count: 2 }], human: { answers_per_cycle: 6 } };

const userOf = (request: RecordedRequest) => request.body.messages.find((message) => message.role === 'user')?.content ?? '';

/** A judge that gives 5s to insightful work, 1s to dull work and 3s to anything else. */
function judgeReply(_n: number, request: RecordedRequest): ScriptedReply {
  const user = userOf(request);
  const score = user.includes('insightful') ? 5 : user.includes('dull') ? 1 : 3;
  const criteria = ['interesting', 'useful', 'understandable'].map((criterion) => ({ criterion, score, justification: 'scripted' }));
  return { kind: 'text', content: JSON.stringify({ criteria, overall_score: score, pass: score >= 3, feedback: 'scripted' }) };
}

interface Report {
  arena: { judge: string | null };
  leaderboard: { agent: string; credits_rewarded: { mean: number } }[];
  pairwise: Record<string, Record<string, number>>;
  seeds: { seed: string; focal: { agent: string; credits_rewarded: number }[] }[];
}

const rewardedIn = (report: Report, agent: string) => report.seeds.map((seed) => seed.focal.find((focal) => focal.agent === agent)!.credits_rewarded);

test(
  'an OpenAI-compatible judge decides the rewards: the work it scores high earns, the work it scores low earns nothing; replayed from its recording byte for byte',
  withTemp(async (dir) => {
    const population = join(dir, 'study.json');
    writeFileSync(population, JSON.stringify(POPULATION));
    const cache = join(dir, 'cache');
    const args = [...AGENTS, '--population', population, '--cycles', '6', '--seeds', '1..3', '--format', 'json', '--judge', 'http', '--model-cache', cache, '--log-dir', join(dir, 'logs')];
    const server = await startOpenAiServer(judgeReply);
    const env = { JUDGE_BASE_URL: server.baseURL, JUDGE_MODEL: 'judge-model', JUDGE_API_KEY: 'sk-judge-secret' };
    let judged: Outcome;
    try {
      judged = await arena(args, env);
    } finally {
      await server.close();
    }
    assert.is(judged.status, 0, judged.stderr);
    const report = JSON.parse(judged.stdout) as Report;
    assert.is(report.arena.judge, 'http:judge-model');
    // Every seed: alice's work (judged 5, 5, 5: 50 × 30 credits a prompt read) earns, bob's (judged 1s: 0 credits) never does.
    assert.ok(rewardedIn(report, 'alice').every((credits) => credits > 0 && credits % 1500 === 0), JSON.stringify(rewardedIn(report, 'alice')));
    assert.equal(rewardedIn(report, 'bob'), [0, 0, 0]);
    assert.is(report.pairwise.alice!.bob, 1);
    const requests = server.requests.map(userOf);
    assert.ok(requests.some((text) => text.includes('insightful')) && requests.some((text) => text.includes('dull')));
    // The judge scores the work, not the name: it never sees who handed it in.
    assert.ok(requests.every((text) => !/alice|bob|agent-000/.test(text)), 'the judge sees an anonymous agent');
    assert.ok(server.requests.every((request) => request.headers.authorization === 'Bearer sk-judge-secret'));
    // One verdict recorded per distinct submission, whoever handed it in: equal work is judged alike.
    const verdicts = readdirSync(join(cache, '_judge'));
    assert.is(verdicts.length, new Set(requests).size);
    // The key reaches the endpoint and nothing else: not the recording, not the report, not the log.
    const logs = join(dir, 'logs');
    const written = [...verdicts.map((file) => join(cache, '_judge', file)), ...readdirSync(logs).map((file) => join(logs, file))].map((file) => readFileSync(file, 'utf8'));
    assert.not.match([...written, judged.stdout, judged.stderr].join('\n'), 'sk-judge-secret');

    // The server is gone: the recorded verdicts answer, and the arena is the same byte for byte.
    const replayed = await arena([...args, '--model-cache-mode', 'replay'], env);
    assert.is(replayed.status, 0, replayed.stderr);
    assert.is(replayed.stdout, judged.stdout);
    // Without them, replay has nothing to reward with: the arena stops and says why, rather than guess.
    const empty = await arena([...args.slice(0, -4), '--model-cache', join(dir, 'empty'), '--model-cache-mode', 'replay', '--log-dir', join(dir, 'logs')], env);
    assert.is(empty.status, 1, empty.stderr);
    assert.match(empty.stderr, /arena stopped: seed 1, after cycle \d+: the judge could not score prompt-\d+ of (alice|bob|agent-\d+): http:judge-model judge, judging judge_evaluation of arena: no verdict recorded/);
  }),
);

test(
  'a judge whose replies are unusable stops the arena with the reason: no reward is guessed, nothing passes by default',
  withTemp(async (dir) => {
    const server = await startOpenAiServer(() => ({ kind: 'text', content: 'I like it, 9 out of 10.' }));
    let outcome: Outcome;
    try {
      outcome = await arena([...AGENTS, '--cycles', '4', '--seeds', '1..2', '--format', 'json', '--judge', 'http', '--log-dir', dir], {
        JUDGE_BASE_URL: server.baseURL,
        JUDGE_MODEL: 'judge-model',
      });
    } finally {
      await server.close();
    }
    assert.is(outcome.status, 1, outcome.stderr);
    assert.is(outcome.stdout, '');
    assert.match(outcome.stderr, /^arena stopped: seed 1, after cycle \d+: the judge could not score prompt-\d+ of [\w-]+: HTTP judge judge-model at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions, judging judge_evaluation of arena: attempt 1: the reply is not JSON/);
    assert.ok(server.requests.length >= 3, 'the judge was retried before the arena gave up');
  }),
);

test(
  'the rubric judge rewards work that states the rubric facts, offline and the same every time',
  withTemp(async (dir) => {
    const rubric = join(dir, 'arena.rubric.json');
    const facts = (phrase: string) => ({ scores: 'facts', read: ['outputs'], facts: [{ fact: `says ${phrase}`, any_of: [phrase] }] });
    writeFileSync(rubric, JSON.stringify({ scenario_id: 'arena', criteria: { interesting: facts('insightful'), useful: facts('market'), understandable: facts('report') } }));
    const population = join(dir, 'study.json');
    writeFileSync(population, JSON.stringify(POPULATION));
    const args = [...AGENTS, '--population', population, '--cycles', '5', '--seeds', '1..2', '--format', 'json', '--judge', 'rubric', '--rubric', rubric, '--log-dir', dir];
    const first = await arena(args);
    assert.is(first.status, 0, first.stderr);
    const report = JSON.parse(first.stdout) as Report;
    assert.is(report.arena.judge, 'rubric');
    // alice states all three facts (5, 5, 5: 1500 credits a prompt); bob only "report" (1, 1, 5: 500).
    assert.ok(rewardedIn(report, 'alice').every((credits) => credits > 0 && credits % 1500 === 0), JSON.stringify(rewardedIn(report, 'alice')));
    assert.ok(rewardedIn(report, 'bob').every((credits) => credits > 0 && credits % 500 === 0 && credits % 1500 !== 0), JSON.stringify(rewardedIn(report, 'bob')));
    const again = await arena(args);
    assert.is(again.stdout, first.stdout);
  }),
);

test(
  'bad judge settings: one line naming what is wrong, exit 2, before any world runs',
  withTemp(async (dir) => {
    const wrongScenario = join(dir, 'wrong.json');
    const facts = { scores: 'facts', read: ['outputs'], facts: [{ fact: 'f', any_of: ['f'] }] };
    writeFileSync(wrongScenario, JSON.stringify({ scenario_id: 'sc-001', criteria: { interesting: facts, useful: facts, understandable: facts } }));
    const lacking = join(dir, 'lacking.json');
    writeFileSync(lacking, JSON.stringify({ scenario_id: 'arena', criteria: { interesting: facts } }));
    const reasoning = join(dir, 'reasoning.json');
    writeFileSync(reasoning, JSON.stringify({ scenario_id: 'arena', criteria: { interesting: facts, useful: facts, understandable: { ...facts, read: ['reasoning'] } } }));
    const agent = ['--agent', 'a=policy:saver'];
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[...agent, '--judge', 'oracle'], {}, /^--judge: expected rubric or http, got "oracle"$/],
      [[...agent, '--judge', 'rubric'], {}, /^--judge rubric: give --rubric FILE, a rubric with "scenario_id": "arena"/],
      [[...agent, '--rubric', wrongScenario], {}, /^--rubric: give --judge rubric too/],
      [[...agent, '--judge', 'rubric', '--rubric', join(dir, 'missing.json')], {}, /^--rubric: .*missing\.json: cannot read/],
      [[...agent, '--judge', 'rubric', '--rubric', wrongScenario], {}, /\$\.scenario_id: expected "arena" \(the arena's submissions\), got "sc-001"$/],
      [[...agent, '--judge', 'rubric', '--rubric', lacking], {}, /\$\.criteria: expected an entry for each of interesting, useful, understandable, missing useful, understandable$/],
      [[...agent, '--judge', 'rubric', '--rubric', reasoning], {}, /\$\.criteria\.understandable: expected a facts criterion reading only the outputs/],
      [[...agent, '--judge', 'http'], {}, /^--judge http: The HTTP judge is not configured: set JUDGE_BASE_URL and JUDGE_MODEL/],
      [[...agent, '--judge', 'http', '--rubric', wrongScenario], { JUDGE_BASE_URL: 'http://127.0.0.1:9/v1', JUDGE_MODEL: 'm' }, /^--rubric: only the rubric judge reads a rubric/],
    ];
    for (const [args, env, expected] of cases) await assertBadInput([...args, '--log-dir', join(dir, 'logs')], env, expected);
  }),
);

test.run();
