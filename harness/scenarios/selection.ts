import { statSync } from 'node:fs';
import { sep } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { Domain, DOMAINS } from '../../domain/benchmark/scenario';
import { formatScenarioError, loadScenarioDir, loadScenarioFile, type LoadedScenario } from './constructor';

/**
 * Which scenarios a run replays: the ones named (by id in the scenarios folder, or by file), or all
 * of the folder; then only those of the domain asked for. In the order of DOMAINS, then by id.
 */

export interface SelectionRequest {
  /** Ids or files, as given to `--scenario`. */
  readonly names: readonly string[];
  readonly domain?: string;
  readonly dir: string;
}

/** A `--scenario` value that names a file (or a folder) rather than an id. */
export function isFileName(name: string): boolean {
  return name.endsWith('.json') || name.includes(sep) || name.includes('/') || isFolder(name);
}

function isFolder(name: string): boolean {
  return statSync(name, { throwIfNoEntry: false })?.isDirectory() === true;
}

function byDomainThenId(a: LoadedScenario, b: LoadedScenario): number {
  const rank = DOMAINS.indexOf(a.scenario.domain) - DOMAINS.indexOf(b.scenario.domain);
  return rank !== 0 ? rank : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function loadFolder(dir: string): Either<string[], LoadedScenario[]> {
  const { scenarios, errors } = loadScenarioDir(dir);
  return errors.length > 0 ? left(errors.map(formatScenarioError)) : right(scenarios);
}

function named(names: readonly string[], dir: string): Either<string[], LoadedScenario[]> {
  const ids = names.filter((name) => !isFileName(name));
  const folder = ids.length > 0 ? loadFolder(dir) : right([]);
  if (isLeft(folder)) return folder;
  const problems: string[] = [];
  const found = names.flatMap((name): LoadedScenario[] => {
    if (isFolder(name)) {
      problems.push(`--scenario: ${name} is a folder; --scenario takes a scenario id or file (to run a folder of scenarios: --scenarios-dir ${name})`);
      return [];
    }
    if (isFileName(name)) {
      const loaded = loadScenarioFile(name);
      if (isLeft(loaded)) problems.push(...loaded.left.map(formatScenarioError));
      return isLeft(loaded) ? [] : [loaded.right];
    }
    const loaded = folder.right.find((scenario) => scenario.id === name);
    if (loaded === undefined) {
      problems.push(`--scenario: no scenario with the id ${JSON.stringify(name)} in ${dir} (known: ${folder.right.map((scenario) => scenario.id).join(', ')})`);
    }
    return loaded === undefined ? [] : [loaded];
  });
  return problems.length > 0 ? left(problems) : right(found);
}

export function selectScenarios({ names, domain, dir }: SelectionRequest): Either<string[], LoadedScenario[]> {
  if (domain !== undefined && !Domain.is(domain)) return left([`--domain: expected one of ${DOMAINS.join(', ')}, got ${JSON.stringify(domain)}`]);
  const candidates = names.length > 0 ? named(names, dir) : loadFolder(dir);
  if (isLeft(candidates)) return candidates;
  const unique = [...new Map(candidates.right.map((loaded) => [loaded.id, loaded])).values()];
  const selected = unique.filter((loaded) => domain === undefined || loaded.scenario.domain === domain).sort(byDomainThenId);
  if (selected.length === 0) return left([`no scenario selected in ${dir}${domain === undefined ? '' : ` for the domain ${domain}`}`]);
  return right(selected);
}
