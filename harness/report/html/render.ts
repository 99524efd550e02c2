import type { AnyStateMachine } from 'xstate';
import { epochsSection } from './epochs';
import type { DomainEvent } from '../../../domain/events';
import { summarize } from '../report';
import { AGENT_UNDER_TEST } from '../../../domain/scenario';
import type { Check, ScenarioVerdict } from '../../validate/verdict';
import { renderBalanceChart } from './balance-chart';
import { balancesByCycle } from './balances';
import { citedEvents } from './citations';
import { escapeHtml } from './escape';
import { machineGraph } from '../../../machines';
import { PAGE_SCRIPT, PAGE_STYLE } from './page';
import { renderSequenceDiagram } from './sequence-diagram';
import { renderStateDiagram } from './state-diagram';

/**
 * The run report as one self-contained HTML page (inline style, script and SVG; its content security
 * policy forbids every load from elsewhere). A reader sees the totals and each scenario's verdict
 * with its first failing check first; then, per scenario, its checks (failing ones first), its trace
 * as a sequence diagram with the events the checks cite highlighted, and each agent's balance by
 * cycle; last, the state diagrams of the machines that ran.
 */

/** What the report needs of a replay (`Replay` is one). */
export interface ReportRun {
  readonly verdict: ScenarioVerdict;
  readonly trace: readonly DomainEvent[];
}

export interface HtmlReportOptions {
  /** The machine definitions whose state diagrams close the report. */
  readonly machines: readonly AnyStateMachine[];
  readonly title?: string;
}

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

function badge(passed: boolean): string {
  return passed ? '<span class="badge pass">PASS</span>' : '<span class="badge fail">FAIL</span>';
}

/** Each scenario's section is found by its position, so that two runs of one scenario id stay apart. */
function anchorOf(index: number): string {
  return `scenario-${index + 1}`;
}

function overview(runs: readonly ReportRun[]): string {
  const rows = runs.map(({ verdict }, index) => {
    const failing = verdict.checks.find((check) => !check.passed);
    const first = failing === undefined ? '' : `<b>${escapeHtml(failing.name)}</b>: ${escapeHtml(failing.detail)}`;
    return `<tr class="scenario-row ${verdict.passed ? 'passed' : 'failed'}"><td><a href="#${anchorOf(index)}">${escapeHtml(verdict.id)}</a></td><td>${escapeHtml(verdict.domain)}</td><td>${badge(verdict.passed)}</td><td class="detail">${first}</td></tr>`;
  });
  return `<table class="overview"><thead><tr><th>scenario</th><th>domain</th><th>verdict</th><th>first failing check</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checkRow(check: Check): string {
  const state = check.passed ? 'passed' : 'failed';
  return `<tr class="check ${state}" data-check="${escapeHtml(check.name)}"><td>${check.passed ? '✓' : '✗'}</td><td><code>${escapeHtml(check.name)}</code></td><td class="detail">${escapeHtml(check.detail)}</td></tr>`;
}

function checksTable(checks: readonly Check[]): string {
  const ordered = [...checks.filter((check) => !check.passed), ...checks.filter((check) => check.passed)];
  return `<table class="checks"><thead><tr><th></th><th>check</th><th>detail</th></tr></thead><tbody>${ordered.map(checkRow).join('')}</tbody></table>`;
}

/** The agent's model tokens, for a run driven by a model: the calls that reached it, then the answers replayed from the cache. */
function usageNote({ usage, cost_usd }: ReportRun['verdict']): string {
  if (usage === undefined || usage.model_calls + usage.replayed_calls === 0) return '';
  const cost = cost_usd === undefined ? '' : `, $${cost_usd}`;
  const replayed = usage.replayed_calls === 0 ? '' : ` · ${usage.replayed_calls} answers replayed from the cache (${usage.replayed_tokens} tokens, no cost)`;
  return ` · ${usage.model_calls} model calls, ${usage.total_tokens} tokens (${usage.input_tokens} in, ${usage.output_tokens} out${cost})${replayed}`;
}

function scenarioSection(run: ReportRun, index: number): string {
  const { verdict, trace } = run;
  const failed = verdict.checks.filter((check) => !check.passed).length;
  const counts = `${verdict.checks.length - failed} of ${verdict.checks.length} checks passed${usageNote(verdict)}`;
  return `<section class="scenario ${verdict.passed ? 'passed' : 'failed'}" id="${anchorOf(index)}" data-scenario="${escapeHtml(verdict.id)}">
<h2>${badge(verdict.passed)} ${escapeHtml(verdict.id)} <small>${escapeHtml(verdict.domain)} · ${counts}</small></h2>
<h3>Checks</h3>${checksTable(verdict.checks)}
<h3>Trace (${trace.length} events)</h3>
<p><span class="legend-item matched">cited by a passing check</span><span class="legend-item failing">cited by a failing check</span>Click a check to find its events; hover an event for its data.</p>
<div class="scroll">${renderSequenceDiagram(trace, AGENT_UNDER_TEST, citedEvents(verdict.checks, trace))}</div>
<h3>Balances by cycle</h3>${renderBalanceChart(balancesByCycle(trace), AGENT_UNDER_TEST)}
</section>`;
}

/** A marker every sequence and state diagram draws its arrows with. */
const ARROW_MARKER =
  '<svg width="0" height="0" aria-hidden="true"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="context-stroke"/></marker></defs></svg>';

export function renderHtmlReport(runs: readonly ReportRun[], options: HtmlReportOptions): string {
  const title = options.title ?? 'Syntropism run report';
  const { total, passed, failed } = summarize(runs.map((run) => run.verdict));
  const machines = options.machines.map((machine) => renderStateDiagram(machineGraph(machine)));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${ARROW_MARKER}
<h1>${escapeHtml(title)}</h1>
<p class="summary">${badge(failed === 0)} ${total} scenario${total === 1 ? '' : 's'}: ${passed} passed, ${failed} failed</p>
${overview(runs)}
${epochsSection(runs.map((run) => run.verdict))}
${runs.map(scenarioSection).join('\n')}
<h2 id="machines">Machines</h2>
${machines.join('\n')}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
