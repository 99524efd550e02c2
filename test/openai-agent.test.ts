import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../harness/run';
import { CommandExit } from '../harness/cli/cli';
import { MAX_FAILED_CALLS_IN_A_ROW } from '../machines';
import { UNANSWERED_REQUESTS_LIMIT } from '../harness/agents/model-calls';
import { BUNDLE, END_TURN, FC_003_REPLIES, startOpenAiServer, type OpenAiTestServer, type RecordedRequest, type ScriptedReply } from './fixtures/openai-server';

const API_KEY = 'sk-agent-secret-4242';
const REPO = new URL('..', import.meta.url).pathname;


/** fc_001's reference behaviour, as a model would answer: three parallel calls, then the turn's end; a quiet window. */
const FC_001: ScriptedReply[] = [
  {
    kind: 'tools',
    calls: [
      { name: 'economic_get_balance', arguments: {} },
      { name: 'record_reasoning', arguments: { content: 'The balance covers a small window.', decision: 'bid_within_balance' } },
      { name: 'market_bid', arguments: { amount: 50, bundle: BUNDLE } },
    ],
  },
  END_TURN,
  { kind: 'text', content: 'Nothing to do in this window.' },
];


interface Outcome {
  readonly code: number;
  readonly output: string;
  readonly report: {
    summary: { total: number; passed: number; usage: Record<string, number>; cost_usd?: number };
    results: { id: string; passed: boolean; usage: Record<string, number>; cost_usd?: number; checks: { name: string; passed: boolean; detail: string }[] }[];
  };
}

/** run.ts in this process, with the agent's endpoint in the environment and stdout captured. */
async function runAgent(server: Pick<OpenAiTestServer, 'baseURL'> | undefined, args: string[]): Promise<Outcome> {
  const saved = { url: process.env.AGENT_BASE_URL, key: process.env.AGENT_API_KEY, log: console.log };
  const lines: string[] = [];
  if (server === undefined) delete process.env.AGENT_BASE_URL;
  else process.env.AGENT_BASE_URL = server.baseURL;
  process.env.AGENT_API_KEY = API_KEY;
  console.log = (line: string) => lines.push(line);
  try {
    const code = await run(['--agent', 'openai:test-model', '--format', 'json', ...args]);
    const output = lines.join('\n');
    return { code, output, report: JSON.parse(output) };
  } finally {
    console.log = saved.log;
    if (saved.url === undefined) delete process.env.AGENT_BASE_URL;
    else process.env.AGENT_BASE_URL = saved.url;
    if (saved.key === undefined) delete process.env.AGENT_API_KEY;
    else process.env.AGENT_API_KEY = saved.key;
  }
}

