import { summariseArena, type ArenaSummary, type FocalSummary, type Interval } from '../../domain/benchmark/arena-scores';
import { addUsage, NO_USAGE, type Usage } from '../agents';
import { csvCell, formatNumber } from '../simulation';
import type { SeedResult } from './arena-world';

/**
 * What an arena reports, from its seeds' results alone (so a resumed arena reports as an uninterrupted
 * one): the leaderboard with intervals, the pairwise table, the background, each seed's scores; as
 * JSON, as a table for a terminal, and as one CSV row per focal agent and seed.
 */

export interface ArenaDescription {
  readonly agents: readonly { readonly name: string; readonly spec: string }[];
  readonly seeds: readonly string[];
  readonly cycles: number;
  readonly balance: number;
  readonly population: string | null;
  readonly background: readonly { readonly group: string; readonly policy: string; readonly count: number }[];
  /** Who rewards the prompts the human reads: a judge by name (`rubric`, `http:MODEL`), or null for the study's human model. */
  readonly judge: string | null;
}

export interface LeaderboardEntry extends FocalSummary {
  readonly spec: string;
  readonly faults: number;
  readonly usage: Usage;
  /** USD over every seed; null when the agent's model has no price (or it is not a model). */
  readonly cost_usd: number | null;
}

export interface ArenaReport extends Omit<ArenaSummary, 'leaderboard'> {
  readonly arena: ArenaDescription;
  readonly leaderboard: readonly LeaderboardEntry[];
  readonly seeds: readonly {
    readonly seed: string;
    readonly cycles_run: number;
    readonly agents: number;
    readonly events: number;
    readonly trace_sha256: string;
    readonly focal: readonly Record<string, unknown>[];
  }[];
}

/** The report of `results`, in the order of `description.seeds` whatever order they finished in. */
export function arenaReport(description: ArenaDescription, results: readonly SeedResult[]): ArenaReport {
  const bySeed = new Map(results.map((result) => [result.seed, result]));
  const ordered = description.seeds.flatMap((seed) => (bySeed.has(seed) ? [bySeed.get(seed)!] : []));
  const names = description.agents.map(({ name }) => name);
  const summary = summariseArena(
    names,
    ordered.flatMap((result) => result.focal),
    ordered.flatMap((result) => result.background),
  );
  const leaderboard = summary.leaderboard.map((entry): LeaderboardEntry => {
    const records = ordered.flatMap((result) => result.focal.filter((record) => record.agent === entry.agent));
    const costs = records.map((record) => record.cost_usd);
    return {
      ...entry,
      spec: description.agents.find(({ name }) => name === entry.agent)!.spec,
      faults: records.reduce((sum, record) => sum + record.faults, 0),
      usage: records.reduce((sum, record) => addUsage(sum, record.usage), NO_USAGE),
      cost_usd: costs.length === 0 || costs.some((cost) => cost === null) ? null : Math.round(costs.reduce<number>((sum, cost) => sum + cost!, 0) * 1e6) / 1e6,
    };
  });
  return {
    arena: description,
    leaderboard,
    pairwise: summary.pairwise,
    background: summary.background,
    background_best: summary.background_best,
    seeds: ordered.map((result) => ({
      seed: result.seed,
      cycles_run: result.cycles_run,
      agents: result.agents,
      events: result.events,
      trace_sha256: result.trace_sha256,
      focal: result.focal.map(({ balance_by_cycle: _series, transcript: _lines, transcript_omitted: _omitted, ...scores }) => scores),
    })),
  };
}

