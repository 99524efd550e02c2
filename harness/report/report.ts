import { renderJUnit } from './junit';
import type { ScenarioVerdict } from '../validate';
import * as t from 'io-ts';
import { addUsage, NO_USAGE, Usage } from '../agents';
import { isOneOf } from '../../domain/codec/one-of';
import { passKOf, shortNumber } from './epochs';

/** Rendering verdicts for people (`table`), for programs (`json`) and for CI systems (`junit`). */

export const REPORT_FORMATS = ['table', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(text: string): text is ReportFormat {
  return isOneOf(REPORT_FORMATS, text);
}

export interface Summary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
}

const ByK = t.record(t.string, t.number);
const GroupPassK = t.intersection([
  t.type({ scenarios: t.number, pass_hat_k: ByK, pass_at_k: ByK }),
  t.partial({ judge_score: t.type({ count: t.number, mean: t.number, standard_error: t.union([t.number, t.null]) }) }),
]);

/** A run's summary, as `--format json` reports it and its log's last line keeps it. */
export const RunSummary = t.intersection([
  t.type({ total: t.number, passed: t.number, failed: t.number }),
  t.partial({ usage: Usage, cost_usd: t.number, epochs: t.number, domains: t.record(t.string, GroupPassK) }),
  t.partial(GroupPassK.types[0].props),
  GroupPassK.types[1],
]);
export type RunSummary = t.TypeOf<typeof RunSummary>;

export function summarize(verdicts: readonly ScenarioVerdict[]): Summary {
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  return { total: verdicts.length, passed, failed: verdicts.length - passed };
}

/** The usage (and cost, when priced) of a run, or of a summary: only runs carry one, a checked trace does not. */
function usageFields(usage: Usage | undefined, cost_usd: number | undefined) {
  return { ...(usage === undefined ? {} : { usage }), ...(cost_usd === undefined ? {} : { cost_usd }) };
}

/**
 * `{"summary": {total, passed, failed, usage?, cost_usd?}, "results": [{id, domain, passed, usage?, cost_usd?,
 * checks: [{name, passed, detail}]}]}`; for a run (verdicts with epochs and seeds) each result also has
 * its `epoch` and `seed`, the summary `pass_hat_k`, `pass_at_k`, `judge_score` and `domains`, and
 * `scenarios` lists each scenario's runs, successes, pass^k and pass@k.
 */
export function summaryOf(verdicts: readonly ScenarioVerdict[]): RunSummary {
  const used = verdicts.some((verdict) => verdict.usage !== undefined);
  const costs = verdicts.flatMap((verdict) => (verdict.cost_usd === undefined ? [] : [verdict.cost_usd]));
  const passK = passKOf(verdicts);
  return {
    ...summarize(verdicts),
    ...usageFields(
      used ? verdicts.reduce((sum, verdict) => addUsage(sum, verdict.usage ?? NO_USAGE), NO_USAGE) : undefined,
      costs.length === 0 ? undefined : Math.round(costs.reduce((a, b) => a + b, 0) * 1_000_000) / 1_000_000,
    ),
    ...(passK === undefined ? {} : { epochs: passK.k, ...passK.overall, domains: passK.domains }),
  };
}

export function renderJson(verdicts: readonly ScenarioVerdict[]): string {
  const results = verdicts.map(({ id, domain, epoch, seed, passed, checks, usage, cost_usd, judge_score }) => ({
    id,
    domain,
    ...(seed === undefined ? {} : { epoch, seed }),
    passed,
    ...(judge_score === undefined ? {} : { judge_score }),
    ...usageFields(usage, cost_usd),
    checks: checks.map(({ name, passed: checkPassed, detail }) => ({ name, passed: checkPassed, detail })),
  }));
  const summary = summaryOf(verdicts);
  const passK = passKOf(verdicts);
  return JSON.stringify(passK === undefined ? { summary, results } : { summary, results, scenarios: passK.scenarios }, null, 2);
}

function totalsLine(verdicts: readonly ScenarioVerdict[]): string {
  const { total, passed, failed } = summarize(verdicts);
  return `${total} scenario${total === 1 ? '' : 's'}: ${passed} passed, ${failed} failed`;
}