async function withServer(replies: readonly ScriptedReply[], body: (server: OpenAiTestServer) => Promise<void>): Promise<void> {
  const server = await startOpenAiServer(replies);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

function withTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'openai-agent-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

const agentCheck = (outcome: Outcome, index = 0) => outcome.report.results[index]!.checks.find((check) => check.name === 'agent');

test('fc_001 passes with a model that checks its balance and bids; usage is what the server reported; the key goes only in the header', async () => {
  await withTemp(async (dir) => {
    await withServer(FC_001, async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--trace-out', join(dir, 'traces'), '--model-cache', join(dir, 'cache'), '--html', join(dir, 'report.html')]);
      assert.is(outcome.code, 0, outcome.output);
      assert.equal(outcome.report.results[0]!.usage, server.reported);
      assert.equal(outcome.report.summary.usage, server.reported);
      assert.is(server.reported.model_calls, 3);

      const [first, second] = server.requests;
      assert.is(first!.headers.authorization, `Bearer ${API_KEY}`);
      assert.is(first!.body.model, 'test-model');
      const offered = first!.body.tools!.map((tool) => tool.function.name);
      assert.equal(offered, ['economic_get_balance', 'market_get_prices', 'market_bid', 'agent_sleep', 'record_reasoning', 'record_reflection', 'end_turn']);
      assert.is(first!.body.messages[0]!.role, 'system');
      const briefing = first!.body.messages[1]!.content!;
      assert.match(briefing, /looks up its credit balance/);
      assert.match(briefing, /"agent_balance":500/);
      for (const secret of ['validation', 'required_event_sequence', 'expected_behavior', 'rubric']) assert.not.match(briefing, secret);
      // All three results go back, answering their calls in order, before the next model call.
      const results = second!.body.messages.filter((message) => message.role === 'tool');
      assert.equal(results.map((message) => message.tool_call_id), ['call_0_0', 'call_0_1', 'call_0_2']);
      assert.match(results[0]!.content!, /"balance":500/);

      for (const text of [outcome.output, ...filesUnder(dir)]) assert.not.ok(text.includes(API_KEY), 'the key leaks');
      // The viewer renders its inline data: the run's usage and the model's calls are in it.
      const page = readFileSync(join(dir, 'report.html'), 'utf8');
      assert.match(page, /"usage":\{"model_calls":3,"input_tokens":\d+,"output_tokens":\d+,"total_tokens":360,"replayed_calls":0,"replayed_tokens":0\}/);
      assert.match(page, /"name":"economic_get_balance","arguments":"\{\}"/);
    });
  });
});

test('fc_003 passes with a model that lowers its bid after the rejection', async () => {
  await withServer(FC_003_REPLIES, async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_003']);
    assert.is(outcome.code, 0, outcome.output);
    // The rejection, which came while the bid was being placed, is told before the model answers again.
    const notice = server.requests[1]!.body.messages.at(-1)!;
    assert.is(notice.role, 'user');
    assert.match(notice.content!, /Notices since your last message: \[\{"type":"bid_rejected"/);
  });
});

test('a model that only writes text: its text is its reasoning and the turn ends; the scenario fails on its rules', async () => {
  await withTemp(async (dir) => {
    await withServer([{ kind: 'text', content: 'I would rather wait.' }], async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--trace-out', dir]);
      assert.is(outcome.code, 1);
      assert.is(agentCheck(outcome), undefined);
      const trace = readFileSync(join(dir, 'fc_001.jsonl'), 'utf8');
      assert.match(trace, /"type":"reasoning_trace"[^\n]*"content":"I would rather wait.","decision":null/);
      assert.is(server.requests.length, 1);
    });
  });
});

