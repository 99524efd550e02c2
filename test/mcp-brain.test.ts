import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mcpAgent, type McpAgent } from '../harness/agents/mcp-brain';
import { isAlive, replayWithAgent, type AgentOutcome } from './fixtures/replay-with-brain';
import { eventsOf } from './fixtures/events-of';
import { FUNCTION_SURFACE } from '../harness/agents/tool-surface';
import { MCP_LOOP_TOOLS } from '../harness/agents/mcp-brain';
import { MAX_FAILED_CALLS_IN_A_ROW } from '../machines';

/**
 * `--agent mcp:CMD`: an agent with its own loop, taking the economy's tools from the harness's MCP
 * server. The SDK-client example passes fc_001; agents that call tools outside their turn, never ask
 * for a turn, exit early or cannot be started fail with a reason within the deadline; the process and
 * the server are gone after the run.
 */

async function runMcp(scenario: string, words: readonly string[], turnTimeoutMs = 15_000): Promise<AgentOutcome<McpAgent>> {
  return replayWithAgent(scenario, (onFault) => mcpAgent({ words, scenario_id: scenario, seed: 1, surface: FUNCTION_SURFACE, turnTimeoutMs, exitGraceMs: 300, onFault }));
}

async function serverAnswers(url: string | undefined): Promise<boolean> {
  if (url === undefined) return false;
  try {
    await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    return true;
  } catch {
    return false;
  }
}

const misbehaving = (mode: string) => [process.execPath, 'test/fixtures/agents/mcp-misbehaving.mjs', mode];

test('the MCP example agent passes fc_001; its process and the server are gone after the run', async () => {
  const outcome = await runMcp('fc_001', [process.execPath, 'examples/agents/mcp-agent.mjs']);
  assert.equal(outcome.failedChecks, []);
  assert.equal(outcome.faults, []);
  assert.ok(outcome.passed);
  assert.match(outcome.agent.process()?.stderr() ?? '', `${FUNCTION_SURFACE.tools.length + MCP_LOOP_TOOLS.length} tools for agent_under_test in fc_001`);
  assert.match(outcome.agent.process()?.stderr() ?? '', 'run finished', 'wait_for_turn did not say the run was over');
  assert.ok(outcome.agent.process()?.hasExited());
  assert.not.ok(isAlive(outcome.agent.process()?.pid));
  assert.not.ok(await serverAnswers(outcome.agent.url()), 'the server still listens');
});

test('a client that opens a new MCP session for every call takes its turns: the turn is the agent\'s, not the session\'s', async () => {
  const outcome = await runMcp('fc_001', [process.execPath, 'examples/agents/mcp-agent.mjs', '--session-per-call']);
  const stderr = outcome.agent.process()?.stderr() ?? '';
  assert.not.match(stderr, 'already initialized');
  assert.match(stderr, 'a session per call');
  assert.equal(outcome.faults, []);
  assert.equal(outcome.failedChecks, []);
  assert.ok(outcome.passed);
});

test('an MCP agent reads its notices: the injected rejection of fc_003, in one session or a session per call', async () => {
  for (const words of [['examples/agents/mcp-agent.mjs'], ['examples/agents/mcp-agent.mjs', '--session-per-call']]) {
    const outcome = await runMcp('fc_003', [process.execPath, ...words]);
    const stderr = outcome.agent.process()?.stderr() ?? '';
    assert.match(stderr, /notice: bid_rejected \{[^}]*"bid_id":"bid-000001"/, words.join(' '));
    assert.equal(outcome.faults, [], words.join(' '));
    assert.equal(outcome.failedChecks, [], words.join(' '));
    assert.ok(outcome.passed, words.join(' '));
    // Reading notices is no action: the trace holds no call of it.
    assert.not.ok(eventsOf(outcome.trace, 'tool_call_initiated').some((event) => String(event.data.tool_name).includes('notices')));
  }
});

test(`an MCP agent whose calls keep failing: its turn ends after ${MAX_FAILED_CALLS_IN_A_ROW} in a row, with the last reason`, async () => {
  const outcome = await runMcp('fc_001', [process.execPath, 'test/fixtures/agents/mcp-failing-calls.mjs'], 4_000);
  assert.not.ok(outcome.passed);
  assert.match(outcome.faults[0] ?? '', new RegExp(`^too_many_failed_calls: ${MAX_FAILED_CALLS_IN_A_ROW} tool calls in a row failed; the last: market\\.bid: insufficient_balance`));
  assert.is(eventsOf(outcome.trace, 'tool_call_initiated').length, MAX_FAILED_CALLS_IN_A_ROW);
});

test('a call outside a turn is an error; a tool not open in this phase is an error recorded as a failed call; a turn never ended is cut off', async () => {
  const outcome = await runMcp('fc_001', misbehaving('outside-turn'), 4_000);
  const stderr = outcome.agent.process()?.stderr() ?? '';
  assert.match(stderr, 'early: true {"error":"no turn is open: call wait_for_turn first"}');
  assert.match(stderr, 'turn: bidding');
  assert.match(stderr, /refused: true \{"error":"not_allowed_while_bidding","tool_name":"output.submit","result":"failure"/);
  assert.equal(
    eventsOf(outcome.trace, 'tool_call_completed').map((event) => [event.data.tool_name, event.data.result]),
    [['output.submit', 'failure']],
  );
  assert.equal(outcome.faults, ['brain_timeout']);
  assert.not.ok(outcome.passed);
  assert.not.ok(isAlive(outcome.agent.process()?.pid));
});

test('an agent that never asks for its turn fails, saying so, within the deadline', async () => {
  const started = Date.now();
  const outcome = await runMcp('fc_001', misbehaving('never-waits'), 500);
  assert.equal(outcome.faults, ['brain_timeout: the agent did not call wait_for_turn']);
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  assert.not.ok(isAlive(outcome.agent.process()?.pid));
});

test('an agent that exits early, or cannot be started, fails with the reason', async () => {
  const exits = await runMcp('fc_001', ['sh', '-c', 'exit 4']);
  assert.equal(exits.faults, ['brain_failed: the agent process exited early (exit code 4) without calling wait_for_turn']);
  const missing = await runMcp('fc_001', ['./no-such-mcp-agent']);
  assert.equal(missing.faults, ['brain_failed: cannot start "./no-such-mcp-agent": ENOENT without calling wait_for_turn']);
});

test.run();