const number = (value: number) => formatNumber(value);
const short = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const withInterval = (interval: Interval) => `${short(interval.mean)} [${short(interval.ci95[0])}, ${short(interval.ci95[1])}]`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The report for a terminal: the leaderboard (means with 95% intervals), who finished above whom, the background. */
export function arenaTable(report: ArenaReport): string {
  const { arena } = report;
  const background = arena.background.map((group) => `${group.count} ${group.policy}${group.group === group.policy ? '' : ` (${group.group})`}`).join(', ');
  const heading = `Arena: ${arena.agents.length} focal agent(s) beside ${background || 'no background'}; ${arena.seeds.length} seed(s) of ${arena.cycles} cycles, each agent starting with ${arena.balance} credits; rewards from ${arena.judge === null ? "the study's human model" : `the ${arena.judge} judge`}. Means over seeds, [95% bootstrap interval].`;
  const leaderboard = table(
    ['#', 'agent', 'spec', 'rank', 'final balance', 'rewarded', 'spent/rewarded', 'windows', 'survived', `above ${report.background_best ?? 'background'}`, 'faults', 'model calls', 'tokens', 'cost USD'],
    report.leaderboard.map((entry, index) => [
      String(index + 1),
      entry.agent,
      entry.spec,
      withInterval(entry.rank),
      withInterval(entry.final_balance),
      withInterval(entry.credits_rewarded),
      entry.spent_per_rewarded === null ? '-' : withInterval(entry.spent_per_rewarded),
      withInterval(entry.windows_won),
      withInterval(entry.cycles_survived),
      entry.vs_background_best === null ? '-' : `${entry.vs_background_best.seeds_above}/${entry.seeds}`,
      String(entry.faults),
      String(entry.usage.model_calls),
      String(entry.usage.total_tokens),
      entry.cost_usd === null ? '-' : entry.cost_usd.toFixed(4),
    ]),
  );
  const names = report.leaderboard.map(({ agent }) => agent);
  const pairwise =
    names.length < 2
      ? ''
      : `\n\nShare of seeds the row's agent finished above the column's:\n${table(
          ['', ...names],
          names.map((a) => [a, ...names.map((b) => (a === b ? '-' : report.pairwise[a]![b]!.toFixed(2)))]),
        )}`;
  const groups = table(
    ['background group', 'policy', 'final balance', 'rewarded', 'best rank'],
    report.background.map((group) => [group.group, group.policy, withInterval(group.final_balance), withInterval(group.credits_rewarded), withInterval(group.best_rank)]),
  );
  return `${heading}\n\n${leaderboard}${pairwise}\n\n${groups}\n`;
}

const CSV_COLUMNS = [
  'agent', 'spec', 'seed', 'rank', 'agents', 'cycles_survived', 'final_balance', 'credits_rewarded', 'credits_spent',
  'spent_per_rewarded', 'windows_won', 'died_at', 'faults', 'model_calls', 'input_tokens', 'output_tokens', 'cost_usd',
] as const;

/** One row per focal agent and seed, in the arena's order of seeds and agents. */
export function arenaCsv(description: ArenaDescription, results: readonly SeedResult[]): string {
  const bySeed = new Map(results.map((result) => [result.seed, result]));
  const specOf = new Map(description.agents.map(({ name, spec }) => [name, spec]));
  const rows = description.seeds.flatMap((seed) =>
    (bySeed.get(seed)?.focal ?? []).map((record) => {
      const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
        agent: csvCell(record.agent),
        spec: csvCell(specOf.get(record.agent) ?? ''),
        seed: csvCell(seed),
        rank: String(record.rank),
        agents: String(bySeed.get(seed)!.agents),
        cycles_survived: String(record.cycles_survived),
        final_balance: number(record.final_balance),
        credits_rewarded: number(record.credits_rewarded),
        credits_spent: number(record.credits_spent),
        spent_per_rewarded: record.spent_per_rewarded === null ? '' : number(record.spent_per_rewarded),
        windows_won: String(record.windows_won),
        died_at: record.died_at === null ? '' : String(record.died_at),
        faults: String(record.faults),
        model_calls: String(record.usage.model_calls),
        input_tokens: String(record.usage.input_tokens),
        output_tokens: String(record.usage.output_tokens),
        cost_usd: record.cost_usd === null ? '' : number(record.cost_usd),
      };
      return CSV_COLUMNS.map((column) => cells[column]).join(',');
    }),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