test('malformed arguments and an unknown function are refused as failed calls, and the reasons go back to the model', async () => {
  await withTemp(async (dir) => {
    // Each refused call stops its batch, so each goes in a reply of its own.
    const replies: ScriptedReply[] = [
      { kind: 'tools', calls: [{ name: 'market_bid', arguments: '{"amount": 50, bundle' }] },
      { kind: 'tools', calls: [{ name: 'market_teleport', arguments: {} }] },
      { kind: 'tools', calls: [{ name: 'market_bid', arguments: { amount: -5, bundle: BUNDLE } }] },
      END_TURN,
    ];
    await withServer(replies, async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--trace-out', dir]);
      assert.is(outcome.code, 1);
      const trace = readFileSync(join(dir, 'fc_001.jsonl'), 'utf8');
      assert.match(trace, /"tool_call_completed"[^\n]*"tool_name":"market.bid","result":"failure","reason":"invalid_arguments: not JSON/);
      assert.match(trace, /"tool_call_completed"[^\n]*"tool_name":"market_teleport","result":"failure","reason":"unknown_tool"/);
      assert.match(trace, /"reason":"invalid_arguments: \$\.arguments\.amount: expected a positive number of credits/);
      const told = server.requests[3]!.body.messages.filter((message) => message.role === 'tool').map((message) => message.content!);
      assert.match(told[0]!, /not JSON/);
      assert.match(told[1]!, /unknown_tool/);
      assert.match(told[2]!, /positive number of credits/);
    });
  });
});

/** Every call id of the assistant messages a request holds, and how many tool messages answer each. */
function answersPerCall(request: RecordedRequest): Map<string, number> {
  const answers = new Map<string, number>();
  for (const message of request.body.messages) {
    for (const call of (message.tool_calls ?? []) as { id: string }[]) answers.set(call.id, answers.get(call.id) ?? 0);
    if (message.role === 'tool') answers.set(message.tool_call_id!, (answers.get(message.tool_call_id!) ?? 0) + 1);
  }
  return answers;
}

/** The tool messages of a request, as `id: content`. */
const toolMessages = (request: RecordedRequest) => request.body.messages.filter((message) => message.role === 'tool').map((message) => `${message.tool_call_id}: ${message.content}`);

test('parallel calls are one batch: it stops at a failed call, a turn-ending batch is answered with the next turn, every call id answered once', async () => {
  await withTemp(async (dir) => {
    const replies: ScriptedReply[] = [
      {
        kind: 'tools',
        calls: [
          { name: 'economic_get_balance', arguments: {} },
          { name: 'market_bid', arguments: { amount: 10_000, bundle: BUNDLE } },
          { name: 'market_get_prices', arguments: {} },
          { name: 'end_turn', arguments: {} },
        ],
      },
      {
        kind: 'tools',
        calls: [
          { name: 'record_reasoning', arguments: { content: 'Bid within the balance.', decision: 'bid' } },
          { name: 'market_bid', arguments: { amount: 50, bundle: BUNDLE } },
          { name: 'end_turn', arguments: {} },
          { name: 'market_get_prices', arguments: {} },
        ],
      },
      { kind: 'text', content: 'Nothing to do in this window.' },
    ];
    await withServer(replies, async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--trace-out', dir]);
      const trace = readFileSync(join(dir, 'fc_001.jsonl'), 'utf8');
      const initiated = [...trace.matchAll(/"type":"tool_call_initiated"[^\n]*?"tool_name":"([a-z_.]+)"/g)].map((match) => match[1]);
      assert.equal(initiated, ['economic.get_balance', 'market.bid', 'market.bid'], `nothing after the failed bid nor after end_turn is performed: ${outcome.output}`);

      assert.is(server.requests.length, 3, 'one model call per batch: the calls of a reply are not asked about one by one');
      const [, second, third] = server.requests;
      const afterFailure = toolMessages(second!);
      assert.is(afterFailure.length, 4);
      assert.match(afterFailure[0]!, /^call_0_0: .*"balance":500/);
      assert.match(afterFailure[1]!, /^call_0_1: .*"result":"failure","reason":"insufficient_balance/);
      assert.is(afterFailure[2], 'call_0_2: {"result":"not_performed","reason":"the batch stopped at the failed call market_bid (call_0_1)"}');
      assert.is(afterFailure[3], 'call_0_3: {"result":"not_performed","reason":"the batch stopped at the failed call market_bid (call_0_1)"}');

      // The second batch ended the turn: its results came with the window's turn, before its user message.
      const messages = third!.body.messages;
      const lastTool = messages.map((message) => message.role).lastIndexOf('tool');
      assert.is(messages[lastTool + 1]?.role, 'user');
      assert.match(messages[lastTool + 1]!.content!, /your executing turn/);
      const afterTurnEnd = toolMessages(third!).slice(4);
      assert.is(afterTurnEnd.length, 4);
      assert.is(afterTurnEnd[0], 'call_1_0: {"result":"recorded"}');
      assert.match(afterTurnEnd[1]!, /^call_1_1: \{"tool_name":"market.bid","result":"success"/, afterTurnEnd[1]);
      assert.is(afterTurnEnd[2], 'call_1_2: {"result":"turn_ended"}');
      assert.is(afterTurnEnd[3], 'call_1_3: {"result":"not_performed","reason":"the turn ended before this call"}');

      for (const request of server.requests) {
        for (const [id, count] of answersPerCall(request)) assert.is(count, 1, `call ${id} answered ${count} times before a model call`);
      }
    });
  });
});

test('HTTP 429 then success: the request is tried again and the scenario passes', async () => {
  await withServer([{ kind: 'status', status: 429 }, ...FC_001], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001']);
    assert.is(outcome.code, 0, outcome.output);
    assert.is(server.requests.length, 4);
    assert.equal(outcome.report.results[0]!.usage, server.reported);
  });
});

test('HTTP 500 three times: the scenario fails naming the host, after 3 attempts; the next scenario still runs', async () => {
  await withServer([{ kind: 'status', status: 500 }], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001', '--scenario', 'fc_003']);
    assert.is(outcome.code, 1);
    assert.is(outcome.report.results.length, 2);
    const check = agentCheck(outcome);
    assert.ok(check, outcome.output);
    assert.match(check!.detail, `cycle 1 bidding turn: brain_failed: agent model: HTTP 500 from ${server.host}: `);
    // 3 attempts per scenario: the crashed brain makes no call in its later turns.
    assert.is(server.requests.length, 6);
    assert.equal(outcome.report.summary.usage, { model_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, replayed_calls: 0, replayed_tokens: 0 });
  });
});

