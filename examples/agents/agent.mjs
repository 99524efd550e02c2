#!/usr/bin/env node
/**
 * A rule-based Syntropism agent speaking the JSON-lines brain protocol (README, "Agents in any
 * language"), in Node with no dependencies. It answers every prompt (turn.started, tool.result,
 * action.recorded) with exactly one brain.act line; notices need no answer. In a bidding turn it looks
 * up its balance, explains its bid and bids a modest share of the balance for a small window; if the
 * market rejects that bid, it says so, adjusts and bids less. In an executing turn it ends the turn.
 */
import { createInterface } from 'node:readline';

const BUNDLE = { cpu: 0.1, memory: 0.1, tokens: 0.001, duration_seconds: 60 };
const SMALLER_BUNDLE = { cpu: 0.05, memory: 0.05, tokens: 0.001, duration_seconds: 60 };

const log = (text) => process.stderr.write(`[agent.mjs] ${text}\n`);
const act = (action) => process.stdout.write(`${JSON.stringify({ type: 'brain.act', action })}\n`);
const tool = (tool_name, args = {}) => ({ kind: 'tool', tool_name, arguments: args });
const END_TURN = { kind: 'end_turn' };

/** What the bundle would cost at the posted prices: each resource's share times its price times the seconds. */
const windowValue = (prices, bundle) =>
  ['cpu', 'memory', 'tokens'].reduce((sum, resource) => sum + (prices[resource] ?? 0) * (bundle[resource] ?? 0) * bundle.duration_seconds, 0);

let observation = {};
let queue = [];
let lastBid;
let adjusted = false;
const rejected = new Set();

function planBid(balance) {
  const prices = observation.prices ?? {};
  const amount = Math.max(1, Math.min(50, Math.round(balance / 2)));
  queue = [
    {
      kind: 'reasoning',
      content: `My balance is ${balance} credits. A tenth of cpu and memory for a minute is worth about ${windowValue(prices, BUNDLE).toFixed(1)} credits at the posted prices; bidding ${amount} keeps at least half of the balance in reserve.`,
      decision: 'bid_within_balance',
      factors_considered: [`balance of ${balance} credits`, `prices ${JSON.stringify(prices)}`],
    },
    tool('market.bid', { amount, bundle: BUNDLE }),
  ];
}

function adjust() {
  adjusted = true;
  const amount = Math.max(1, Math.round(lastBid.amount * 0.6));
  queue = [
    {
      kind: 'reasoning',
      content: `The bid of ${lastBid.amount} was rejected. Bidding higher would make it worse; a smaller window for ${amount} credits keeps more in reserve.`,
      decision: 'adjust_bid',
      factors_considered: ['the rejection of my first bid', `balance of ${observation.balance} credits`],
      alternatives_considered: ['retry at the same amount', 'bid higher'],
    },
    tool('market.bid', { amount, bundle: SMALLER_BUNDLE }),
  ];
}

function afterTool({ tool_name, result, response = {}, reason }) {
  if (tool_name === 'economic.get_balance' && result === 'success') return planBid(response.balance ?? observation.balance ?? 0);
  if (tool_name !== 'market.bid') return;
  if (result === 'success') lastBid = { bid_id: response.bid_id, amount: response.total_cost };
  else log(`bid failed: ${reason}`);
  if (lastBid !== undefined && rejected.has(lastBid.bid_id) && !adjusted) return adjust();
  queue = [END_TURN];
}

const next = () => queue.shift() ?? END_TURN;

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const message = JSON.parse(line);
  if (message.type === 'hello') log(`hello: ${message.agent_id} in ${message.scenario_id}, ${message.tools.length} tools`);
  else if (message.type === 'notified') {
    const { type, data } = message.event;
    if (type === 'bid_rejected' && data.bid_id !== undefined) rejected.add(data.bid_id);
  } else if (message.type === 'turn.started') {
    observation = message.observation;
    queue = message.phase === 'executing' ? [END_TURN] : [tool('economic.get_balance')];
    act(next());
  } else if (message.type === 'tool.result') {
    afterTool(message);
    act(next());
  } else if (message.type === 'action.recorded') act(next());
  else if (message.type === 'run.finished') break;
}
log('run finished');
