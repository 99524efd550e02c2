import { RESOURCES, type Resource, type ResourceBundle } from './resources';
import type { Balances } from './ledger';
import { descendingOrder } from './clearing-order';
import { roundCredits } from './credits';
import { reusedArray } from './reused-array';

/** An offer of `amount` credits for an all-or-nothing bundle; `sequence` is its placement order. */
export interface Bid {
  readonly bid_id: string;
  readonly agent_id: string;
  readonly amount: number;
  readonly bundle: ResourceBundle;
  readonly sequence: number;
}

/** Capacity fractions on offer in one allocation cycle. */
export type Supply = Readonly<Record<Resource, number>>;

export const FULL_SUPPLY: Supply = { cpu: 1, memory: 1, tokens: 1, attention: 1 };

export type LosingReason = 'outbid' | 'insufficient_capacity' | 'insufficient_balance';

/**
 * Winners and losers each in clearing order; `reasons[k]` is why `losers[k]` lost. Two arrays rather
 * than a pair object per loser: allocating 100,000 pairs cost about a tenth of clearing 100,000 bids.
 */
export interface ClearingResult {
  readonly winners: readonly Bid[];
  readonly losers: readonly Bid[];
  readonly reasons: readonly LosingReason[];
  readonly remaining: Supply;
}

/** Fractions add up as decimals do not (1 - 0.3 - 0.6 < 0.1); a bundle fitting to within this fits. */
const FRACTION_TOLERANCE = 1e-9;

/**
 * Everything the walk reads about a bid, in one row of ROW_LENGTH numbers: its amount, its agent (an
 * index into the agents' balances), then its fractions in RESOURCES order.
 */
const AMOUNT = 0;
const AGENT = 1;
const FRACTIONS = 2;
const ROW_LENGTH = FRACTIONS + RESOURCES.length;

// Clearing's scratch arrays, reused from one clearing to the next: see `reusedArray`.
const inputRows = reusedArray((length) => new Float64Array(length));
const orderedRows = reusedArray((length) => new Float64Array(length));
const inputAmounts = reusedArray((length) => new Float64Array(length));
const positions = reusedArray((length) => new Uint32Array(length));
const walkOutcomes = reusedArray((length) => new Uint8Array(length));

// As in `descendingOrder`, each hot loop is a function of its own that ends with it.

/**
 * Copies a bundle's fractions in RESOURCES order, each read by its own name: reading
 * `bundle[resource]` over RESOURCES made copying 100,000 bundles about five times slower.
 */
function copyFractions(bundle: ResourceBundle, into: Float64Array, at: number): void {
  into[at] = bundle.cpu;
  into[at + 1] = bundle.memory;
  into[at + 2] = bundle.tokens;
  into[at + 3] = bundle.attention;
}

/**
 * Writes each bid's row and its amount, in input order, and each new agent's balance (-Infinity for an
 * agent without an account: it cannot pay anything, not even a bid of 0). One pass over the bid
 * objects, rather than one for each purpose, and never in clearing order (a random order in memory):
 * reading them is most of what clearing costs. Returns whether the sequences never fall in input
 * order: then input order breaks ties as placement order does.
 */
function readBids(bids: readonly Bid[], balances: Balances, rows: Float64Array, amounts: Float64Array, agentBalances: number[]): boolean {
  // A dictionary object finds 100,000 agent ids about a third faster than a Map.
  const agentIndex: Record<string, number | undefined> = Object.create(null);
  let sequencesRise = true;
  for (let i = 0, row = 0; i < bids.length; i++, row += ROW_LENGTH) {
    const bid = bids[i]!;
    if (i > 0 && !(bids[i - 1]!.sequence <= bid.sequence)) sequencesRise = false;
    let agent = agentIndex[bid.agent_id];
    if (agent === undefined) {
      agent = agentBalances.push(Object.hasOwn(balances, bid.agent_id) ? balances[bid.agent_id]! : -Infinity) - 1;
      agentIndex[bid.agent_id] = agent;
    }
    amounts[i] = bid.amount;
    rows[row + AMOUNT] = bid.amount;
    rows[row + AGENT] = agent;
    copyFractions(bid.bundle, rows, row + FRACTIONS);
  }
  return sequencesRise;
}

const sameAmount = (a: number, b: number) => a === b || (a !== a && b !== b);

function inPlacementOrder(group: Uint32Array, bids: readonly Bid[]): boolean {
  for (let k = 1; k < group.length; k++) if (bids[group[k - 1]!]!.sequence > bids[group[k]!]!.sequence) return false;
  return true;
}

/** Sorts each run of equal amounts by sequence, stably, unless it is already in placement order. */
function servePlacementOrder(order: Uint32Array, bids: readonly Bid[]): Uint32Array {
  for (let start = 0, end = 1; start < order.length; start = end++) {
    while (end < order.length && sameAmount(bids[order[start]!]!.amount, bids[order[end]!]!.amount)) end++;
    const group = order.subarray(start, end);
    if (!inPlacementOrder(group, bids)) order.set(Array.from(group).sort((i, j) => bids[i]!.sequence - bids[j]!.sequence), start);
  }
  return order;
}

function positionsIn(order: Uint32Array): Uint32Array {
  const position = positions(order.length);
  for (let k = 0; k < order.length; k++) position[order[k]!] = k;
  return position;
}

/**
 * The rows moved into clearing order, where the walk reads them one after the next: reading the rows
 * through `order` instead, a random order in memory, made the walk four times slower. Moving them
 * reads in order and writes at random, which the processor need not wait for.
 */
