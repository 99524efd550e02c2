import { RESOURCES, type Resource, type ResourceBundle } from './resources';
import type { Balances } from './ledger';
import { roundCredits } from './credits';

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
 * index into `BidAgents.balances`), then its fractions in RESOURCES order.
 */
const AMOUNT = 0;
const AGENT = 1;
const FRACTIONS = 2;
const ROW_LENGTH = FRACTIONS + RESOURCES.length;

/** Which 32-bit half of a Float64Array element holds the low bits of the mantissa on this machine. */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * Sort keys for the bids, in input order: each finite amount with the low bits of its mantissa
 * replaced by its bid's index, so that one native Float64Array sort, which calls no comparator, orders
 * the bids by amount and then by input order. A comparator over 100,000 bids, or a Map of equal
 * amounts, cost several times more.
 */
interface PackedAmounts {
  readonly keys: Float64Array;
  readonly indexMask: number;
  /** Whether the sequences never fall in input order: then input order breaks ties as placement order does. */
  readonly sequencesRise: boolean;
}

/** Packed keys, or undefined when an amount is infinite or NaN and leaves no mantissa bits to pack. */
function packAmounts(bids: readonly Bid[]): PackedAmounts | undefined {
  const count = bids.length;
  const keys = new Float64Array(count);
  const words = new Uint32Array(keys.buffer);
  const indexMask = 2 ** (32 - Math.clz32(Math.max(1, count - 1))) - 1;
  let sequencesRise = true;
  for (let i = 0; i < count; i++) {
    const { amount, sequence } = bids[i]!;
    if (!Number.isFinite(amount)) return undefined;
    if (i > 0 && !(bids[i - 1]!.sequence <= sequence)) sequencesRise = false;
    // -0 and 0 are one amount.
    keys[i] = amount === 0 ? 0 : amount;
    const low = 2 * i + LOW_WORD;
    // Clearing takes the largest key first, but a negative amount's bits grow as its value falls.
    words[low] = ((words[low]! & ~indexMask) | (amount < 0 ? i : indexMask - i)) >>> 0;
  }
  return { keys, indexMask, sequencesRise };
}

/** Whether the key at `sorted` shares all but its index bits with the one sorted just above it. */
function sharesKeyAbove(words: Uint32Array, sorted: number, indexMask: number): boolean {
  const above = sorted + 1;
  return (
    words[2 * above + 1 - LOW_WORD] === words[2 * sorted + 1 - LOW_WORD] &&
    ((words[2 * above + LOW_WORD]! ^ words[2 * sorted + LOW_WORD]!) & ~indexMask) === 0
  );
}

/**
 * Bid indices, highest amount first, equal amounts in input order, unless two different amounts share
 * a key but for its index bits: `hasMixedKeys` tells, once the amounts are in clearing order.
 */
function byPackedAmounts({ keys, indexMask }: PackedAmounts): Uint32Array {
  const count = keys.length;
  const words = new Uint32Array(keys.buffer);
  keys.sort();
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const sorted = count - 1 - k;
    const low = words[2 * sorted + LOW_WORD]! & indexMask;
    // The sign bit, not `< 0`: the smallest negative amounts can pack to -0.
    order[k] = words[2 * sorted + 1 - LOW_WORD]! >>> 31 === 1 ? low : indexMask - low;
  }
  return order;
}

/** Whether amounts that differ only in the packed bits came out of the sort interleaved by index. */
function hasMixedKeys({ keys, indexMask }: PackedAmounts, rows: Float64Array): boolean {
  const words = new Uint32Array(keys.buffer);
  for (let k = 1, runStart = 0; k < keys.length; k++) {
    if (!sharesKeyAbove(words, keys.length - 1 - k, indexMask)) runStart = k;
    else if (rows[k * ROW_LENGTH + AMOUNT] !== rows[runStart * ROW_LENGTH + AMOUNT]) return true;
  }
  return false;
}

/** Highest amount first, NaN above all (where a Float64Array sort puts it last); -0 and 0 are one amount. */
function descendingAmount(bids: readonly Bid[]): (i: number, j: number) => number {
  return (i, j) => {
    const a = bids[i]!.amount;
    const b = bids[j]!.amount;
    if (a !== a) return b !== b ? 0 : -1;
    if (b !== b) return 1;
    return a < b ? 1 : a > b ? -1 : 0;
  };
}

