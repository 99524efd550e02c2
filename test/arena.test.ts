import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arena, assertBadInput, type Outcome, withTemp } from './fixtures/arena-cli';
import { startOpenAiServer, type RecordedRequest, type ScriptedReply } from './fixtures/openai-server';

/**
 * The arena end to end, through its command line: two "models" served by a local scripted
 * OpenAI-compatible server, an exec agent, an MCP agent and a built-in policy in one market beside a
 * background population.
 */

const EXEC = (mode: string) => `exec:node test/fixtures/agents/arena-exec.mjs ${mode}`;
const MCP = 'mcp:node examples/agents/mcp-agent.mjs';
const BUNDLE = { cpu: 0.02, memory: 0.02, tokens: 0.001, attention: 0, duration_seconds: 60 };

function lastUser(request: RecordedRequest): string {
  const last = request.body.messages.at(-1);
  return last?.role === 'user' ? (last.content ?? '') : '';
}

/**
 * Two strategies behind one server, told apart by the model asked: `careful` bids three credits for a
 * small window and in it hands in an output and asks the human to look; `wasteful` bids 40% of its
 * balance for a large window and does nothing in it.
 */
function modelReply(_n: number, request: RecordedRequest): ScriptedReply {
  const turn = lastUser(request);
  const balance = Number(/"balance":([\d.]+)/.exec(turn)?.[1] ?? '0');
  const endTurn = { name: 'end_turn', arguments: {} };
  if (turn.includes('your bidding turn')) {
    const bid =
      request.body.model === 'careful'
        ? { amount: Math.min(3, balance), bundle: BUNDLE }
        : { amount: Math.max(1, Math.round(balance * 0.4)), bundle: { ...BUNDLE, cpu: 0.3, memory: 0.3 } };
    return { kind: 'tools', calls: [{ name: 'market_bid', arguments: bid }, endTurn] };
  }
  if (turn.includes('your executing turn') && request.body.model === 'careful') {
    return {
      kind: 'tools',
      calls: [
        { name: 'output_submit', arguments: { content: 'A short report on the market.' } },
        { name: 'human_prompt', arguments: { prompt: 'Please read my report.', bid_amount: 3 } },
        endTurn,
      ],
    };
  }
  return { kind: 'tools', calls: [endTurn] };
}

const POPULATION = {
  groups: [
    { policy: 'fixed_share', count: 2, params: { prompt_bid: 2 } },
    { policy: 'saver', count: 2 },
  ],
  human: { answers_per_cycle: 2 },
};

interface Report {
  leaderboard: { agent: string; seeds: number; faults: number; usage: { model_calls: number; replayed_calls: number }; cost_usd: number | null; vs_background_best: { group: string } | null }[];
  pairwise: Record<string, Record<string, number>>;
  seeds: { seed: string; focal: { agent: string; rank: number; fault_reasons: string[] }[] }[];
}

