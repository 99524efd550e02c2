import { MICRO_CREDITS_PER_CREDIT } from '../economy/credits';
import type { EventOfType, EventType } from '../economy/events';
import type { Prices } from '../economy/pricing';

/**
 * The indicators of a population run, tallied event by event as the run goes, and one row of them
 * per cycle. Flows are summed in whole micro-credits; the books balance when `credits_total` (the
 * ledger's) of a cycle is the previous one minus `credits_burned` plus `credits_rewarded` plus
 * `credits_endowed` (initial balances, and a spawned child's endowment less what its parent handed over).
 */

/** 0 for perfect equality, towards 1 when one holds everything; 0 for an empty or all-zero population. */
export function gini(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  if (n === 0 || total <= 0) return 0;
  let weighted = 0;
  sorted.forEach((value, index) => (weighted += (index + 1) * value));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface CycleCounts {
  bids: number;
  wins: number;
  rejections: number;
  prompts: number;
  rewards: number;
  burned: number;
  rewarded: number;
  endowed: number;
}

const noCounts = (): CycleCounts => ({ bids: 0, wins: 0, rejections: 0, prompts: 0, rewards: 0, burned: 0, rewarded: 0, endowed: 0 });

/** What the tally knows of the population: who lives, who sleeps, and which group each agent is in. */
export interface PopulationTally {
  readonly counts: CycleCounts;
  readonly alive: Set<string>;
  readonly dormant: Set<string>;
  readonly dead: number;
  /** Agent → group; a spawned child joins its parent's group. */
  readonly groups: Map<string, string>;
}

export function startTally(groups: ReadonlyMap<string, string>): PopulationTally {
  return { counts: noCounts(), alive: new Set(), dormant: new Set(), dead: 0, groups: new Map(groups) };
}

const micro = (credits: number) => Math.round(credits * MICRO_CREDITS_PER_CREDIT);

/** What the tally reads of an event: its type and data, not its envelope (which a run with no trace never stamps). */
export type TalliedEvent = { [K in EventType]: Pick<EventOfType<K>, 'type' | 'data'> }[EventType];

/** Counts `event` in (mutating the tally: a run has millions of events and the tally is the sink's own). */
export function tallyEvent(tally: PopulationTally, event: TalliedEvent): PopulationTally {
  const counts = tally.counts;
  switch (event.type) {
    case 'agent_created':
      tally.alive.add(event.data.agent_id);
      counts.endowed += micro(event.data.initial_balance);
      break;
    case 'agent_spawned': {
      counts.endowed -= micro(event.data.initial_balance);
      const group = tally.groups.get(event.data.parent_id);
      if (group !== undefined) tally.groups.set(event.data.child_id, group);
      break;
    }
    case 'agent_dormant':
      tally.dormant.add(event.data.agent_id);
      break;
    case 'agent_awake':
      tally.dormant.delete(event.data.agent_id);
      break;
    case 'agent_died':
      tally.alive.delete(event.data.agent_id);
      tally.dormant.delete(event.data.agent_id);
      return { ...tally, dead: tally.dead + 1 };
    case 'bid_placed':
      counts.bids += 1;
      break;
    case 'bid_processed':
      if (event.data.status === 'winning') counts.wins += 1;
      break;
    case 'bid_rejected':
      counts.rejections += 1;
      break;
    case 'prompt_submitted':
      counts.prompts += 1;
      break;
    case 'credits_burned':
      counts.burned += micro(event.data.amount);
      break;
    case 'human_reward_issued':
      counts.rewards += 1;
      counts.rewarded += micro(event.data.credits_awarded);
      break;
    default:
      break;
  }
  return tally;
}

export interface GroupIndicators {
  readonly alive: number;
  readonly mean_balance: number;
}

export interface CycleIndicators {
  readonly cycle: number;
  readonly alive: number;
  readonly dormant: number;
  readonly dead: number;
  readonly bids: number;
  readonly wins: number;
  readonly rejections: number;
  readonly prompts: number;
  readonly rewards: number;
  readonly credits_total: number;
  readonly credits_burned: number;
  readonly credits_rewarded: number;
  readonly credits_endowed: number;
  readonly price_cpu: number;
  readonly price_memory: number;
  readonly price_tokens: number;
  readonly price_attention: number;
  readonly balance_min: number;
  readonly balance_median: number;
  readonly balance_max: number;
  readonly gini: number;
  readonly groups: Readonly<Record<string, GroupIndicators>>;
}

/**
 * Closes a cycle: its indicators from the tally, the world's prices and the balances of the living
 * (escrow included, since it is still theirs), and a tally with fresh counts for the next cycle.
 * `creditsTotal` is what the ledger holds in all.
 */
export function closeCycle(
  tally: PopulationTally,
  cycle: number,
  creditsTotal: number,
  prices: Prices,
  holdings: (agentId: string) => number,
  groupNames: readonly string[],
): [CycleIndicators, PopulationTally] {
  const { counts } = tally;
  const living = [...tally.alive].sort();
  const balances = living.map(holdings);
  const byGroup: Record<string, { alive: number; total: number }> = {};
  for (const name of groupNames) byGroup[name] = { alive: 0, total: 0 };
  living.forEach((agentId, index) => {
    const entry = byGroup[tally.groups.get(agentId) ?? ''];
    if (entry === undefined) return;
    entry.alive += 1;
    entry.total += balances[index]!;
  });
  const indicators: CycleIndicators = {
    cycle,
    alive: living.length,
    dormant: tally.dormant.size,
    dead: tally.dead,
    bids: counts.bids,
    wins: counts.wins,
    rejections: counts.rejections,
    prompts: counts.prompts,
    rewards: counts.rewards,
    credits_total: creditsTotal,
    credits_burned: counts.burned / MICRO_CREDITS_PER_CREDIT,
    credits_rewarded: counts.rewarded / MICRO_CREDITS_PER_CREDIT,
    credits_endowed: counts.endowed / MICRO_CREDITS_PER_CREDIT,
    price_cpu: prices.cpu,
    price_memory: prices.memory,
    price_tokens: prices.tokens,
    price_attention: prices.attention,
    balance_min: balances.length === 0 ? 0 : Math.min(...balances),
    balance_median: median(balances),
    balance_max: balances.length === 0 ? 0 : Math.max(...balances),
    gini: gini(balances),
    groups: Object.fromEntries(
      Object.entries(byGroup).map(([name, { alive, total: sum }]) => [name, { alive, mean_balance: alive === 0 ? 0 : sum / alive }]),
    ),
  };
  return [indicators, { ...tally, counts: noCounts() }];
}