test('a server that never answers: each attempt times out, and the scenario fails saying so', async () => {
  await withServer([{ kind: 'silent' }], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001', '--model-timeout', '0.2']);
    assert.is(outcome.code, 1);
    assert.match(agentCheck(outcome)!.detail, `brain_failed: agent model: no answer within 0.2 s from ${server.host}`);
    assert.is(server.requests.length, 3);
  });
});

test('a turn deadline cuts off a model that is still thinking: brain_timeout, and the run goes on', async () => {
  await withTemp(async (dir) => {
    await withServer([{ kind: 'silent' }], async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--turn-timeout', '0.2', '--model-timeout', '30', '--trace-out', dir]);
      assert.is(server.requests.length, 1);
      assert.is(outcome.code, 1);
      assert.is(agentCheck(outcome)!.detail, "cycle 1 bidding turn: brain_timeout: waited 0.2 s for the model test-model's answer");
    });
  });
});

test('a body that is not JSON is tried 3 times, then fails the scenario', async () => {
  await withServer([{ kind: 'raw', body: '<html>gateway</html>' }], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001']);
    assert.match(agentCheck(outcome)!.detail, /not JSON/);
    assert.is(server.requests.length, 3);
  });
});

test('--token-limit: past the limit the turn ends with token_limit and no model call is made', async () => {
  await withServer(FC_001, async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001', '--token-limit', '100']);
    assert.is(outcome.code, 1);
    assert.match(agentCheck(outcome)!.detail, /token_limit/);
    assert.is(server.requests.length, 1);
    assert.is(outcome.report.results[0]!.usage.total_tokens, 120);
  });
});

test('--pricing adds the cost of the tokens', async () => {
  await withTemp(async (dir) => {
    const pricing = join(dir, 'pricing.json');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(pricing, JSON.stringify({ 'test-model': { input_per_million: 2, output_per_million: 10 } })));
    await withServer(FC_001, async (server) => {
      const outcome = await runAgent(server, ['--scenario', 'fc_001', '--pricing', pricing]);
      // 300 input tokens at $2/M and 60 output tokens at $10/M.
      assert.is(outcome.report.results[0]!.cost_usd, 0.0012);
    });
  });
});