test(
  'two models, an exec agent, an MCP agent and a policy: ranked as their strategies imply, and replayed byte for byte with no server',
  withTemp(async (dir) => {
    const population = join(dir, 'study.json');
    writeFileSync(population, JSON.stringify(POPULATION));
    const server = await startOpenAiServer(modelReply);
    const cache = join(dir, 'cache');
    const pricing = join(dir, 'pricing.json');
    writeFileSync(pricing, JSON.stringify({ careful: { input_per_million: 1, output_per_million: 2 } }));
    const args = [
      '--pricing', pricing,
      '--agent', 'careful=openai:careful',
      '--agent', 'wasteful=openai:wasteful',
      '--agent', `thrifty=${EXEC('thrifty')}`,
      '--agent', `tools=${MCP}`,
      '--agent', 'saver=policy:saver',
      '--population', population, '--cycles', '8', '--seeds', '1..3', '--format', 'json',
      '--model-cache', cache, '--log-dir', join(dir, 'logs'),
    ];
    let recorded: Outcome;
    try {
      // The two models on the one server, each found by its own name's variable.
      recorded = await arena([...args, '--csv', join(dir, 'arena.csv'), '--html', join(dir, 'arena.html')], {
        ARENA_CAREFUL_BASE_URL: server.baseURL,
        ARENA_WASTEFUL_BASE_URL: server.baseURL,
        ARENA_WASTEFUL_API_KEY: 'sk-secret-of-wasteful',
      });
    } finally {
      await server.close();
    }
    assert.is(recorded.status, 0, recorded.stderr);
    assert.equal([...new Set(server.requests.map((request) => request.body.model))].sort(), ['careful', 'wasteful']);
    assert.ok(server.requests.some((request) => request.headers.authorization === 'Bearer sk-secret-of-wasteful'), 'the per-agent key is sent');
    const report = JSON.parse(recorded.stdout) as Report;
    assert.equal(report.leaderboard.map(({ agent }) => agent).sort(), ['careful', 'saver', 'thrifty', 'tools', 'wasteful']);
    assert.ok(report.pairwise.careful!.wasteful! >= 2 / 3, `careful above wasteful in most seeds: ${JSON.stringify(report.pairwise)}`);
    assert.ok(report.pairwise.thrifty!.wasteful! >= 2 / 3, 'the thrifty exec agent too');
    for (const seed of report.seeds) {
      assert.equal(seed.focal.length, 5);
      // Ranked among all nine agents of the world, focal and background.
      assert.ok(seed.focal.every(({ rank }) => rank >= 1 && rank <= 9), JSON.stringify(seed.focal.map(({ rank }) => rank)));
    }
    const entry = (agent: string) => report.leaderboard.find((candidate) => candidate.agent === agent)!;
    // The calls that reached the model are the server's; the cache keeps each seed's answers apart.
    const served = (agent: string) => server.requests.filter((request) => request.body.model === agent).length;
    for (const agent of ['careful', 'wasteful']) assert.ok(entry(agent).usage.model_calls === served(agent) && served(agent) > 0, agent);
    // The server reports 100 input and 20 output tokens a call; only the careful model has a price.
    assert.equal([entry('careful').cost_usd, entry('wasteful').cost_usd], [Math.round(entry('careful').usage.model_calls * 140) / 1e6, null]);
    assert.ok(report.leaderboard.every((entry) => entry.vs_background_best !== null && entry.seeds === 3));
    assert.is(readdirSync(cache).sort().join(','), 'careful,wasteful', 'one recording per model agent');
    assert.not.match(readFileSync(join(dir, 'arena.csv'), 'utf8') + readFileSync(join(dir, 'arena.html'), 'utf8'), 'sk-secret');

    // Offline: the recordings answer; nothing is called; the arena is the same byte for byte, but for the usage, which
    // says the answers were replayed (and so cost nothing).
    const replayed = await arena([...args, '--model-cache-mode', 'replay']);
    assert.is(replayed.status, 0, replayed.stderr);
    const withoutUsage = (stdout: string) => stdout.replace(/"usage":\{[^}]*\},"cost_usd":[^,}]+/g, '"usage":…');
    assert.is(withoutUsage(replayed.stdout), withoutUsage(recorded.stdout));
    const replayedEntry = (agent: string) => (JSON.parse(replayed.stdout) as Report).leaderboard.find((candidate) => candidate.agent === agent)!;
    for (const agent of ['careful', 'wasteful']) {
      const { usage } = entry(agent);
      assert.equal([replayedEntry(agent).usage.model_calls, replayedEntry(agent).usage.replayed_calls], [0, usage.model_calls + usage.replayed_calls], agent);
    }

    // The recordings are what made it so: without them the models fault and the arena differs.
    const empty = await arena([...args.slice(0, -4), '--model-cache', join(dir, 'empty'), '--model-cache-mode', 'replay', '--log-dir', join(dir, 'logs')]);
    assert.is(empty.status, 0, empty.stderr);
    const unanswered = JSON.parse(empty.stdout) as Report;
    assert.ok(unanswered.leaderboard.find(({ agent }) => agent === 'careful')!.faults > 0);
    assert.is.not(empty.stdout, recorded.stdout);
  }),
);

test(
  'a focal agent that crashes, hangs or answers garbage loses its turns; the world and the other agents go on',
  withTemp(async (dir) => {
    const outcome = await arena([
      '--agent', `crash=${EXEC('crash')}`,
      '--agent', `hang=${EXEC('hang')}`,
      '--agent', `garbage=${EXEC('garbage')}`,
      '--agent', `thrifty=${EXEC('thrifty')}`,
      '--cycles', '3', '--seeds', '1..2', '--turn-timeout', '1', '--format', 'json', '--log-dir', dir,
    ]);
    assert.is(outcome.status, 0, outcome.stderr);
    const report = JSON.parse(outcome.stdout) as Report;
    const reasons = (agent: string) => report.seeds.flatMap((seed) => seed.focal.find((focal) => focal.agent === agent)!.fault_reasons);
    assert.ok(reasons('crash').every((reason) => reason.includes('exited early (exit code 3)')) && reasons('crash').length > 0);
    assert.ok(reasons('hang').every((reason) => reason.includes('brain_timeout: waited 1 s')) && reasons('hang').length > 0);
    assert.ok(reasons('garbage').every((reason) => reason.includes('not JSON')) && reasons('garbage').length > 0);
    assert.equal(reasons('thrifty'), []);
    assert.equal(report.seeds.map((seed) => seed.focal.length), [4, 4]);
  }),
);

