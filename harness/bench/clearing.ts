import { clearAuction, type Bid } from '../../domain/economy/auction';
import type { Balances } from '../../domain/economy/ledger';
import { median } from '../../domain/population/metrics';
import { nextFloat, randomStream, type RandomStream } from '../../domain/economy/random';
import type { ResourceBundle } from '../../domain/economy/resources';
import { ratio, round, timed } from './timing';

export const BID_COUNT = 100_000;
export const CLEARING_RUNS = 5;
const BIDDERS = 10_000;
const BIDDER_BALANCE = 1_000;

function randomBids(count: number, bidders: number): { bids: Bid[]; balances: Balances } {
  let stream: RandomStream = randomStream('bench:bids');
  const draw = () => {
    const [value, next] = nextFloat(stream);
    stream = next;
    return value;
  };
  const bids = Array.from({ length: count }, (_, index): Bid => {
    const bundle: ResourceBundle = { cpu: draw() * 0.05, memory: draw() * 0.05, tokens: draw() * 0.02, attention: 0, duration_seconds: 60 };
    return { bid_id: `bid-${index}`, agent_id: `agent-${index % bidders}`, amount: Math.round(draw() * 10_000) / 100, bundle, sequence: index };
  });
  const balances = Object.fromEntries(Array.from({ length: bidders }, (_, index) => [`agent-${index}`, BIDDER_BALANCE]));
  return { bids, balances };
}

/**
 * The pure clearing function on random bids beside a bare sort of the same amounts, the least any
 * clearing must do: medians of runs after a warm-up run of each, each sort on a fresh copy. A clearing
 * and a sort take turns, so that both meet the same load: the machine is shared, and five clearings
 * run first and five sorts after them once put a burst of other work on one side only.
 */
export function benchClearing() {
  const { bids, balances } = randomBids(BID_COUNT, BIDDERS);
  const amounts = Float64Array.from(bids, ({ amount }) => amount);
  const clearOnce = () => timed(() => clearAuction(bids, balances))[1];
  const sortFresh = () => {
    const copy = amounts.slice();
    return timed(() => copy.sort())[1];
  };
  clearOnce();
  sortFresh();
  const clearingMs: number[] = [];
  const sortMs: number[] = [];
  for (let run = 0; run < CLEARING_RUNS; run++) {
    clearingMs.push(clearOnce());
    sortMs.push(sortFresh());
  }
  return { clear_100k_bids_ms: round(median(clearingMs)), sort_100k_ms: round(median(sortMs)), clearing_vs_sort: ratio(median(clearingMs), median(sortMs)) };
}
