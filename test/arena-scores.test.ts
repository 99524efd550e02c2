import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rankStandings, summariseArena, tallyArenaEvent, type AgentTally, type FocalSeedScore, type GroupSeedScore } from '../domain/benchmark/arena-scores';
import type { DomainEvent } from '../domain/economy/events';

const standing = (id: string, final_balance: number, cycles_survived = 10, credits_rewarded = 0) => ({ id, final_balance, cycles_survived, credits_rewarded });

test('ranks by final holdings, then cycles survived, then credits rewarded; equals share the best rank', () => {
  const ranks = rankStandings([
    standing('poor', 5),
    standing('rich', 90),
    standing('twin-a', 40, 10, 3),
    standing('twin-b', 40, 10, 3),
    standing('short-lived', 40, 4, 3),
    standing('unrewarded', 40, 10, 0),
  ]);
  assert.equal(Object.fromEntries(ranks), { rich: 1, 'twin-a': 2, 'twin-b': 2, unrewarded: 4, 'short-lived': 5, poor: 6 });
});

test('float noise below a micro-credit does not split a tie', () => {
  const ranks = rankStandings([standing('a', 0.1 + 0.2), standing('b', 0.3)]);
  assert.equal([ranks.get('a'), ranks.get('b')], [1, 1]);
});

test('tallies rewards, spending (burned and paid to others), windows and the cycle of death', () => {
  const tallies = new Map<string, AgentTally>();
  const event = (type: string, data: Record<string, unknown>) => ({ type, data }) as unknown as DomainEvent;
  tallyArenaEvent(tallies, event('human_reward_issued', { agent_id: 'a', credits_awarded: 7 }), 2);
  tallyArenaEvent(tallies, event('credits_burned', { agent_id: 'a', amount: 3, reason: 'bid' }), 2);
  tallyArenaEvent(tallies, event('credits_transferred', { from_agent: 'a', to_agent: 'b', amount: 2, purpose: 'service' }), 3);
  tallyArenaEvent(tallies, event('resources_allocated', { agent_id: 'a' }), 3);
  tallyArenaEvent(tallies, event('agent_died', { agent_id: 'b', final_balance: 0 }), 4);
  assert.equal(tallies.get('a'), { credits_rewarded: 7, credits_spent: 5, windows_won: 1 });
  assert.equal(tallies.get('b'), { credits_rewarded: 0, credits_spent: 0, windows_won: 0, died_at: 4 });
});

const score = (agent: string, seed: string, rank: number, final_balance: number): FocalSeedScore => ({
  agent,
  seed,
  rank,
  final_balance,
  cycles_survived: 10,
  credits_rewarded: final_balance / 2,
  credits_spent: 10,
  spent_per_rewarded: final_balance > 0 ? 20 / final_balance : null,
  windows_won: 3,
});
const group = (name: string, seed: string, mean_final_balance: number): GroupSeedScore => ({
  group: name,
  policy: name,
  seed,
  mean_final_balance,
  mean_credits_rewarded: 0,
  best_rank: 2,
});

test('over seeds: the leaderboard by mean rank, the pairwise shares, the ranks, and the background best by mean balance', () => {
  const focal = [
    score('a', '1', 1, 120), score('b', '1', 3, 60),
    score('a', '2', 4, 50), score('b', '2', 2, 80),
    score('a', '3', 1, 130), score('b', '3', 5, 0),
  ];
  const groups = ['1', '2', '3'].flatMap((seed) => [group('saver', seed, 100), group('random', seed, 20)]);
  const summary = summariseArena(['b', 'a'], focal, groups, 200);
  assert.equal(summary.leaderboard.map(({ agent }) => agent), ['a', 'b']);
  assert.equal(summary.pairwise, { b: { a: 1 / 3 }, a: { b: 2 / 3 } });
  const a = summary.leaderboard[0]!;
  assert.equal(a.rank_distribution, { 1: 2, 4: 1 });
  assert.is(a.rank.mean, 2);
  assert.ok(a.rank.ci95[0] >= 1 && a.rank.ci95[1] <= 4 && a.rank.ci95[0] < a.rank.ci95[1]);
  assert.is(summary.background_best, 'saver');
  assert.equal(a.vs_background_best && [a.vs_background_best.group, a.vs_background_best.seeds_above], ['saver', 2]);
  assert.is(a.vs_background_best!.balance_difference.mean, (20 - 50 + 30) / 3);
  assert.is(summary.leaderboard[1]!.spent_per_rewarded!.mean, (20 / 60 + 20 / 80) / 2, 'over the seeds it was rewarded in');
  // The same inputs give the same intervals: the bootstrap is seeded.
  assert.equal(summariseArena(['b', 'a'], focal, groups, 200), summary);
});

test('one seed: each interval is the value itself', () => {
  const summary = summariseArena(['a'], [score('a', '7', 2, 40)], [group('saver', '7', 10)], 50);
  assert.equal(summary.leaderboard[0]!.final_balance, { mean: 40, ci95: [40, 40] });
  assert.equal(summary.pairwise, { a: {} });
});

test.run();