/** Left-aligned columns two spaces apart; the last column is not padded. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

/** One row per scenario (id, domain, verdict), then its checks, each marked ✓ or ✗ with its detail. */
export function renderTable(verdicts: readonly ScenarioVerdict[]): string {
  const idWidth = Math.max('ID'.length, ...verdicts.map((verdict) => verdict.id.length));
  const domainWidth = Math.max('DOMAIN'.length, ...verdicts.map((verdict) => verdict.domain.length));
  const row = (id: string, domain: string, verdict: string) => `${id.padEnd(idWidth)}  ${domain.padEnd(domainWidth)}  ${verdict}`;
  const lines = [row('ID', 'DOMAIN', 'VERDICT')];
  for (const verdict of verdicts) {
    lines.push(row(verdict.id, verdict.domain, verdict.passed ? 'PASS' : 'FAIL'));
    for (const check of verdict.checks) lines.push(`  ${check.passed ? '✓' : '✗'} ${check.name}: ${check.detail}`);
  }
  lines.push('', totalsLine(verdicts));
  return lines.join('\n');
}

/** A failing check's detail is cut here in the overview; the json report has it whole. */
const OVERVIEW_DETAIL_CHARS = 200;

function firstFailure(verdict: ScenarioVerdict): string {
  const check = verdict.checks.find((candidate) => !candidate.passed);
  if (check === undefined) return '';
  const detail = check.detail.length > OVERVIEW_DETAIL_CHARS ? `${check.detail.slice(0, OVERVIEW_DETAIL_CHARS - 1)}…` : check.detail;
  return `${check.name}: ${detail}`;
}

/** The tokens of the calls that reached the model, and of the answers replayed from the cache when there were any. */
function tokensCell(usage: Usage): string {
  return usage.replayed_calls === 0 ? String(usage.total_tokens) : `${usage.total_tokens} (+${usage.replayed_tokens} replayed)`;
}

/** The overview of a benchmark run: one row per scenario with its verdict and its first failing check, then the totals. */
export function renderOverview(verdicts: readonly ScenarioVerdict[]): string {
  // Tokens only when a model drove the agent: a script's run uses none.
  const tokens = verdicts.some((verdict) => verdict.usage !== undefined && verdict.usage.model_calls + verdict.usage.replayed_calls > 0);
  const rows = [
    ['ID', 'DOMAIN', 'VERDICT', ...(tokens ? ['TOKENS'] : []), 'FIRST FAILING CHECK'],
    ...verdicts.map((verdict) => [
      verdict.id,
      verdict.domain,
      verdict.passed ? 'PASS' : 'FAIL',
      ...(tokens ? [tokensCell(verdict.usage ?? NO_USAGE)] : []),
      firstFailure(verdict),
    ]),
  ];
  return [...columns(rows), '', totalsLine(verdicts)].join('\n');
}

/**
 * The overview of a run of several epochs: one row per scenario with its successes, pass^1 and
 * pass^K, and the first failing check of its first failing epoch; then pass^k overall.
 */
export function renderEpochOverview(verdicts: readonly ScenarioVerdict[]): string | undefined {
  const passK = passKOf(verdicts);
  if (passK === undefined || passK.k === 1) return undefined;
  const { k } = passK;
  const rows = [
    ['ID', 'DOMAIN', 'PASSED', 'PASS^1', `PASS^${k}`, 'FIRST FAILING CHECK'],
    ...passK.scenarios.map((scenario) => {
      const failing = verdicts.find((verdict) => verdict.id === scenario.id && !verdict.passed);
      return [
        scenario.id,
        scenario.domain,
        `${scenario.successes}/${scenario.n}`,
        shortNumber(scenario.pass_hat_k['1']!),
        shortNumber(scenario.pass_hat_k[String(k)]!),
        failing === undefined ? '' : `epoch ${failing.epoch}: ${firstFailure(failing)}`,
      ];
    }),
  ];
  const overall = `pass^1 ${shortNumber(passK.overall.pass_hat_k['1']!)}, pass^${k} ${shortNumber(passK.overall.pass_hat_k[String(k)]!)}, pass@${k} ${shortNumber(passK.overall.pass_at_k[String(k)]!)}`;
  return [...columns(rows), '', `${totalsLine(verdicts).replace('scenario', 'scenario run')}; ${k} epochs: ${overall}`].join('\n');
}

/** `table` lists every check of every scenario; `overview` only each scenario's first failing check (per scenario over its epochs, for a run of several). */
export function renderReport(verdicts: readonly ScenarioVerdict[], format: ReportFormat, table: 'checks' | 'overview' = 'checks'): string {
  if (format === 'json') return renderJson(verdicts);
  if (format === 'junit') return renderJUnit(verdicts);
  return table === 'overview' ? (renderEpochOverview(verdicts) ?? renderOverview(verdicts)) : renderTable(verdicts);
}
