import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import {
  agentCount,
  DEFAULT_GROUPS,
  defaultGroupsOf,
  duplicateGroupNames,
  MAX_AGENTS,
  type PolicyName,
  PolicyParams,
  PopulationConfig,
  resolvePopulation,
  type ResolvedPopulation,
} from '../../domain/population/config';
import { policyFor, simulatedHuman, type AgentSetup, type WorldConfig } from '../../machines';
import { readJsonFile } from '../files';

/**
 * A study's configuration as JSON (a file, or the population `--agents` describes), with the
 * sweep's assignments applied to it before it is decoded, so that a swept value is checked as a
 * written one would be.
 */

export type RawConfig = Readonly<Record<string, unknown>>;

/**
 * What `--agents N` stands for: the default study economy with N agents in its groups' proportions, or, with
 * `--policy`, N agents of that one policy with its own defaults.
 */
export function agentsConfig(agents: number, policy?: PolicyName): RawConfig {
  return { groups: policy === undefined ? defaultGroupsOf(agents) : [{ policy, count: agents }] };
}

/** The file as written (its defaults not filled in, so that a sweep or a flag can still set them); problems name the file. */
export function readConfigFile(file: string): Either<string[], RawConfig> {
  const read = readJsonFile(file, PopulationConfig);
  return isLeft(read) ? read : right(read.right as RawConfig);
}

const POLICY_PARAMS = new Set(Object.keys(PolicyParams.optional));

/**
 * `param` set to `value`: a policy parameter (`budget_fraction`, `bundle.cpu`) in every group, `balance` or
 * `count` in every group, otherwise a path into the configuration (`cycles`, `human.reward_probability`).
 */
export function assign(config: RawConfig, param: string, value: unknown): RawConfig {
  const [head, ...rest] = param.split('.');
  if (head !== undefined && (POLICY_PARAMS.has(head) || head === 'balance' || head === 'count')) {
    const groups = (Array.isArray(config.groups) ? config.groups : DEFAULT_GROUPS) as Record<string, unknown>[];
    return {
      ...config,
      groups: groups.map((group) =>
        head === 'balance' || head === 'count'
          ? { ...group, [head]: value }
          : { ...group, params: setPath((group.params ?? {}) as Record<string, unknown>, [head, ...rest], value) },
      ),
    };
  }
  return setPath(config, param.split('.'), value);
}

function setPath(target: Readonly<Record<string, unknown>>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  if (key === undefined) return { ...target };
  if (rest.length === 0) return { ...target, [key]: value };
  const inner = target[key];
  return { ...target, [key]: setPath(typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {}, rest, value) };
}

export function decodeStudy(config: RawConfig, where = 'the configuration'): Either<string[], ResolvedPopulation> {
  const decoded = decodeWith(PopulationConfig, config);
  if (isLeft(decoded)) return left(decoded.left.map((issue) => `${where}: ${formatIssue(issue)}`));
  const population = resolvePopulation(decoded.right);
  const duplicates = duplicateGroupNames(population);
  if (duplicates.length > 0) return left([`${where}: $.groups: group names must differ (give each a "name"); repeated: ${duplicates.join(', ')}`]);
  const agents = agentCount(population);
  if (agents > MAX_AGENTS) return left([`${where}: $.groups: ${agents.toLocaleString('en')} agents in all, more than a study holds (${MAX_AGENTS.toLocaleString('en')})`]);
  return right(population);
}

/** `agent-0001`, `agent-0002`, …: the id of the agent at `index` of `total`, padded so that ids sort in order. */
export function agentId(index: number, total: number): string {
  return `agent-${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}

/** The agents of a study, `agent-0001` onwards in the order of the groups, and the group of each. */
export function studyAgents(population: ResolvedPopulation): { agents: AgentSetup[]; groups: Map<string, string> } {
  const total = population.groups.reduce((sum, group) => sum + group.count, 0);
  const agents: AgentSetup[] = [];
  const groups = new Map<string, string>();
  for (const group of population.groups) {
    const brain = policyFor(group.policy, group.params);
    for (let member = 0; member < group.count; member++) {
      const id = agentId(agents.length, total);
      agents.push({ id, balance: group.balance, brain });
      groups.set(id, group.name);
    }
  }
  return { agents, groups };
}

export function studyWorld(population: ResolvedPopulation, agents: readonly AgentSetup[]): WorldConfig {
  return {
    scenario_id: `simulate-${population.seed}`,
    seed: population.seed,
    cycles: population.cycles,
    agents,
    supply: population.supply,
    human: simulatedHuman(population.human, population.seed),
    ...(population.spawn_costs === undefined ? {} : { spawn: { costs: population.spawn_costs } }),
    ...(population.max_actions_per_turn === undefined ? {} : { max_actions_per_turn: population.max_actions_per_turn }),
  };
}
