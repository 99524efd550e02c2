import * as t from 'io-ts';
import { Credits } from '../economy/credits';
import { strictObject } from '../codec/decode';
import { PositiveInteger, Probability } from '../codec/numbers';

/**
 * A population study as a JSON file describes it: groups of agents running built-in policies, the
 * resources' supplies, the simulated human who rewards their work, spawn costs, cycles and seed.
 * Every field has a default, so `{}` is the default study economy.
 */

export const PolicyName = t.keyof(
  { fixed_share: null, price_aware: null, saver: null, random: null, service_provider: null },
  'fixed_share | price_aware | saver | random | service_provider',
);
export type PolicyName = t.TypeOf<typeof PolicyName>;

const Fraction = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a fraction from 0 to 1');
const PositiveNumber = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive number');
const Score = t.refinement(t.number, (n) => n >= 0 && n <= 10, 'a score from 0 to 10');

/** The capacity fractions one window asks for; each policy has its own default bundle. */
export const BundleShape = strictObject(
  'BundleShape',
  {},
  { cpu: Fraction, memory: Fraction, tokens: Fraction, attention: Fraction, duration_seconds: PositiveNumber },
);

/** The parameters of the built-in policies; each policy reads those it needs (see machines/brains/policies). */
export const PolicyParams = strictObject(
  'PolicyParams',
  {},
  {
    bundle: BundleShape,
    budget_fraction: Fraction,
    minimum_bid: Credits,
    dormancy_floor: Credits,
    sleep_cycles: PositiveInteger,
    /** A price-aware bidder offers the recent clearing cost of its bundle times this markup. */
    markup: PositiveNumber,
    /** A saver sleeps while the mean resource price is above this. */
    price_ceiling: PositiveNumber,
    /** Credits escrowed to ask the human to look at a submitted output; 0: never asks. */
    prompt_bid: Credits,
    /** What a service provider asks for its service. */
    service_cost: Credits,
  },
);
export type PolicyParams = t.TypeOf<typeof PolicyParams>;

export const PopulationGroup = strictObject(
  'PopulationGroup',
  { policy: PolicyName, count: PositiveInteger },
  { balance: Credits, params: PolicyParams, name: t.string },
);
export type PopulationGroup = t.TypeOf<typeof PopulationGroup>;

export const Supplies = strictObject('Supplies', {}, { cpu: Fraction, memory: Fraction, tokens: Fraction, attention: Fraction });

/** Each score of a reward is `mean` plus a symmetric triangular draw of half-width `spread`, kept within 0-10. */
export const ScoreDistribution = strictObject('ScoreDistribution', { mean: Score }, { spread: Score });
export type ScoreDistribution = t.TypeOf<typeof ScoreDistribution>;

export const HumanModel = strictObject(
  'HumanModel',
  {},
  {
    /** Prompts the human reads per cycle at most (highest attention bid first); the rest wait. */
    answers_per_cycle: t.union([PositiveInteger, t.literal(0)]),
    /** Chance that a prompt the human reads is rewarded; otherwise it waits for a later cycle. */
    reward_probability: Probability,
    scores: ScoreDistribution,
  },
);
export type HumanModel = t.TypeOf<typeof HumanModel>;

export const PopulationConfig = strictObject(
  'PopulationConfig',
  {},
  {
    /** At least one group: a study of nobody has nothing to measure. */
    groups: t.refinement(t.array(PopulationGroup), (groups) => groups.length > 0, 'at least one group'),
    supply: Supplies,
    human: HumanModel,
    spawn_costs: t.record(t.string, Credits),
    max_actions_per_turn: PositiveInteger,
    cycles: PositiveInteger,
    seed: t.union([t.string, t.Int]),
  },
);
export type PopulationConfig = t.TypeOf<typeof PopulationConfig>;

export interface ResolvedHuman {
  readonly answers_per_cycle: number;
  readonly reward_probability: number;
  readonly scores: { readonly mean: number; readonly spread: number };
}