test('record, then replay with the server stopped: the byte-identical trace; the replay reached no model, so its calls count as replayed', async () => {
  await withTemp(async (dir) => {
    const cache = join(dir, 'cache');
    let recorded: Outcome | undefined;
    let baseURL = '';
    await withServer(FC_003_REPLIES, async (server) => {
      baseURL = server.baseURL;
      recorded = await runAgent(server, ['--scenario', 'fc_003', '--model-cache', cache, '--model-cache-mode', 'record', '--trace-out', join(dir, 'recorded')]);
    });
    const entries = readdirSync(cache);
    assert.is(entries.length, 4);
    const entry = JSON.parse(readFileSync(join(cache, entries[0]!), 'utf8'));
    assert.ok(entry.request.messages && entry.completion.choices && entry.usage.model_calls === 1);
    assert.not.ok(JSON.stringify(entry).includes(baseURL.replace('/v1', '')), 'the base URL is stored');

    const replayed = await runAgent({ baseURL }, ['--scenario', 'fc_003', '--model-cache', cache, '--model-cache-mode', 'replay', '--trace-out', join(dir, 'replayed')]);
    assert.is(replayed.code, 0, replayed.output);
    assert.is(readFileSync(join(dir, 'replayed', 'fc_003.jsonl'), 'utf8'), readFileSync(join(dir, 'recorded', 'fc_003.jsonl'), 'utf8'));
    const recordedUsage = recorded!.report.results[0]!.usage;
    assert.equal(recordedUsage, { model_calls: 4, input_tokens: 400, output_tokens: 80, total_tokens: 480, replayed_calls: 0, replayed_tokens: 0 });
    assert.equal(replayed.report.results[0]!.usage, { model_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, replayed_calls: 4, replayed_tokens: 480 });
    // Replay needs no endpoint at all.
    const offline = await runAgent(undefined, ['--scenario', 'fc_003', '--model-cache', cache, '--model-cache-mode', 'replay']);
    assert.is(offline.code, 0, offline.output);
  });
});

/** fc_001 as a model answers it, bidding 10 credits more in each new trial (a conversation that starts afresh). */
function biddingMoreEachTrial(): (n: number, request: RecordedRequest) => ScriptedReply {
  let trials = 0;
  return (_, request) => {
    const answered = request.body.messages.filter((message) => message.role === 'assistant').length;
    if (answered === 0) trials += 1;
    const reply = FC_001[Math.min(answered, FC_001.length - 1)]!;
    return answered > 0 ? reply : { kind: 'tools', calls: [...(reply as Extract<ScriptedReply, { kind: 'tools' }>).calls.slice(0, 2), { name: 'market_bid', arguments: { amount: 40 + 10 * trials, bundle: BUNDLE } }] };
  };
}

/** The traces of a run's log folder, by file name (`fc_001.e1.jsonl`, …). */
function tracesUnder(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.e\d+\.jsonl$/.test(entry.name))
      .map((entry) => [entry.name, readFileSync(join(entry.parentPath, entry.name), 'utf8')]),
  );
}

test('--epochs with --model-cache: every epoch is its own trial, recorded and replayed apart, with real calls and replays counted apart and priced apart', async () => {
  await withTemp(async (dir) => {
    const cache = join(dir, 'cache');
    const pricing = join(dir, 'pricing.json');
    writeFileSync(pricing, JSON.stringify({ 'test-model': { input_per_million: 2, output_per_million: 10 } }));
    const epochs = ['--scenario', 'fc_001', '--epochs', '3', '--max-concurrency', '1', '--model-cache', cache, '--pricing', pricing];
    const server = await startOpenAiServer(biddingMoreEachTrial());
    let recorded: Outcome;
    try {
      recorded = await runAgent(server, [...epochs, '--log-dir', join(dir, 'recorded')]);
    } finally {
      await server.close();
    }
    assert.is(recorded.code, 0, recorded.output);
    // Three calls per epoch: none of epochs 2 and 3 came from epoch 1's answers.
    assert.is(server.requests.length, 9);
    assert.is(readdirSync(cache).length, 9);
    assert.equal(recorded.report.summary.usage, { ...server.reported, replayed_calls: 0, replayed_tokens: 0 });
    assert.is(recorded.report.summary.cost_usd, 0.0036);

    const replayed = await runAgent({ baseURL: server.baseURL }, [...epochs, '--model-cache-mode', 'auto', '--log-dir', join(dir, 'replayed')]);
    assert.is(replayed.code, 0, replayed.output);
    assert.equal(replayed.report.summary.usage, { model_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, replayed_calls: 9, replayed_tokens: 1080 });
    assert.is(replayed.report.summary.cost_usd, 0);
    const [before, after] = [tracesUnder(join(dir, 'recorded')), tracesUnder(join(dir, 'replayed'))];
    assert.equal(Object.keys(before).sort(), ['fc_001.e1.jsonl', 'fc_001.e2.jsonl', 'fc_001.e3.jsonl']);
    assert.equal(after, before);
    assert.match(before['fc_001.e2.jsonl']!, /"amount":60/);
    assert.not.match(before['fc_001.e1.jsonl']!, /"amount":60/);
  });
});

