import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execAgent, type ExecAgent } from '../harness/agents/exec-brain';
import type { OfferedTool } from '../harness/agents/tool-surface';
import { isAlive, replayWithAgent, type AgentOutcome } from './fixtures/replay-with-brain';
import { eventsOf } from './fixtures/events-of';
import { MAX_FAILED_CALLS_IN_A_ROW } from '../machines';

/**
 * `--agent exec:CMD`: agents in any language, as processes speaking the brain protocol in JSON lines.
 * The example agents pass the scenarios they are written for; agents that print garbage, stay silent,
 * answer unasked, exit early or cannot be started fail with a reason, within the deadline; no process
 * outlives its run.
 */

const TOOLS: readonly OfferedTool[] = [
  { name: 'economic.get_balance', description: 'Your balance.', parameters: { type: 'object', properties: {} }, phases: ['bidding', 'executing'] },
  { name: 'market.bid', description: 'Bid for a window.', parameters: { type: 'object', properties: {} }, phases: ['bidding'] },
];

async function runExec(scenario: string, words: readonly string[], turnTimeoutMs = 10_000): Promise<AgentOutcome<ExecAgent>> {
  return replayWithAgent(scenario, (onFault) => execAgent({ words, scenario_id: scenario, seed: 1, tools: TOOLS, turnTimeoutMs, exitGraceMs: 300, onFault }));
}