test(
  'an interrupted arena resumes from its log and reports as an uninterrupted one does, whatever the worlds run at once',
  withTemp(async (dir) => {
    const args = ['--agent', 'a=policy:fixed_share', '--agent', 'b=policy:saver', '--cycles', '5', '--seeds', '1..3', '--format', 'json'];
    const whole = await arena([...args, '--log-dir', join(dir, 'whole'), '--max-concurrency', '3']);
    assert.is(whole.status, 0, whole.stderr);
    const cut = await arena([...args, '--log-dir', join(dir, 'cut')]);
    const file = join(dir, 'cut', readdirSync(join(dir, 'cut'))[0]!);
    const lines = readFileSync(file, 'utf8').split('\n');
    // The arena line, the first seed, and a line torn by the kill.
    writeFileSync(file, `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 40)}`);
    assert.is(cut.status, 0);
    const resumed = await arena(['--resume', file, '--format', 'json']);
    assert.is(resumed.status, 0, resumed.stderr);
    assert.is(resumed.stdout, whole.stdout);
    const kinds = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
    assert.equal(kinds, ['arena', 'seed', 'seed', 'seed', 'summary']);
    const changing = await arena(['--resume', file, '--cycles', '9']);
    assert.equal([changing.status, changing.stderr.trim().split('\n').length], [2, 1]);
  }),
);

test(
  'bad input: one line naming what is wrong, exit 2, before any world runs',
  withTemp(async (dir) => {
    const cases: [string[], RegExp][] = [
      [['--agent', 'a=policy:saver', '--agent', 'a=policy:random'], /^--agent a: the name is given twice/],
      [['--agent', 'my-model=policy:saver', '--agent', 'My_Model=policy:random'], /^--agent My_Model: too like my-model: both read ARENA_MY_MODEL_BASE_URL/],
      [['--agent', 'x=exec:/no/such/agent --flag'], /^--agent x: cannot start "\/no\/such\/agent": no executable file there$/],
      [['--agent', 'x=mcp:no-such-agent-program'], /^--agent x: cannot start "no-such-agent-program": not found on PATH$/],
      [['--agent', 'm=openai:some-model'], /^--agent m: set ARENA_M_BASE_URL \(or AGENT_BASE_URL\)/],
      [['--agent', 'a=policy:saver', '--population', join(dir, 'missing.json')], /missing\.json/],
      [['--agent', 'a=policy:hoarder'], /^--agent a: expected a built-in policy/],
      [['--agent', 'a=policy:fixed_share:{"prompt_bid":-2}'], /^--agent a: \$\.prompt_bid: expected a non-negative number of credits, got -2$/],
      [['--agent', 'agent-0001=policy:saver'], /background population/],
      [['--agent', 'x=exec:'], /^--agent x: expected a command after "exec:"$/],
      [['--agent', 'x=foo:bar'], /^--agent x: expected policy:NAME\[:PARAMS\] .*, openai:MODEL, exec:CMD, mcp:CMD, null or random, got "foo:bar"$/],
      [['--agent', 'a=script'], /^--agent a: a scenario's script has no place in the arena/],
      [[], /^--agent NAME=SPEC: give at least one agent/],
    ];
    for (const [args, expected] of cases) await assertBadInput([...args, '--log-dir', dir], {}, expected);
    assert.equal(readdirSync(dir), [], 'no log was started');
    // As a user sees it: the line on stderr, nothing on stdout.
    const typed = await arena(['--agent', 'a=policy:saver', '--agent', 'a=policy:random', '--log-dir', dir]);
    assert.equal([typed.status, typed.stdout, typed.stderr], [2, '', '--agent a: the name is given twice; each agent needs a name of its own\n']);
  }),
);

test.run();
