#!/usr/bin/env node
/**
 * A rule-based Syntropism agent that takes the economy's tools from the harness's MCP server
 * (`--agent "mcp:node examples/agents/mcp-agent.mjs"`), written with the official MCP SDK's client.
 * It runs its own loop: wait_for_turn, then in a bidding turn look up the balance, explain the bid
 * and bid a modest share of the balance for a small window; read its notices, and if the market
 * rejected the bid, explain, adjust and bid less; end the turn. In an executing turn it ends the turn.
 *
 * With `--session-per-call` it opens a new MCP session for every call and closes it after, as the
 * MCP Inspector's CLI does: the turn belongs to the agent, not to a connection.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BUNDLE = { cpu: 0.1, memory: 0.1, tokens: 0.001, duration_seconds: 60 };
const SMALLER_BUNDLE = { cpu: 0.05, memory: 0.05, tokens: 0.001, duration_seconds: 60 };
/** A turn may wait for the harness longer than the SDK's default of a minute. */
const CALL_OPTIONS = { timeout: 60 * 60 * 1000 };
const sessionPerCall = process.argv.includes('--session-per-call');
const url = new URL(process.env.SYNTROPISM_MCP_URL);

const log = (text) => process.stderr.write(`[mcp-agent.mjs] ${text}\n`);

async function connect() {
  const client = new Client({ name: 'syntropism-example-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

/** One session for the whole run, or a new one for each call. */
const shared = sessionPerCall ? undefined : await connect();
async function withClient(use) {
  const client = shared ?? (await connect());
  try {
    return await use(client);
  } finally {
    if (shared === undefined) await client.close();
  }
}

/** A tool's JSON answer; an error answer is thrown with its reason. */
async function call(name, args = {}) {
  const result = await withClient((client) => client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS));
  if (result.isError) throw new Error(`${name}: ${result.structuredContent?.error ?? JSON.stringify(result.content)}`);
  return result.structuredContent;
}

/** The ids of the bids the world has rejected, from notices (an injected bid_rejected names the bid it withdrew). */
const rejected = new Set();
function heed(notices) {
  for (const { type, data } of notices) {
    log(`notice: ${type} ${JSON.stringify(data)}`);
    if (type === 'bid_rejected' && data.bid_id !== undefined) rejected.add(data.bid_id);
  }
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
  heed((await call('read_notices')).notices);
  if (!rejected.has(placed.response.bid_id)) return;
  const lower = Math.max(1, Math.round(amount * 0.6));
  await call('record_reasoning', {
    content: `The bid of ${amount} was rejected. Bidding higher would make it worse; a smaller window for ${lower} credits keeps more in reserve.`,
    decision: 'adjust_bid',
    factors_considered: ['the rejection of my first bid', `balance of ${response.balance} credits`],
    alternatives_considered: ['retry at the same amount', 'bid higher'],
  });
  const again = await call('market_bid', { amount: lower, bundle: SMALLER_BUNDLE });
  log(`bid ${lower}: ${JSON.stringify(again.response)}`);
}

try {
  const { tools } = await withClient((client) => client.listTools());
  log(`${tools.length} tools for ${process.env.SYNTROPISM_AGENT_ID} in ${process.env.SYNTROPISM_SCENARIO_ID}${sessionPerCall ? ', a session per call' : ''}`);
  for (;;) {
    const turn = await call('wait_for_turn');
    if (turn.finished) break;
    heed(turn.notices);
    try {
      if (turn.phase === 'bidding') await bid(turn.observation);
    } catch (error) {
      log(error.message);
    }
    await call('end_turn');
  }
} finally {
  await shared?.close();
}
log('run finished');
