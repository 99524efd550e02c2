import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { Scenario } from '../domain/benchmark/scenario';
import { createHttpJudge, httpJudgeConfigFromEnv, type HttpJudgeConfig, type HttpJudgeOptions } from '../harness/judges/http-judge';
import type { JudgeFailure, JudgeRequest, JudgeVerdict } from '../harness/judges/judge';
import { leftOf, rightOf } from './fixtures/either';

const API_KEY = 'sk-test-secret-4242';
const CRITERIA = ['recognizes_scarcity', 'weighs_opportunity_cost'];

const decoded = decodeWith(Scenario, {
  scenario_id: 'er_001',
  domain: 'economic_reasoning',
  description: 'Agent has very limited credits.',
  initial_state: { agent_balance: 120 },
  validation: { judge_evaluation: { criteria: CRITERIA, pass_threshold: 3 }, success_condition: 'judge_score >= threshold' },
});
if (isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));

const request: JudgeRequest = {
  scenarioId: 'er_001',
  scenario: decoded.right,
  block: 'judge_evaluation',
  criteria: CRITERIA,
  threshold: 3,
  events: [],
};

/** What the server does with one request: answer with a status and body, answer 401 repeating its Authorization header, or never answer. */
type Reply = { status: number; body: string } | 'echo-authorization' | 'never';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

function completion(content: string): Reply {
  return { status: 200, body: JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }) };
}

function scores(entries: readonly [string, number][], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    criteria: entries.map(([criterion, score]) => ({ criterion, score, justification: `why ${criterion}` })),
    feedback: 'Sensible caution.',
    ...extra,
  });
}

const GOOD = scores([
  ['recognizes_scarcity', 4],
  ['weighs_opportunity_cost', 3],
]);

/** Serves `replies` in turn on 127.0.0.1 to `run`, then closes; the last reply repeats. */
async function withServer(
  replies: readonly Reply[],
  run: (baseUrl: string, received: Received[]) => Promise<void>,
): Promise<void> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      const reply = replies[Math.min(received.length, replies.length) - 1]!;
      if (reply === 'never') return;
      const { status, body: replyBody } =
        reply === 'echo-authorization' ? { status: 401, body: JSON.stringify({ error: { message: `Rejected ${req.headers.authorization}` } }) } : reply;
      // Retry-After: 0 spares the tests the SDK's back-off between retries.
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' }).end(replyBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function judgeAt(baseUrl: string, config: Partial<HttpJudgeConfig> = {}, options: HttpJudgeOptions = {}) {
  return createHttpJudge({ baseUrl, model: 'judge-model', apiKey: API_KEY, ...config }, options);
}

const verdictOf = (result: Either<JudgeFailure, JudgeVerdict>): JudgeVerdict => rightOf(result, 'a verdict');

function failureOf(result: Either<JudgeFailure, JudgeVerdict>): JudgeFailure {
  const failure = leftOf(result);
  assert.not.ok(failure.message.includes(API_KEY), 'the failure message leaks the API key');
  return failure;
}

test('a good reply gives the verdict with the mean score and the pass flag recomputed', async () => {
  await withServer([completion(scores([['recognizes_scarcity', 4], ['weighs_opportunity_cost', 3]], { overall_score: 4.5, pass: false }))], async (url) => {
    const verdict = verdictOf(await judgeAt(url).evaluate(request));
    assert.equal(verdict.criteria, [
      { criterion: 'recognizes_scarcity', score: 4, justification: 'why recognizes_scarcity' },
      { criterion: 'weighs_opportunity_cost', score: 3, justification: 'why weighs_opportunity_cost' },
    ]);
    assert.is(verdict.overall_score, 3.5);
    assert.is(verdict.pass, true);
    assert.ok(verdict.feedback.startsWith('Sensible caution.'));
    assert.match(verdict.feedback, /reported an overall score of 4\.5; the mean of the requested criteria is 3\.5/);
  });
});

