import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, describeActual } from '../../domain/codec/decode';
import { Domain, DOMAINS, InjectedEvent, Scenario, scenarioId, Validation } from '../../domain/benchmark/scenario';
import { errorMessage } from '../../domain/codec/error-message';
import { isCompanionFile, isCompanionFolder } from './companions';
import { checkInjectedEvents, checkValidationRules, type ScenarioIssue } from './constructor-checks';
import { parseJsonText, readText } from '../files';
import { isOneOf } from '../../domain/codec/one-of';

/**
 * The constructor (docs/DESIGN.md section 5): loads scenario files, decodes them and checks them against
 * the system, reporting every error of every file.
 */

export interface LoadedScenario {
  readonly file: string;
  readonly id: string;
  readonly scenario: Scenario;
  /** The parsed JSON as written, for the aggregated benchmark file. */
  readonly raw: unknown;
}

export interface ScenarioError extends ScenarioIssue {
  readonly file: string;
}

export function formatScenarioError(error: ScenarioError): string {
  return `${error.file}: ${error.path}: ${error.message}`;
}

const ID_KEYS = ['scenario_id', 'task_id'] as const;

/** What one file yields on its own: its issues, and its id when it has one, for the folder's duplicate check. */
interface Inspection {
  readonly issues: ScenarioIssue[];
  readonly id?: { readonly value: string; readonly path: string };
  readonly scenario?: Scenario;
  readonly raw?: unknown;
}

function decodedOrUndefined<A>(codec: t.Decoder<unknown, A>, value: unknown): A | undefined {
  const result = codec.decode(value);
  return isLeft(result) ? undefined : result.right;
}

function idOf(record: Readonly<Record<string, unknown>>): Pick<Inspection, 'issues' | 'id'> {
  const ids = ID_KEYS.flatMap((key) => {
    const value = record[key];
    return typeof value === 'string' ? [{ key, value }] : [];
  });
  const [first, second] = ids;
  if (first === undefined) {
    const present = ID_KEYS.some((key) => key in record);
    // A present id of the wrong type is already a decode issue.
    return { issues: present ? [] : [{ path: '$', message: 'expected a scenario_id or a task_id, got neither' }] };
  }
  const issues =
    second !== undefined && second.value !== first.value
      ? [
          {
            path: `$.${second.key}`,
            message: `expected the same id as ${first.key} (${JSON.stringify(first.value)}), got ${JSON.stringify(second.value)}`,
          },
        ]
      : [];
  return { issues, id: { value: first.value, path: `$.${first.key}` } };
}

/** A file in a domain's folder (`economic_reasoning/er_001.json`) must declare that domain. */
function checkDomainFolder(file: string, domain: unknown): ScenarioIssue[] {
  const folder = basename(dirname(file));
  if (!isOneOf(DOMAINS, folder) || !Domain.is(domain) || domain === folder) return [];
  return [
    {
      path: '$.domain',
      message: `expected ${JSON.stringify(folder)}, the domain of the folder the file is in, got ${JSON.stringify(domain)}`,
    },
  ];
}

function inspectJson(file: string, raw: unknown): Inspection {
  const decoded = decodeWith(Scenario, raw);
  const decodeIssues = isLeft(decoded)
    ? decoded.left.map((issue) => ({ path: issue.path, message: `expected ${issue.expected}, got ${describeActual(issue.actual)}` }))
    : [];
  if (!t.UnknownRecord.is(raw)) return { issues: decodeIssues, raw };
  // Check the sections that decode on their own even when another part of the file does not.
  const validation = decodedOrUndefined(Validation, raw.validation);
  const injected = decodedOrUndefined(t.array(InjectedEvent), raw.injected_events ?? []);
  const { issues: idIssues, id } = idOf(raw);
  const issues = [
    ...decodeIssues,
    ...idIssues,
    ...checkDomainFolder(file, raw.domain),
    ...(validation === undefined ? [] : checkValidationRules(validation)),
    ...(injected === undefined ? [] : checkInjectedEvents(injected)),
  ];
  return { issues, id, scenario: isLeft(decoded) ? undefined : decoded.right, raw };
}

function inspectFile(file: string): Inspection {
  const text = readText(file);
  if (isLeft(text)) return { issues: [{ path: '$', message: text.left }] };
  const parsed = parseJsonText(text.right);
  return isLeft(parsed) ? { issues: [{ path: '$', message: parsed.left }] } : inspectJson(file, parsed.right);
}

function outcomeOf(file: string, inspection: Inspection): Either<ScenarioError[], LoadedScenario> {
  const { issues, scenario, raw } = inspection;
  if (issues.length > 0 || scenario === undefined) return left(issues.map((issue) => ({ file, ...issue })));
  return right({ file, id: scenarioId(scenario), scenario, raw });
}

/** Loads, decodes and checks one scenario file. */
export function loadScenarioFile(file: string): Either<ScenarioError[], LoadedScenario> {
  return outcomeOf(file, inspectFile(file));
}

/** Every scenario file under `dir` (each `.json` that is not a companion), recursively, in a stable order (by path, code unit by code unit). */
export function scenarioFiles(dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return isCompanionFolder(entry.name) ? [] : walk(path);
      return entry.name.endsWith('.json') && !isCompanionFile(entry.name) ? [path] : [];
    });
  return walk(dir).sort();
}

/**
 * Loads every scenario file under `dir`. A file with any error is left out of `scenarios`, and
 * every error of every file is in `errors`, including ids used by more than one file.
 */
export function loadScenarioDir(dir: string): { scenarios: LoadedScenario[]; errors: ScenarioError[] } {
  let files: string[];
  try {
    files = scenarioFiles(dir);
  } catch (error) {
    return { scenarios: [], errors: [{ file: dir, path: '$', message: `cannot read the folder: ${errorMessage(error)}` }] };
  }
  const firstFileById = new Map<string, string>();
  const outcomes = files.map((file) => {
    const inspection = inspectFile(file);
    const { id } = inspection;
    if (id === undefined) return outcomeOf(file, inspection);
    const earlier = firstFileById.get(id.value);
    if (earlier === undefined) firstFileById.set(id.value, file);
    const duplicate =
      earlier === undefined
        ? []
        : [
            {
              path: id.path,
              message: `expected an id no other scenario has, got ${JSON.stringify(id.value)}, the id of ${earlier} too`,
            },
          ];
    return outcomeOf(file, { ...inspection, issues: [...inspection.issues, ...duplicate] });
  });
  return {
    scenarios: outcomes.flatMap((outcome) => (isLeft(outcome) ? [] : [outcome.right])),
    errors: outcomes.flatMap((outcome) => (isLeft(outcome) ? outcome.left : [])),
  };
}
