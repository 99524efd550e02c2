import { MICRO_CREDITS_PER_CREDIT } from '../economy/credits';
import type { DomainEvent } from '../economy/events';
import { bootstrapInterval95, mean } from './statistics';

/**
 * The arena's scores: what each agent of one world did (tallied event by event), every agent's rank in
 * that world, and each focal agent's scores over the seeds, each mean with a seeded percentile
 * bootstrap interval, its ranks, how often it finished above each other focal agent and how it did
 * against the background's best policy.
 */

/** What one agent did in one world, as its events tell it. */
export interface AgentTally {
  credits_rewarded: number;
  credits_spent: number;
  windows_won: number;
  /** The cycle it died in; absent while it lives. */
  died_at?: number;
}

const noTally = (): AgentTally => ({ credits_rewarded: 0, credits_spent: 0, windows_won: 0 });

/** Counts `event`, which happened in `cycle`, into `tallies` (mutated: a world has many events, the tallies are the caller's own). */
export function tallyArenaEvent(tallies: Map<string, AgentTally>, event: DomainEvent, cycle: number): void {
  const of = (agentId: string) => {
    let tally = tallies.get(agentId);
    if (tally === undefined) tallies.set(agentId, (tally = noTally()));
    return tally;
  };
  switch (event.type) {
    case 'human_reward_issued':
      of(event.data.agent_id).credits_rewarded += event.data.credits_awarded;
      break;
    case 'credits_burned':
      of(event.data.agent_id).credits_spent += event.data.amount;
      break;
    case 'credits_transferred':
      of(event.data.from_agent).credits_spent += event.data.amount;
      break;
    case 'resources_allocated':
      of(event.data.agent_id).windows_won += 1;
      break;
    case 'agent_died':
      of(event.data.agent_id).died_at = cycle;
      break;
  }
}

/** Where an agent stood at the end of a world: what ranks it. */
export interface Standing {
  readonly id: string;
  readonly final_balance: number;
  readonly cycles_survived: number;
  readonly credits_rewarded: number;
}

const micro = (credits: number) => Math.round(credits * MICRO_CREDITS_PER_CREDIT);

/** Above when it holds more at the end; on equal holdings, when it lived longer; then when it earned more. */
function compareStandings(a: Standing, b: Standing): number {
  return micro(b.final_balance) - micro(a.final_balance) || b.cycles_survived - a.cycles_survived || micro(b.credits_rewarded) - micro(a.credits_rewarded);
}

/** Every agent's rank, 1 the best; agents that stand equal share the best rank among them (1, 2, 2, 4). */
export function rankStandings(standings: readonly Standing[]): Map<string, number> {
  const sorted = [...standings].sort(compareStandings);
  const ranks = new Map<string, number>();
  sorted.forEach((standing, index) => {
    const previous = sorted[index - 1];
    ranks.set(standing.id, previous !== undefined && compareStandings(previous, standing) === 0 ? ranks.get(previous.id)! : index + 1);
  });
  return ranks;
}

/** A focal agent's scores in one world. */
export interface FocalSeedScore {
  readonly agent: string;
  readonly seed: string;
  readonly cycles_survived: number;
  readonly final_balance: number;
  readonly credits_rewarded: number;
  readonly credits_spent: number;
  /** Credits spent per credit rewarded; null when nothing was rewarded. */
  readonly spent_per_rewarded: number | null;
  readonly windows_won: number;
  /** Among all agents of the world, focal and background. */
  readonly rank: number;
}

/** A background group in one world: the mean of its members. */
export interface GroupSeedScore {
  readonly group: string;
  readonly policy: string;
  readonly seed: string;
  readonly mean_final_balance: number;
  readonly mean_credits_rewarded: number;
  readonly best_rank: number;
}

export interface Interval {
  readonly mean: number;
  readonly ci95: readonly [number, number];
}

export interface FocalSummary {
  readonly agent: string;
  readonly seeds: number;
  readonly cycles_survived: Interval;
  readonly final_balance: Interval;
  readonly credits_rewarded: Interval;
  readonly credits_spent: Interval;
  /** Over the seeds in which it was rewarded at all; null when it never was. */
  readonly spent_per_rewarded: Interval | null;
  readonly windows_won: Interval;
  readonly rank: Interval;
  /** Rank → the seeds it finished at that rank. */
  readonly rank_distribution: Readonly<Record<string, number>>;
  /** Against the background group with the best mean final balance: how often it held more than that group's mean, and by how much. */
  readonly vs_background_best: { readonly group: string; readonly seeds_above: number; readonly share_above: number; readonly balance_difference: Interval } | null;
}