/** run.ts as `runAgent` runs it, for a run that must stop as bad input: its exit code and its one line. */
async function stoppedRun(server: Pick<OpenAiTestServer, 'baseURL'>, args: string[]): Promise<{ exitCode: number; message: string }> {
  try {
    const outcome = await runAgent(server, args);
    throw new Error(`the run was not stopped: exit ${outcome.code}, ${outcome.output}`);
  } catch (error) {
    if (!(error instanceof CommandExit)) throw error;
    return { exitCode: error.exitCode, message: error.message };
  }
}

const jsonlUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.jsonl'));

for (const [what, reply, expected] of [
  ['a refused key (HTTP 401)', { kind: 'status', status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided' } }) }, 'authentication failed (HTTP 401) at HOST: "Incorrect API key provided"'],
  ['a forbidden key (HTTP 403)', { kind: 'status', status: 403 }, 'authentication failed (HTTP 403) at HOST: "scripted 403"'],
  ['an unknown model (HTTP 404)', { kind: 'status', status: 404, body: JSON.stringify({ error: { message: 'The model `test-model` does not exist' } }) }, 'unknown model "test-model" (HTTP 404) at HOST: "The model `test-model` does not exist"'],
  ['a base URL with no chat completions (HTTP 404)', { kind: 'status', status: 404, body: '404 page not found' }, 'endpoint not found (HTTP 404): HOST serves no chat completions at this base URL: "404 page not found"'],
] as [string, ScriptedReply, string][]) {
  test(`${what} stops the whole run at once: exit 2, one line naming it, and no log that reads as a result`, async () => {
    await withTemp(async (dir) => {
      await withServer([reply], async (server) => {
        // One scenario at a time: scenarios already under way when the failure comes have sent their first request.
        const stopped = await stoppedRun(server, ['--scenario', 'fc_001', '--scenario', 'fc_003', '--max-concurrency', '1', '--log-dir', dir]);
        assert.is(stopped.exitCode, 2);
        assert.is(stopped.message.split('\n').length, 1, stopped.message);
        assert.ok(stopped.message.startsWith(`the run is stopped: agent model: ${expected.replace('HOST', server.host)} (no scenario finished: `), stopped.message);
        // Not retried, and the second scenario sent nothing.
        assert.is(server.requests.length, 1);
        assert.equal(jsonlUnder(dir), []);
      });
    });
  });
}

test('a failure going on can cure is not a stop: a reply that is not a completion, or a refused connection, fails its scenario naming it', async () => {
  await withServer([{ kind: 'raw', body: JSON.stringify({ hello: 'world' }) }], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001']);
    assert.is(outcome.code, 1);
    assert.match(agentCheck(outcome)!.detail, `brain_failed: agent model: not an OpenAI-compatible response from ${server.host}: the response is not a chat completion`);
  });
  const server = await startOpenAiServer([]);
  await server.close();
  const outcome = await runAgent(server, ['--scenario', 'fc_001']);
  assert.is(outcome.code, 1);
  assert.is(agentCheck(outcome)!.detail, `cycle 1 bidding turn: brain_failed: agent model: connection refused at ${server.host}`);
});

test(`a model that has not answered ${UNANSWERED_REQUESTS_LIMIT} requests in a row stops the run: exit 2, and the later scenarios send nothing`, async () => {
  await withTemp(async (dir) => {
    await withServer([{ kind: 'silent' }], async (server) => {
      const scenarios = ['fc_001', 'fc_002', 'fc_003', 'fc_004'].flatMap((id) => ['--scenario', id]);
      const stopped = await stoppedRun(server, [...scenarios, '--model-timeout', '0.2', '--max-concurrency', '1', '--log-dir', dir]);
      assert.is(stopped.exitCode, 2);
      assert.match(stopped.message, `the run is stopped: the agent model has not answered ${UNANSWERED_REQUESTS_LIMIT} requests in a row (the last: no answer within 0.2 s from ${server.host})`);
      // Each request was tried 3 times; the fourth scenario asked nothing.
      assert.is(server.requests.length, 3 * UNANSWERED_REQUESTS_LIMIT);
      // The two scenarios that finished are in the log, which has no summary: it reads as a run cut short, not a result.
      const [log] = jsonlUnder(dir).filter((file) => !file.includes('/'));
      const kinds = readFileSync(join(dir, log!), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
      assert.equal(kinds, ['run', 'sample', 'sample']);
    });
  });
});

test(`a model whose calls keep failing: the turn ends after ${MAX_FAILED_CALLS_IN_A_ROW} in a row, as an agent fault listed first`, async () => {
  await withServer([{ kind: 'tools', calls: [{ name: 'market_bid', arguments: '{"amount": 50, bundle' }] }], async (server) => {
    const outcome = await runAgent(server, ['--scenario', 'fc_001']);
    assert.is(outcome.code, 1);
    assert.is(server.requests.length, MAX_FAILED_CALLS_IN_A_ROW);
    const [first] = outcome.report.results[0]!.checks;
    assert.is(first!.name, 'agent');
    assert.match(first!.detail, `cycle 1 bidding turn: too_many_failed_calls: ${MAX_FAILED_CALLS_IN_A_ROW} tool calls in a row failed; the last: market.bid: invalid_arguments: not JSON`);
  });
});

test('replay of a request the cache does not hold fails the scenario naming the cache and the key', async () => {
  await withTemp(async (dir) => {
    const outcome = await runAgent(undefined, ['--scenario', 'fc_001', '--model-cache', dir, '--model-cache-mode', 'replay']);
    assert.is(outcome.code, 1);
    assert.match(agentCheck(outcome)!.detail, new RegExp(`no recorded answer in the model cache ${dir} for key [0-9a-f]{64}`));
  });
});

test('--agent refusals are one line: an unknown kind, a missing model, a model option given to a process agent, a missing base URL', async () => {
  const refusal = async (args: string[]) => {
    try {
      await runAgent(undefined, args);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no refusal';
  };
  assert.match(await refusal(['--agent', 'gpt']), /--agent: expected script, openai:MODEL/);
  assert.match(await refusal(['--agent', 'openai:']), /a model name/);
  assert.match(await refusal(['--agent', 'exec:./agent', '--temperature', '1']), /--temperature applies to a model/);
  assert.match(await refusal(['--scenario', 'fc_001']), /set AGENT_BASE_URL/);
});

/** The CLI as a user runs it: an unusable model fails the scenario with exit status 1, no stack trace. */
test('run.ts --agent openai against a broken server: exit 1, the reason in the table, no stack trace', async () => {
  await withServer([{ kind: 'status', status: 503 }], async (server) => {
    const child = spawn('npx', ['tsx', 'harness/run.ts', '--agent', 'openai:test-model', '--scenario', 'fc_001'], {
      cwd: REPO,
      env: { ...process.env, AGENT_BASE_URL: server.baseURL, AGENT_API_KEY: API_KEY },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.is(code, 1, output);
    assert.match(output, `agent model: HTTP 503 from ${server.host}: `);
    assert.not.match(output, /\n\s+at /);
    assert.not.ok(output.includes(API_KEY));
  });
});

test.run();