/** A killed process takes a moment to finish exiting after its pipes close. */
async function isGoneSoon(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 20 && isAlive(pid); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

/** A Node agent written inline, with the protocol's loop around `answer(message)`, which returns the lines to write. */
const nodeAgent = (answer: string) => [
  process.execPath,
  '-e',
  `const rl = require('node:readline').createInterface({ input: process.stdin });
   const say = (action) => console.log(JSON.stringify({ type: 'brain.act', action }));
   rl.on('line', (line) => { const message = JSON.parse(line); ${answer} });`,
];

for (const [language, words] of [
  ['Python', ['python3', 'examples/agents/agent.py']],
  ['Node', [process.execPath, 'examples/agents/agent.mjs']],
] as const) {
  for (const scenario of ['fc_001', 'fc_003']) {
    test(`the ${language} example agent passes ${scenario}, and its process is gone after the run`, async () => {
      const outcome = await runExec(scenario, words);
      assert.equal(outcome.failedChecks, []);
      assert.equal(outcome.faults, []);
      assert.ok(outcome.passed);
      const agentProcess = outcome.agent.process();
      assert.ok(agentProcess?.hasExited());
      assert.ok(!isAlive(agentProcess?.pid));
      // It read the hello: the tools offered, and its identity in its environment and in the message.
      assert.ok(agentProcess?.stderr().includes(`hello: agent_under_test in ${scenario}, 2 tools`), agentProcess?.stderr());
    });
  }
}

test('an agent printing garbage fails with the line quoted, on every turn it does', async () => {
  const outcome = await runExec('fc_001', nodeAgent(`if (message.type === 'turn.started') console.log('I am thinking about ' + 'x'.repeat(300));`));
  assert.not.ok(outcome.passed);
  assert.is(outcome.faults.length, 1);
  assert.match(outcome.faults[0]!, /^the agent wrote a line that is not JSON: "I am thinking about x+…"$/);
  assert.ok(outcome.faults[0]!.length < 200, 'the quote is cut short');
});

test('an answer that is JSON but not an action fails with what was expected', async () => {
  const outcome = await runExec('fc_001', nodeAgent(`if (message.type === 'turn.started') say({ kind: 'bid', amount: 5 });`));
  assert.not.ok(outcome.passed);
  assert.match(outcome.faults[0]!, /^the agent wrote an invalid answer \(\$\.action\.kind: expected tool \| reasoning \| reflection \| end_turn, got "bid"\): /);
});

/** A Node agent that answers with batches: `answer(message)` as in `nodeAgent`, with `batch(actions)` to write one. */
const batchAgent = (answer: string) => [
  process.execPath,
  '-e',
  `const rl = require('node:readline').createInterface({ input: process.stdin });
   const batch = (actions) => console.log(JSON.stringify({ type: 'brain.act', actions }));
   const heard = [];
   rl.on('line', (line) => { const message = JSON.parse(line); heard.push(message.type); ${answer} });`,
];

test('an agent answering with a batch: performed in order, one actions.performed for it, a turn-ending batch told with the next turn', async () => {
  const bid = { kind: 'tool', tool_name: 'market.bid', arguments: { amount: 50, bundle: { cpu: 0.1, memory: 0.1, tokens: 0.001, duration_seconds: 60 } } };
  const outcome = await runExec(
    'fc_001',
    batchAgent(`
      if (message.type === 'turn.started' && message.phase === 'bidding') batch([{ kind: 'tool', tool_name: 'economic.get_balance', arguments: {} }, { kind: 'reasoning', content: 'half in reserve', decision: 'bid_within_balance' }]);
      if (message.type === 'actions.performed') {
        console.error('performed ' + JSON.stringify(message));
        batch([${JSON.stringify(bid)}, { kind: 'end_turn' }]);
      }
      if (message.type === 'turn.started' && message.phase === 'executing') {
        console.error('results ' + JSON.stringify(message.results) + ' after ' + heard.join(','));
        batch([{ kind: 'end_turn' }]);
      }`),
  );
  assert.equal(outcome.faults, []);
  assert.ok(outcome.passed, outcome.failedChecks.join('; '));
  assert.equal(
    outcome.trace.filter((event) => event.type === 'tool_call_initiated' || event.type === 'reasoning_trace').map((event) => (event.type === 'reasoning_trace' ? 'reasoning' : event.data.tool_name)),
    ['economic.get_balance', 'reasoning', 'market.bid'],
  );
  const stderr = outcome.agent.process()?.stderr() ?? '';
  assert.match(stderr, 'performed {"type":"actions.performed","results":[{"type":"tool.result","tool_name":"economic.get_balance","result":"success","response":{"balance":500}},{"type":"action.recorded","kind":"reasoning"}],"not_performed":0}');
  assert.match(stderr, 'results [{"type":"tool.result","tool_name":"market.bid","result":"success","response":{"bid_id":"bid-000001","total_cost":50}}] after hello,turn.started,actions.performed,turn.started');
});

test('a malformed batch (end_turn first) fails the turn with a one-line reason naming actions[0]', async () => {
  const outcome = await runExec('fc_001', batchAgent(`if (message.type === 'turn.started') batch([{ kind: 'end_turn' }, { kind: 'tool', tool_name: 'economic.get_balance', arguments: {} }]);`));
  assert.not.ok(outcome.passed);
  assert.is(outcome.faults.length, 1);
  const [fault] = outcome.faults;
  assert.match(fault!, /^the agent wrote an invalid answer \(\$\.actions\[0\]: expected end_turn only as the last action of a batch, got \{"kind":"end_turn"\}\): "/);
  assert.not.match(fault!, /\n/);
  assert.is(eventsOf(outcome.trace, 'tool_call_initiated').length, 0, 'nothing of the malformed batch was performed');
});

test(`an agent whose calls keep failing: each turn ends after ${MAX_FAILED_CALLS_IN_A_ROW} failed calls in a row, with the last reason`, async () => {
  const outcome = await runExec(
    'fc_001',
    nodeAgent(`
      if (message.type === 'hello' || message.type === 'notified' || message.type === 'run.finished') return;
      say({ kind: 'tool', tool_name: 'market.bid', arguments: { amount: 1000000, bundle: { cpu: 0.1, duration_seconds: 1 } } });`),
  );
  assert.not.ok(outcome.passed);
  assert.ok(outcome.faults.length > 0);
  for (const fault of outcome.faults) assert.match(fault, new RegExp(`^too_many_failed_calls: ${MAX_FAILED_CALLS_IN_A_ROW} tool calls in a row failed; the last: market\\.bid: insufficient_balance`));
  assert.is(eventsOf(outcome.trace, 'tool_call_initiated').length, MAX_FAILED_CALLS_IN_A_ROW * outcome.faults.length);
});

test('a silent agent is cut off at the deadline of each turn, and killed after run.finished', async () => {
  const started = Date.now();
  const outcome = await runExec('fc_001', nodeAgent(''), 150);
  assert.not.ok(outcome.passed);
  assert.equal(outcome.faults, ["brain_timeout: waited 0.15 s for the agent process's answer"]);
  assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
  assert.ok(!isAlive(outcome.agent.process()?.pid));
});

test('a late answer is dropped, so the next prompt gets the next answer', async () => {
  // Answers its first prompt after 300 ms (past the 100 ms deadline), every later one at once.
  const outcome = await runExec(
    'fc_001',
    nodeAgent(`
      if (message.type === 'hello' || message.type === 'notified' || message.type === 'run.finished') return;
      globalThis.count = (globalThis.count ?? 0) + 1;
      if (globalThis.count === 1) setTimeout(() => say({ kind: 'tool', tool_name: 'market.bid', arguments: { amount: 1, bundle: { cpu: 0.1, duration_seconds: 1 } } }), 300);
      else say({ kind: 'end_turn' });`),
    100,
  );
  assert.equal(outcome.faults, ["brain_timeout: waited 0.1 s for the agent process's answer"]);
  assert.is(eventsOf(outcome.trace, 'bid_placed').length, 0, 'the late bid was placed');
});

test('an answer nobody asked for is a fault', async () => {
  const outcome = await runExec('fc_001', nodeAgent(`if (message.type === 'turn.started') { say({ kind: 'end_turn' }); say({ kind: 'end_turn' }); }`));
  assert.equal(outcome.faults, ['the agent answered when no answer was asked: "{\\"type\\":\\"brain.act\\",\\"action\\":{\\"kind\\":\\"end_turn\\"}}"']);
});

test('an agent that exits early fails with its exit code, and its stderr is kept', async () => {
  const outcome = await runExec('fc_001', ['sh', '-c', 'read line; echo "cannot load my model" >&2; exit 3']);
  assert.equal(outcome.faults, ['brain_failed: the agent process exited early (exit code 3)']);
  assert.equal(outcome.agent.process()?.stderrTail(), ['cannot load my model']);
});

test('a program that cannot be started fails with the reason', async () => {
  const outcome = await runExec('fc_001', ['./no-such-agent', '--x']);
  assert.equal(outcome.faults, ['brain_failed: cannot start "./no-such-agent": ENOENT']);
});

test('what an agent started goes with it: its process group is killed', async () => {
  const started = Date.now();
  const outcome = await runExec('fc_001', ['sh', '-c', 'sleep 60 & echo "$!" >&2; exec sleep 60'], 100);
  assert.ok(Date.now() - started < 3_000, `the run waited ${Date.now() - started} ms for the grandchild`);
  const grandchild = Number(outcome.agent.process()?.stderrTail(1)[0]);
  assert.ok(grandchild > 0);
  assert.not.ok(isAlive(outcome.agent.process()?.pid));
  assert.ok(await isGoneSoon(grandchild), 'the grandchild outlived the run');
});

test('Ctrl-C on the harness kills its agent processes, and the harness exits 130', async () => {
  const harness = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/agents/interrupted-run.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const agentPid = await new Promise<number>((resolve) =>
    createInterface({ input: harness.stdout }).on('line', (line) => /^\d+$/.test(line) && resolve(Number(line))),
  );
  assert.ok(isAlive(agentPid), `agent ${agentPid} is not running`);
  harness.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => harness.once('exit', resolve));
  assert.is(code, 130);
  assert.ok(await isGoneSoon(agentPid), 'the agent outlived the interrupted run');
});

test.run();
