import { closeCycle, startTally, tallyEvent, type CycleIndicators, type PopulationTally } from '../../domain/population/metrics';
import type { Ledger } from '../../domain/economy/ledger';
import type { Prices } from '../../domain/economy/pricing';
import type { Emission, TallySink } from '../../machines';

/** A sink that tallies a population's indicators as events stream by and closes one row per cycle. */
export interface MetricsCollector extends TallySink {
  readonly rows: readonly CycleIndicators[];
  /** The cycle is over: its row, from the tally and the world as it stands. */
  close(cycle: number, prices: Prices, ledger: Ledger, creditsTotal: number): CycleIndicators;
}

export function metricsCollector(groups: ReadonlyMap<string, string>, groupNames: readonly string[]): MetricsCollector {
  let tally: PopulationTally = startTally(groups);
  const rows: CycleIndicators[] = [];
  return {
    rows,
    tally(emission: Emission) {
      tally = tallyEvent(tally, emission);
    },
    close(cycle, prices, ledger, creditsTotal) {
      const holdings = (agentId: string) => (ledger.balances[agentId] ?? 0) + (ledger.escrow[agentId] ?? 0);
      const [row, next] = closeCycle(tally, cycle, creditsTotal, prices, holdings, groupNames);
      tally = next;
      rows.push(row);
      return row;
    },
  };
}

const COLUMNS = [
  'cycle', 'alive', 'dormant', 'dead', 'bids', 'wins', 'rejections', 'prompts', 'rewards',
  'credits_total', 'credits_burned', 'credits_rewarded', 'credits_endowed',
  'price_cpu', 'price_memory', 'price_tokens', 'price_attention',
  'balance_min', 'balance_median', 'balance_max', 'gini',
] as const satisfies readonly (keyof CycleIndicators)[];

/** Six decimals: micro-credits, and enough for prices and the Gini; no float noise in the file. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/** The metrics file's columns: the indicators, then alive and mean balance by group when there are several groups. */
export function metricsHeader(groupNames: readonly string[]): string[] {
  const perGroup = groupNames.length > 1 ? groupNames.flatMap((name) => [`alive_${name}`, `mean_balance_${name}`]) : [];
  return [...COLUMNS, ...perGroup];
}

export function metricsLine(row: CycleIndicators, groupNames: readonly string[]): string {
  const perGroup = groupNames.length > 1 ? groupNames.flatMap((name) => [row.groups[name]?.alive ?? 0, row.groups[name]?.mean_balance ?? 0]) : [];
  return [...COLUMNS.map((column) => row[column]), ...perGroup].map(formatNumber).join(',');
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
export function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
