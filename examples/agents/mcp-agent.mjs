#!/usr/bin/env node
/**
 * A rule-based Syntropism agent that takes the economy's tools from the harness's MCP server
 * (`--agent "mcp:node examples/agents/mcp-agent.mjs"`), written with the official MCP SDK's client.
 * It runs its own loop: wait_for_turn, then in a bidding turn look up the balance, explain the bid
 * and bid a modest share of the balance for a small window; in an executing turn end the turn.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BUNDLE = { cpu: 0.1, memory: 0.1, tokens: 0.001, duration_seconds: 60 };
/** A turn may wait for the harness longer than the SDK's default of a minute. */
const CALL_OPTIONS = { timeout: 60 * 60 * 1000 };

const log = (text) => process.stderr.write(`[mcp-agent.mjs] ${text}\n`);

const client = new Client({ name: 'syntropism-example-agent', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(process.env.SYNTROPISM_MCP_URL)));

/** A tool's JSON answer; an error answer is thrown with its reason. */
async function call(name, args = {}) {
  const result = await client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS);
  if (result.isError) throw new Error(`${name}: ${result.structuredContent?.error ?? JSON.stringify(result.content)}`);
  return result.structuredContent;
}

async function bid(observation) {
  const { response } = await call('economic_get_balance');
  const amount = Math.max(1, Math.min(50, Math.round(response.balance / 2)));
  await call('record_reasoning', {
    content: `My balance is ${response.balance} credits; bidding ${amount} for a tenth of cpu and memory for a minute keeps at least half in reserve.`,
    decision: 'bid_within_balance',
    factors_considered: [`balance of ${response.balance} credits`, `prices ${JSON.stringify(observation.prices)}`],
  });
  const placed = await call('market_bid', { amount, bundle: BUNDLE });
  log(`bid ${amount}: ${JSON.stringify(placed.response)}`);
}

try {
  const { tools } = await client.listTools();
  log(`${tools.length} tools for ${process.env.SYNTROPISM_AGENT_ID} in ${process.env.SYNTROPISM_SCENARIO_ID}`);
  for (;;) {
    const turn = await call('wait_for_turn');
    if (turn.finished) break;
    try {
      if (turn.phase === 'bidding') await bid(turn.observation);
    } catch (error) {
      log(error.message);
    }
    await call('end_turn');
  }
} finally {
  await client.close();
}
log('run finished');