/** Bid indices, highest amount first, equal amounts in input order, through a stable comparator sort. */
function byComparedAmounts(bids: readonly Bid[]): Uint32Array {
  return Uint32Array.from(Array.from(bids.keys()).sort(descendingAmount(bids)));
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
 * Each bid's agent as an index into `balances`, which holds -Infinity for an agent without an
 * account: it cannot pay anything, not even a bid of 0.
 */
interface BidAgents {
  readonly agents: Uint32Array;
  readonly balances: Float64Array;
}

function agentsOf(bids: readonly Bid[], balances: Balances): BidAgents {
  const agents = new Uint32Array(bids.length);
  // A dictionary object finds 100,000 agent ids about a third faster than a Map.
  const agentIndex: Record<string, number | undefined> = Object.create(null);
  const agentBalances: number[] = [];
  for (let i = 0; i < bids.length; i++) {
    const { agent_id } = bids[i]!;
    let agent = agentIndex[agent_id];
    if (agent === undefined) {
      agent = agentBalances.push(Object.hasOwn(balances, agent_id) ? balances[agent_id]! : -Infinity) - 1;
      agentIndex[agent_id] = agent;
    }
    agents[i] = agent;
  }
  return { agents, balances: Float64Array.from(agentBalances) };
}

/**
 * The bids' rows in clearing order. The bids are read in input order and their rows written where
 * clearing will read them: reading in clearing order instead, a random order in memory, made the walk
 * three times slower.
 */
function rowsInOrder(bids: readonly Bid[], agents: Uint32Array, order: Uint32Array): Float64Array {
  const position = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) position[order[k]!] = k;
  const rows = new Float64Array(order.length * ROW_LENGTH);
  for (let i = 0; i < bids.length; i++) {
    const bid = bids[i]!;
    const row = position[i]! * ROW_LENGTH;
    rows[row + AMOUNT] = bid.amount;
    rows[row + AGENT] = agents[i]!;
    copyFractions(bid.bundle, rows, row + FRACTIONS);
  }
  return rows;
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
 * First-price, greedy clearing: the bids are walked highest amount first, and each wins if its whole
 * bundle fits in what is left and its agent can still pay after its earlier wins in this clearing.
 */
export function clearAuction(bids: readonly Bid[], balances: Balances, supply: Supply = FULL_SUPPLY): ClearingResult {
  const packed = packAmounts(bids);
  // When sequences rise with input order, input order is placement order: nothing is left to sort.
  const inPlacement = (order: Uint32Array) => (packed?.sequencesRise ? order : servePlacementOrder(order, bids));
  const { agents, balances: agentBalances } = agentsOf(bids, balances);
  let order = inPlacement(packed ? byPackedAmounts(packed) : byComparedAmounts(bids));
  let rows = rowsInOrder(bids, agents, order);
  if (packed && hasMixedKeys(packed, rows)) {
    order = inPlacement(byComparedAmounts(bids));
    rows = rowsInOrder(bids, agents, order);
  }
  const capacity = Float64Array.from(RESOURCES, (resource) => supply[resource]);
  const remaining = capacity.slice();
  const spent = new Float64Array(agentBalances.length);
  // The walk writes each outcome as a byte and the result arrays are made afterwards at their size:
  // pushing a hundred thousand bids and reasons onto growing arrays was half the walk.
  const outcomes = new Uint8Array(order.length);
  let won = 0;
  for (let k = 0; k < order.length; k++) {
    const row = k * ROW_LENGTH;
    const agent = rows[row + AGENT]!;
    const spentAfter = roundCredits(spent[agent]! + rows[row + AMOUNT]!);
    const outcome = outcomeOf(rows, row, spentAfter <= agentBalances[agent]!, remaining, capacity);
    outcomes[k] = outcome;
    if (outcome !== WON) continue;
    won += 1;
    spent[agent] = spentAfter;
    for (let r = 0; r < remaining.length; r++) remaining[r] = Math.max(0, remaining[r]! - rows[row + FRACTIONS + r]!);
  }
  const winners = new Array<Bid>(won);
  const losers = new Array<Bid>(order.length - won);
  const reasons = new Array<LosingReason>(order.length - won);
  for (let k = 0, winner = 0, loser = 0; k < order.length; k++) {
    const outcome = outcomes[k]!;
    if (outcome === WON) winners[winner++] = bids[order[k]!]!;
    else {
      losers[loser] = bids[order[k]!]!;
      reasons[loser++] = LOSING_REASONS[outcome - 1]!;
    }
  }
  const remainingSupply = { ...supply };
  RESOURCES.forEach((resource, r) => (remainingSupply[resource] = remaining[r]!));
  return { winners, losers, reasons, remaining: remainingSupply };
}