test('a mean below the threshold fails, whatever the model says; a rounded mean is not remarked on', async () => {
  const reply = scores([['recognizes_scarcity', 3], ['weighs_opportunity_cost', 2], ['unrequested', 5]], { overall_score: 2.5, pass: true });
  await withServer([completion(reply)], async (url) => {
    const verdict = verdictOf(await judgeAt(url).evaluate(request));
    assert.is(verdict.overall_score, 2.5);
    assert.is(verdict.pass, false);
    assert.is(verdict.criteria.length, 2, 'an unrequested criterion is ignored');
    assert.is(verdict.feedback, 'Sensible caution.');
  });
});

test('the request carries the model, both messages and every criterion id, and the key only in the header', async () => {
  await withServer([completion(GOOD)], async (url, received) => {
    verdictOf(await judgeAt(`${url}/`).evaluate(request));
    const [call] = received;
    assert.is(call!.url, '/v1/chat/completions');
    assert.is(call!.headers.authorization, `Bearer ${API_KEY}`);
    assert.not.ok(call!.body.includes(API_KEY));
    const body = JSON.parse(call!.body);
    assert.is(body.model, 'judge-model');
    assert.is(body.temperature, 0);
    assert.equal(body.response_format, { type: 'json_object' });
    assert.equal(body.messages.map((message: { role: string }) => message.role), ['system', 'user']);
    for (const criterion of CRITERIA) assert.ok(body.messages[1].content.includes(`- ${criterion}\n`), criterion);
  });
});

test('without a key the request has no Authorization header', async () => {
  await withServer([completion(GOOD)], async (url, received) => {
    verdictOf(await judgeAt(url, { apiKey: undefined }).evaluate(request));
    assert.is(received[0]!.headers.authorization, undefined);
  });
});

test('a reply in a ```json fence is accepted', async () => {
  await withServer([completion(`Here is my evaluation:\n\`\`\`json\n${GOOD}\n\`\`\``)], async (url) => {
    assert.is(verdictOf(await judgeAt(url).evaluate(request)).overall_score, 3.5);
  });
});

test('a malformed reply twice, then a good one, succeeds on the third attempt', async () => {
  await withServer([completion('I think the agent did well.'), completion('{"criteria": '), completion(GOOD)], async (url, received) => {
    assert.is(verdictOf(await judgeAt(url).evaluate(request)).overall_score, 3.5);
    assert.is(received.length, 3);
  });
});

test('a malformed reply three times is a bad_reply after 3 attempts, naming each problem', async () => {
  await withServer([completion('I think the agent did well.'), { status: 200, body: '<html>' }, completion('{"verdict": 4}')], async (url, received) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'bad_reply');
    assert.is(failure.attempts, 3);
    assert.is(received.length, 3);
    assert.match(failure.message, /attempt 1: the reply is not JSON/);
    assert.match(failure.message, /attempt 2: the response body is not JSON: "<html>"/);
    assert.match(failure.message, /attempt 3: the reply does not have the requested shape: \$\.criteria: expected/);
    assert.match(failure.message, /judging judge_evaluation of er_001/);
  });
});

test('a reply missing a criterion is retried, then fails naming the criterion', async () => {
  const partial = scores([['recognizes_scarcity', 4]]);
  await withServer([completion(partial)], async (url, received) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'bad_reply');
    assert.is(failure.attempts, 3);
    assert.is(received.length, 3);
    assert.match(failure.message, /criterion weighs_opportunity_cost is missing \(the reply scores: recognizes_scarcity\)/);
    assert.not.match(failure.message, /criterion recognizes_scarcity is missing/);
  });
});

test('a score outside 1-5 is not accepted; the bounds themselves are', async () => {
  const outOfRange = scores([['recognizes_scarcity', 6], ['weighs_opportunity_cost', 0]]);
  await withServer([completion(outOfRange)], async (url) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'bad_reply');
    assert.match(failure.message, /\$\.criteria\[0\]\.score: expected a score from 1 to 5, got 6/);
    assert.match(failure.message, /\$\.criteria\[1\]\.score: expected a score from 1 to 5, got 0/);
  });
  const bounds = scores([['recognizes_scarcity', 1], ['weighs_opportunity_cost', 5]]);
  await withServer([completion(bounds)], async (url) => {
    assert.is(verdictOf(await judgeAt(url).evaluate(request)).overall_score, 3);
  });
});

