import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Either } from 'fp-ts/lib/Either.js';
import { createChatClient, type ChatClientOptions, type ChatFailure, type ChatReply } from '../harness/models/chat-client';
import { leftOf, rightOf } from './fixtures/either';

const API_KEY = 'sk-chat-secret-7777';
const REQUEST = { model: 'm', messages: [{ role: 'user' as const, content: 'hello' }] };
const COMPLETION = JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] });

/** Handles the n-th request (from 1); answers nothing when it returns without ending the response. */
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Served {
  readonly baseURL: string;
  readonly host: string;
  readonly requests: IncomingMessage[];
}

async function withServer(handler: Handler, run: (served: Served) => Promise<void>): Promise<void> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => handler(req, res, requests.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await run({ baseURL: `http://${host}/v1`, host, requests });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Retry-After: 0 spares the tests the SDK's back-off between retries. */
function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = { 'retry-after': '0' }): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
}

function clientAt(baseURL: string, options: Partial<ChatClientOptions> = {}) {
  return createChatClient({ baseURL, apiKey: API_KEY, timeoutMs: 2_000, maxRetries: 2, ...options });
}

function failureOf(result: Either<ChatFailure, ChatReply>): ChatFailure {
  const failure = leftOf(result);
  for (const text of [failure.detail, failure.reason, ...failure.retried]) assert.not.ok(text.includes(API_KEY), `leaks the key: ${text}`);
  return failure;
}

test('a completion is returned with the attempts it took; the key travels only as a bearer token', async () => {
  await withServer((_req, res) => reply(res, 200, COMPLETION), async ({ baseURL, requests }) => {
    const answer = rightOf(await clientAt(`${baseURL}/`).complete(REQUEST), 'a completion');
    assert.is(answer.completion.choices[0]!.message.content, 'hi');
    assert.is(answer.attempts, 1);
    assert.is(requests[0]!.url, '/v1/chat/completions');
    assert.is(requests[0]!.headers.authorization, `Bearer ${API_KEY}`);
  });
});

test('without a key no Authorization header is sent, not even one from OPENAI_API_KEY', async () => {
  const saved = process.env.OPENAI_API_KEY;
  process.env.OPENAI_API_KEY = 'sk-from-the-environment';
  try {
    await withServer((_req, res) => reply(res, 200, COMPLETION), async ({ baseURL, requests }) => {
      rightOf(await clientAt(baseURL, { apiKey: undefined }).complete(REQUEST), 'a completion');
      assert.is(requests[0]!.headers.authorization, undefined);
    });
  } finally {
    if (saved === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved;
  }
});

test('5xx is retried up to 3 attempts in all, then fails naming the status, the host and the body', async () => {
  await withServer((_req, res, n) => (n < 3 ? reply(res, 503, 'busy') : reply(res, 200, COMPLETION)), async ({ baseURL }) => {
    const answer = rightOf(await clientAt(baseURL).complete(REQUEST), 'a completion on the third attempt');
    assert.is(answer.attempts, 3);
    assert.equal(answer.retried, ['HTTP 503', 'HTTP 503']);
  });
  await withServer((_req, res) => reply(res, 503, 'busy'), async ({ baseURL, host, requests }) => {
    const failure = failureOf(await clientAt(baseURL).complete(REQUEST));
    assert.is(failure.kind, 'http_error');
    assert.is(failure.attempts, 3);
    assert.is(requests.length, 3);
    assert.is(failure.reason, `HTTP 503 from ${host}: "busy"`);
  });
});

test('a 4xx other than 408, 409 and 429 is not retried', async () => {
  await withServer((_req, res) => reply(res, 400, JSON.stringify({ error: { message: 'bad model' } })), async ({ baseURL, requests }) => {
    const failure = failureOf(await clientAt(baseURL).complete(REQUEST));
    assert.is(failure.detail, 'HTTP 400: "bad model"');
    assert.is(requests.length, 1);
  });
});

test('Retry-After is honoured between retries', async () => {
  const rateLimited = (wait: string): Handler => (_req, res, n) =>
    n === 1 ? reply(res, 429, 'slow down', { 'retry-after-ms': wait }) : reply(res, 200, COMPLETION);
  for (const [wait, atLeast, below] of [['400', 400, Infinity], ['0', 0, 300]] as const) {
    await withServer(rateLimited(wait), async ({ baseURL }) => {
      const started = performance.now();
      rightOf(await clientAt(baseURL).complete(REQUEST), 'a completion after the wait');
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= atLeast && elapsed < below, `retry-after-ms ${wait}: took ${elapsed} ms`);
    });
  }
});

test('an error body that echoes the Authorization header does not carry the key any further', async () => {
  const echo: Handler = (req, res) => reply(res, 401, JSON.stringify({ error: { message: `Rejected: ${req.headers.authorization}` } }));
  await withServer(echo, async ({ baseURL, host }) => {
    const failure = failureOf(await clientAt(baseURL).complete(REQUEST));
    assert.is(failure.reason, `HTTP 401 from ${host}: "Rejected: Bearer [redacted API key]"`);
  });
});

test('a closed port is unreachable: retried as the SDK does, or failed at once when asked', async () => {
  let closed = '';
  let host = '';
  await withServer(() => {}, async (served) => {
    closed = served.baseURL;
    host = served.host;
  });
  const once = failureOf(await clientAt(closed, { retryConnectionFailures: false }).complete(REQUEST));
  assert.is(once.kind, 'unreachable');
  assert.is(once.attempts, 1);
  assert.match(once.reason, `model unreachable at ${host}: ECONNREFUSED`);
  const retried = failureOf(await clientAt(closed, { maxRetries: 1 }).complete(REQUEST));
  assert.is(retried.kind, 'unreachable');
  assert.is(retried.attempts, 2);
  assert.equal(retried.retried, ['ECONNREFUSED']);
});

test('a server that never answers, or stops in the middle of the body, is a time-out', async () => {
  await withServer(() => {}, async ({ baseURL, host, requests }) => {
    const failure = failureOf(await clientAt(baseURL, { timeoutMs: 200, retryConnectionFailures: false }).complete(REQUEST));
    assert.is(failure.kind, 'timeout');
    assert.is(failure.reason, `no complete answer from ${host} within 200 ms`);
    assert.is(requests.length, 1);
  });
  const halfBody: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"choices": [');
  };
  await withServer(halfBody, async ({ baseURL }) => {
    const started = performance.now();
    const failure = failureOf(await clientAt(baseURL, { timeoutMs: 300 }).complete(REQUEST));
    assert.is(failure.kind, 'timeout');
    assert.ok(performance.now() - started < 2_000, 'the body is bounded by the same time-out');
  });
});

test('a reply that is not JSON, or not a chat completion, is a bad_reply for the caller to retry', async () => {
  await withServer((_req, res, n) => reply(res, 200, n === 1 ? '<html>' : '{"choices": []}'), async ({ baseURL, requests }) => {
    const client = clientAt(baseURL);
    assert.is(failureOf(await client.complete(REQUEST)).detail, 'the response body is not JSON: "<html>"');
    const empty = failureOf(await client.complete(REQUEST));
    assert.is(empty.kind, 'bad_reply');
    assert.match(empty.detail, 'the response is not a chat completion: $.choices: expected at least one choice');
    assert.is(requests.length, 2);
  });
});

test.run();
