#!/usr/bin/env node
/**
 * A rule-based Syntropism agent speaking the JSON-lines brain protocol (README, "Agents in any
 * language"), in Node with no dependencies. It answers every prompt (turn.started, tool.result,
 * action.recorded, actions.performed) with exactly one brain.act line, carrying one action or a batch
 * of actions; notices need no answer. In a bidding turn it looks up its balance (one action); then, as
 * one batch, it explains its bid and bids a modest share of the balance for a small window. That batch
 * leaves the turn open, so that the agent hears how the bid came out: if the market rejects it, the
 * agent explains, adjusts, bids less and ends the turn in one batch ([reasoning, bid, end_turn]);
 * otherwise it ends the turn. In an executing turn it ends the turn.
 */
import { createInterface } from 'node:readline';

const BUNDLE = { cpu: 0.1, memory: 0.1, tokens: 0.001, duration_seconds: 60 };
const SMALLER_BUNDLE = { cpu: 0.05, memory: 0.05, tokens: 0.001, duration_seconds: 60 };

const log = (text) => process.stderr.write(`[agent.mjs] ${text}\n`);
const act = (action) => process.stdout.write(`${JSON.stringify({ type: 'brain.act', action })}\n`);
/** Several actions for one prompt, performed in order; only the last may be end_turn. */
const actBatch = (actions) => process.stdout.write(`${JSON.stringify({ type: 'brain.act', actions })}\n`);
const tool = (tool_name, args = {}) => ({ kind: 'tool', tool_name, arguments: args });
const END_TURN = { kind: 'end_turn' };

/** What the bundle would cost at the posted prices: each resource's share times its price times the seconds. */
const windowValue = (prices, bundle) =>
  ['cpu', 'memory', 'tokens'].reduce((sum, resource) => sum + (prices[resource] ?? 0) * (bundle[resource] ?? 0) * bundle.duration_seconds, 0);

let observation = {};
let lastBid;
let adjusted = false;
const rejected = new Set();

function bidBatch(balance) {
  const prices = observation.prices ?? {};
  const amount = Math.max(1, Math.min(50, Math.round(balance / 2)));
  return [
    {
      kind: 'reasoning',
      content: `My balance is ${balance} credits. A tenth of cpu and memory for a minute is worth about ${windowValue(prices, BUNDLE).toFixed(1)} credits at the posted prices; bidding ${amount} keeps at least half of the balance in reserve.`,
      decision: 'bid_within_balance',
      factors_considered: [`balance of ${balance} credits`, `prices ${JSON.stringify(prices)}`],
    },
    tool('market.bid', { amount, bundle: BUNDLE }),
  ];
}

function adjustedBatch() {
  adjusted = true;
  const amount = Math.max(1, Math.round(lastBid.amount * 0.6));
  return [
    {
      kind: 'reasoning',
      content: `The bid of ${lastBid.amount} was rejected. Bidding higher would make it worse; a smaller window for ${amount} credits keeps more in reserve.`,
      decision: 'adjust_bid',
      factors_considered: ['the rejection of my first bid', `balance of ${observation.balance} credits`],
      alternatives_considered: ['retry at the same amount', 'bid higher'],
    },
    tool('market.bid', { amount, bundle: SMALLER_BUNDLE }),
    END_TURN,
  ];
}

/** The results of a batch that left the turn open: what came of the bid decides what is next. */
function afterBatch({ results }) {
  for (const { type, tool_name, result, response = {}, reason } of results) {
    if (type !== 'tool.result' || tool_name !== 'market.bid') continue;
    if (result === 'success') lastBid = { bid_id: response.bid_id, amount: response.total_cost };
    else log(`bid failed: ${reason}`);
  }
  if (lastBid !== undefined && rejected.has(lastBid.bid_id) && !adjusted) actBatch(adjustedBatch());
  else act(END_TURN);
}

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
    act(message.phase === 'executing' ? END_TURN : tool('economic.get_balance'));
  } else if (message.type === 'tool.result') {
    const { tool_name, result, response = {} } = message;
    if (tool_name === 'economic.get_balance' && result === 'success') actBatch(bidBatch(response.balance ?? observation.balance ?? 0));
    else act(END_TURN);
  } else if (message.type === 'actions.performed') afterBatch(message);
  else if (message.type === 'action.recorded') act(END_TURN);
  else if (message.type === 'run.finished') break;
}
log('run finished');