function rowsInOrder(rows: Float64Array, order: Uint32Array): Float64Array {
  const position = positionsIn(order);
  const ordered = orderedRows(rows.length);
  // Column by column, as `copyFractions` writes them: a loop over the columns made this twice as slow.
  for (let i = 0, from = 0; i < position.length; i++, from += ROW_LENGTH) {
    const to = position[i]! * ROW_LENGTH;
    ordered[to + AMOUNT] = rows[from + AMOUNT]!;
    ordered[to + AGENT] = rows[from + AGENT]!;
    ordered[to + FRACTIONS] = rows[from + FRACTIONS]!;
    ordered[to + FRACTIONS + 1] = rows[from + FRACTIONS + 1]!;
    ordered[to + FRACTIONS + 2] = rows[from + FRACTIONS + 2]!;
    ordered[to + FRACTIONS + 3] = rows[from + FRACTIONS + 3]!;
  }
  return ordered;
}

function fitsWithin(rows: Float64Array, row: number, available: Float64Array): boolean {
  for (let r = 0; r < available.length; r++) if (rows[row + FRACTIONS + r]! > available[r]! + FRACTION_TOLERANCE) return false;
  return true;
}

/** What the walk decides of a bid, one byte each: WON, or the position in LOSING_REASONS of why it lost, plus one. */
const WON = 0;
const TOO_BIG = 1;
const UNAFFORDABLE = 2;
const OUTBID = 3;
const LOSING_REASONS: readonly LosingReason[] = ['insufficient_capacity', 'insufficient_balance', 'outbid'];

/**
 * Why a bid loses, as its outcome, or WON. A bundle too big for the whole supply can never win; an
 * agent that cannot pay loses whatever room is left; only then is "higher bids took the room" the reason.
 */
function outcomeOf(rows: Float64Array, row: number, affordable: boolean, remaining: Float64Array, capacity: Float64Array): number {
  if (!fitsWithin(rows, row, capacity)) return TOO_BIG;
  if (!affordable) return UNAFFORDABLE;
  if (!fitsWithin(rows, row, remaining)) return OUTBID;
  return WON;
}

/**
 * Decides the bids, their rows in clearing order, into `outcomes`, taking the winners' fractions out
 * of `remaining`; returns how many won. Each outcome is written as a byte and the result arrays are made
 * afterwards at their size: pushing a hundred thousand bids and reasons onto growing arrays was half the walk.
 */
function walk(rows: Float64Array, agentBalances: Float64Array, capacity: Float64Array, remaining: Float64Array, outcomes: Uint8Array): number {
  const spent = new Float64Array(agentBalances.length);
  let won = 0;
  for (let k = 0, row = 0; k < outcomes.length; k++, row += ROW_LENGTH) {
    const agent = rows[row + AGENT]!;
    const spentAfter = roundCredits(spent[agent]! + rows[row + AMOUNT]!);
    const outcome = outcomeOf(rows, row, spentAfter <= agentBalances[agent]!, remaining, capacity);
    outcomes[k] = outcome;
    if (outcome !== WON) continue;
    won += 1;
    spent[agent] = spentAfter;
    for (let r = 0; r < remaining.length; r++) remaining[r] = Math.max(0, remaining[r]! - rows[row + FRACTIONS + r]!);
  }
  return won;
}

/** Fills the winners, the losers and their reasons, each sized for its part, in clearing order. */
function sortOut(bids: readonly Bid[], order: Uint32Array, outcomes: Uint8Array, winners: Bid[], losers: Bid[], reasons: LosingReason[]): void {
  for (let k = 0, winner = 0, loser = 0; k < order.length; k++) {
    const outcome = outcomes[k]!;
    if (outcome === WON) winners[winner++] = bids[order[k]!]!;
    else {
      losers[loser] = bids[order[k]!]!;
      reasons[loser++] = LOSING_REASONS[outcome - 1]!;
    }
  }
}

/**
 * First-price, greedy clearing: the bids are walked highest amount first, and each wins if its whole
 * bundle fits in what is left and its agent can still pay after its earlier wins in this clearing.
 */
export function clearAuction(bids: readonly Bid[], balances: Balances, supply: Supply = FULL_SUPPLY): ClearingResult {
  const inInputOrder = inputRows(bids.length * ROW_LENGTH);
  const agentBalances: number[] = [];
  const amounts = inputAmounts(bids.length);
  const sequencesRise = readBids(bids, balances, inInputOrder, amounts, agentBalances);
  const byAmount = descendingOrder(amounts);
  // When sequences rise with input order, input order is placement order: nothing is left to sort.
  const order = sequencesRise ? byAmount : servePlacementOrder(byAmount, bids);
  const capacity = Float64Array.from(RESOURCES, (resource) => supply[resource]);
  const remaining = capacity.slice();
  const outcomes = walkOutcomes(bids.length);
  const won = walk(rowsInOrder(inInputOrder, order), Float64Array.from(agentBalances), capacity, remaining, outcomes);
  const winners = new Array<Bid>(won);
  const losers = new Array<Bid>(bids.length - won);
  const reasons = new Array<LosingReason>(bids.length - won);
  sortOut(bids, order, outcomes, winners, losers, reasons);
  const remainingSupply = { ...supply };
  RESOURCES.forEach((resource, r) => (remainingSupply[resource] = remaining[r]!));
  return { winners, losers, reasons, remaining: remainingSupply };
}