export interface ResolvedGroup {
  readonly name: string;
  readonly policy: PolicyName;
  readonly count: number;
  readonly balance: number;
  readonly params: PolicyParams;
}

/** A study with every default filled in. */
export interface ResolvedPopulation {
  readonly groups: readonly ResolvedGroup[];
  readonly supply: { readonly cpu: number; readonly memory: number; readonly tokens: number; readonly attention: number };
  readonly human: ResolvedHuman;
  readonly spawn_costs?: Readonly<Record<string, number>>;
  readonly max_actions_per_turn?: number;
  readonly cycles: number;
  readonly seed: string;
}

export const DEFAULT_BALANCE = 100;
export const DEFAULT_CYCLES = 200;

/** The default study: one group of each policy that works for the human, and one service provider. */
export const DEFAULT_GROUPS: readonly PopulationGroup[] = [
  { policy: 'fixed_share', count: 25, params: { prompt_bid: 2 } },
  { policy: 'price_aware', count: 25 },
  { policy: 'saver', count: 25 },
  { policy: 'random', count: 20 },
  { policy: 'service_provider', count: 5 },
];

/**
 * `total` agents in the default groups' proportions, by largest remainders (ties to the earlier group), each keeping
 * its parameters; a group whose share rounds to nobody is left out.
 */
export function defaultGroupsOf(total: number): PopulationGroup[] {
  const whole = DEFAULT_GROUPS.reduce((sum, group) => sum + group.count, 0);
  const quotas = DEFAULT_GROUPS.map((group) => (group.count * total) / whole);
  const counts = quotas.map(Math.floor);
  const left = total - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = quotas.map((quota, index) => ({ index, remainder: quota - counts[index]! })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder.slice(0, left)) counts[index] = counts[index]! + 1;
  return DEFAULT_GROUPS.flatMap((group, index) => (counts[index]! > 0 ? [{ ...group, count: counts[index]! }] : []));
}

/**
 * The most agents a study holds: the world keeps a JavaScript Map with an entry per agent, and V8's Map holds at most
 * 2^24 entries; past it the run would fail deep inside, after minutes of setting up.
 */
export const MAX_AGENTS = 2 ** 24;

export function agentCount(population: ResolvedPopulation): number {
  return population.groups.reduce((sum, group) => sum + group.count, 0);
}

/** The seed as a reader expects it in numbers and reports: a number when it is a whole number, else the text. */
export function seedValue(seed: string): number | string {
  return /^-?\d+$/.test(seed) && Number.isSafeInteger(Number(seed)) ? Number(seed) : seed;
}

export const DEFAULT_HUMAN: ResolvedHuman = { answers_per_cycle: 1, reward_probability: 0.7, scores: { mean: 1, spread: 1 } };

export function resolvePopulation(config: PopulationConfig): ResolvedPopulation {
  const groups = (config.groups ?? DEFAULT_GROUPS).map((group) => ({
    name: group.name ?? group.policy,
    policy: group.policy,
    count: group.count,
    balance: group.balance ?? DEFAULT_BALANCE,
    params: group.params ?? {},
  }));
  const human = config.human ?? {};
  return {
    groups,
    supply: { cpu: 1, memory: 1, tokens: 1, attention: 1, ...config.supply },
    human: {
      answers_per_cycle: human.answers_per_cycle ?? DEFAULT_HUMAN.answers_per_cycle,
      reward_probability: human.reward_probability ?? DEFAULT_HUMAN.reward_probability,
      scores: { mean: human.scores?.mean ?? DEFAULT_HUMAN.scores.mean, spread: human.scores?.spread ?? DEFAULT_HUMAN.scores.spread },
    },
    spawn_costs: config.spawn_costs,
    max_actions_per_turn: config.max_actions_per_turn,
    cycles: config.cycles ?? DEFAULT_CYCLES,
    seed: String(config.seed ?? 1),
  };
}

/** Group names must tell the groups apart, since the metrics name their columns after them. */
export function duplicateGroupNames(population: ResolvedPopulation): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { name } of population.groups) (seen.has(name) ? duplicates : seen).add(name);
  return [...duplicates];
}
