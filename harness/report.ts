import type { ScenarioVerdict } from './verdict';

/** Rendering verdicts for people (`table`) and for programs (`json`). */

export const REPORT_FORMATS = ['table', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(text: string): text is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(text);
}

export interface Summary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
}

export function summarize(verdicts: readonly ScenarioVerdict[]): Summary {
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  return { total: verdicts.length, passed, failed: verdicts.length - passed };
}

/** `{"summary": {total, passed, failed}, "results": [{id, domain, passed, checks: [{name, passed, detail}]}]}` */
export function renderJson(verdicts: readonly ScenarioVerdict[]): string {
  const results = verdicts.map(({ id, domain, passed, checks }) => ({
    id,
    domain,
    passed,
    checks: checks.map(({ name, passed: checkPassed, detail }) => ({ name, passed: checkPassed, detail })),
  }));
  return JSON.stringify({ summary: summarize(verdicts), results }, null, 2);
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
  const { total, passed, failed } = summarize(verdicts);
  lines.push('', `${total} scenario${total === 1 ? '' : 's'}: ${passed} passed, ${failed} failed`);
  return lines.join('\n');
}

export function renderReport(verdicts: readonly ScenarioVerdict[], format: ReportFormat): string {
  return format === 'json' ? renderJson(verdicts) : renderTable(verdicts);
}
