import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { LoadedScenario } from '../scenarios';
import { readJsonFile } from '../files';
import type { RunLine } from './run-log';
import { sha256Of } from './evaluation';

/** What a run's log records to repeat it: the run line, and where the run's log and traces go. */

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const Versioned = t.type({ version: t.string });

/** A package's version; the project's own package.json and xstate's are always there, so a failure is a broken install. */
function versionOf(packageJson: string): string {
  const manifest = readJsonFile(packageJson, Versioned);
  if (isLeft(manifest)) throw new Error(manifest.left.join('; '));
  return manifest.right.version;
}

export function versions(): RunLine['versions'] {
  const require = createRequire(import.meta.url);
  const commit = gitCommit();
  return {
    project: versionOf(join(PROJECT_ROOT, 'package.json')),
    node: process.version,
    xstate: versionOf(require.resolve('xstate/package.json')),
    ...(commit === undefined ? {} : { git_commit: commit }),
  };
}

export const hashedFile = (file: string): { file: string; sha256: string } => ({ file, sha256: sha256Of(readFileSync(file)) });

export function scenarioRecords(scenarios: readonly LoadedScenario[]): RunLine['scenarios'] {
  return scenarios.map((loaded) => ({ id: loaded.id, domain: loaded.scenario.domain, ...hashedFile(loaded.file) }));
}

/** The host of a base URL: where a model ran, with no path or credentials that might carry a secret. */
export function hostOf(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined || baseUrl === '') return undefined;
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}

/** A run id: the start time to the second, and a counter when the log folder already has that one. */
export function newRunId(logDir: string, started: Date): string {
  const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let count = 1; ; count++) {
    const id = count === 1 ? stamp : `${stamp}-${count}`;
    if (!existsSync(join(logDir, `${id}.jsonl`)) && !existsSync(join(logDir, id))) return id;
  }
}

/** Scenario files whose content changed since the log was written, or that are gone: a resume would not repeat the run. */
export function changedScenarios(recorded: RunLine['scenarios'], current: readonly LoadedScenario[]): string[] {
  const now = new Map(scenarioRecords(current).map((record) => [record.id, record]));
  return recorded.flatMap((record) => {
    const found = now.get(record.id);
    if (found === undefined) return [`${record.file}: scenario ${record.id} is no longer selected`];
    return found.sha256 === record.sha256 ? [] : [`${record.file}: changed since the log was written (sha256 ${record.sha256.slice(0, 12)}…, now ${found.sha256.slice(0, 12)}…)`];
  });
}