test('a criterion scored twice is ambiguous, not silently resolved', async () => {
  const twice = scores([['recognizes_scarcity', 1], ['recognizes_scarcity', 5], ['weighs_opportunity_cost', 3]]);
  await withServer([completion(twice)], async (url) => {
    assert.match(failureOf(await judgeAt(url).evaluate(request)).message, /criterion recognizes_scarcity is scored 2 times/);
  });
});

test('HTTP 500, then a good reply, succeeds', async () => {
  await withServer([{ status: 500, body: 'upstream overloaded' }, completion(GOOD)], async (url, received) => {
    assert.is(verdictOf(await judgeAt(url).evaluate(request)).overall_score, 3.5);
    assert.is(received.length, 2);
  });
});

test('HTTP 429 throughout is an http_error after 3 attempts', async () => {
  await withServer([{ status: 429, body: 'slow down' }], async (url, received) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'http_error');
    assert.is(failure.attempts, 3);
    assert.is(received.length, 3);
    assert.match(failure.message, /attempt 3: HTTP 429: "slow down"/);
  });
});

test('HTTP 401 fails at once with the status and the body, the echoed key redacted', async () => {
  const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}` } });
  await withServer([{ status: 401, body }, completion(GOOD)], async (url, received) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'http_error');
    assert.is(failure.attempts, 1);
    assert.is(received.length, 1);
    assert.match(failure.message, /HTTP 401: .*Incorrect API key provided: \[redacted API key\]/);
  });
});

test('an error body repeating the Authorization header it received does not bring the key into the failure', async () => {
  await withServer(['echo-authorization'], async (url) => {
    const failure = failureOf(await judgeAt(url).evaluate(request));
    assert.is(failure.kind, 'http_error');
    assert.match(failure.message, /HTTP 401: "Rejected Bearer \[redacted API key\]"/);
  });
});

test('a server that never answers is a timeout', async () => {
  await withServer(['never'], async (url, received) => {
    const failure = failureOf(await judgeAt(url, {}, { timeoutMs: 200 }).evaluate(request));
    assert.is(failure.kind, 'timeout');
    assert.is(failure.attempts, 1);
    assert.is(received.length, 1);
    assert.match(failure.message, /no complete answer within 200 ms/);
  });
});

test('a closed port is unreachable', async () => {
  let closedUrl = '';
  await withServer([], async (url) => {
    closedUrl = url;
  });
  const failure = failureOf(await judgeAt(closedUrl).evaluate(request));
  assert.is(failure.kind, 'unreachable');
  assert.is(failure.attempts, 1);
  assert.match(failure.message, /cannot reach the endpoint \(ECONNREFUSED/);
  assert.ok(failure.message.includes(`${closedUrl}/chat/completions`));
});

test('the environment gives the configuration; an empty key means none', () => {
  assert.equal(httpJudgeConfigFromEnv({ JUDGE_BASE_URL: 'https://api.example.com/v1', JUDGE_MODEL: 'm', JUDGE_API_KEY: 'k' }), {
    _tag: 'Right',
    right: { baseUrl: 'https://api.example.com/v1', model: 'm', apiKey: 'k' },
  });
  assert.equal(httpJudgeConfigFromEnv({ JUDGE_BASE_URL: 'http://localhost:8080', JUDGE_MODEL: 'm', JUDGE_API_KEY: '' }), {
    _tag: 'Right',
    right: { baseUrl: 'http://localhost:8080', model: 'm' },
  });
});

test('a missing or blank setting is named in the configuration error', () => {
  const neither = httpJudgeConfigFromEnv({});
  assert.ok(isLeft(neither) && /set JUDGE_BASE_URL and JUDGE_MODEL/.test(neither.left));
  const noModel = httpJudgeConfigFromEnv({ JUDGE_BASE_URL: 'https://api.example.com/v1', JUDGE_MODEL: '  ' });
  assert.ok(isLeft(noModel) && /set JUDGE_MODEL /.test(noModel.left) && !noModel.left.includes('set JUDGE_BASE_URL'));
  const notUrl = httpJudgeConfigFromEnv({ JUDGE_BASE_URL: 'api.example.com', JUDGE_MODEL: 'm' });
  assert.ok(isLeft(notUrl) && /JUDGE_BASE_URL must be an http:\/\/ or https:\/\/ URL, got "api\.example\.com"/.test(notUrl.left));
});

test.run();