export interface ArenaSummary {
  /** Focal agents, best mean rank first (then best mean final balance, then name). */
  readonly leaderboard: readonly FocalSummary[];
  /** A → B → the share of the seeds in which A finished above B. */
  readonly pairwise: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly background: readonly { readonly group: string; readonly policy: string; readonly final_balance: Interval; readonly credits_rewarded: Interval; readonly best_rank: Interval }[];
  readonly background_best: string | null;
}

export const ARENA_RESAMPLES = 10_000;

function interval(values: readonly number[], seed: string, resamples: number): Interval {
  return { mean: mean(values), ci95: bootstrapInterval95(values, resamples, seed) };
}

/** Summarises the seeds' scores; every seed holds a score for every focal agent in `agents`. */
export function summariseArena(
  agents: readonly string[],
  focal: readonly FocalSeedScore[],
  groups: readonly GroupSeedScore[],
  resamples = ARENA_RESAMPLES,
): ArenaSummary {
  const groupNames = [...new Set(groups.map((score) => score.group))];
  const background = groupNames.map((group) => {
    const scores = groups.filter((score) => score.group === group);
    const at = (metric: string) => `arena/background/${group}/${metric}`;
    return {
      group,
      policy: scores[0]!.policy,
      final_balance: interval(scores.map((score) => score.mean_final_balance), at('final_balance'), resamples),
      credits_rewarded: interval(scores.map((score) => score.mean_credits_rewarded), at('credits_rewarded'), resamples),
      best_rank: interval(scores.map((score) => score.best_rank), at('best_rank'), resamples),
    };
  });
  const best = [...background].sort((a, b) => b.final_balance.mean - a.final_balance.mean || (a.group < b.group ? -1 : 1))[0];
  const bestBySeed = new Map(groups.filter((score) => score.group === best?.group).map((score) => [score.seed, score.mean_final_balance]));

  const summaries = agents.map((agent): FocalSummary => {
    const scores = focal.filter((score) => score.agent === agent);
    const at = (metric: string) => `arena/${agent}/${metric}`;
    const of = (metric: 'cycles_survived' | 'final_balance' | 'credits_rewarded' | 'credits_spent' | 'windows_won' | 'rank') =>
      interval(scores.map((score) => score[metric]), at(metric), resamples);
    const ratios = scores.flatMap((score) => (score.spent_per_rewarded === null ? [] : [score.spent_per_rewarded]));
    const rank_distribution: Record<string, number> = {};
    for (const { rank } of [...scores].sort((a, b) => a.rank - b.rank)) rank_distribution[String(rank)] = (rank_distribution[String(rank)] ?? 0) + 1;
    const differences = scores.flatMap((score) => {
      const groupMean = bestBySeed.get(score.seed);
      return groupMean === undefined ? [] : [score.final_balance - groupMean];
    });
    const seedsAbove = differences.filter((difference) => micro(difference) > 0).length;
    return {
      agent,
      seeds: scores.length,
      cycles_survived: of('cycles_survived'),
      final_balance: of('final_balance'),
      credits_rewarded: of('credits_rewarded'),
      credits_spent: of('credits_spent'),
      spent_per_rewarded: ratios.length === 0 ? null : interval(ratios, at('spent_per_rewarded'), resamples),
      windows_won: of('windows_won'),
      rank: of('rank'),
      rank_distribution,
      vs_background_best:
        best === undefined || differences.length === 0
          ? null
          : { group: best.group, seeds_above: seedsAbove, share_above: seedsAbove / differences.length, balance_difference: interval(differences, at('vs_background_best'), resamples) },
    };
  });

  const rankOf = new Map(focal.map((score) => [`${score.agent}\u0000${score.seed}`, score.rank]));
  const seeds = [...new Set(focal.map((score) => score.seed))];
  const pairwise: Record<string, Record<string, number>> = {};
  for (const a of agents) {
    pairwise[a] = {};
    for (const b of agents) {
      if (a === b) continue;
      const shared = seeds.filter((seed) => rankOf.has(`${a}\u0000${seed}`) && rankOf.has(`${b}\u0000${seed}`));
      const above = shared.filter((seed) => rankOf.get(`${a}\u0000${seed}`)! < rankOf.get(`${b}\u0000${seed}`)!).length;
      pairwise[a]![b] = shared.length === 0 ? 0 : above / shared.length;
    }
  }

  const leaderboard = [...summaries].sort(
    (a, b) => a.rank.mean - b.rank.mean || b.final_balance.mean - a.final_balance.mean || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0),
  );
  return { leaderboard, pairwise, background, background_best: best?.group ?? null };
}
