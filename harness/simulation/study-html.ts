import type { CycleIndicators } from '../../domain/population/metrics';
import { escapeHtml } from '../report';
import { type PageAssets, scriptCodeSafe, scriptSafe, STATIC_POLICY, type LineChartSpec, type LineSeries } from '../view/index';
import { formatNumber } from './metrics';

/**
 * A population study as one self-contained page: the viewer's line charts (uPlot, bundled and inlined
 * with the data, nothing fetched, so it opens offline), a note when the run stopped before the
 * cycles it was to run, a table of the last cycle and the configuration it ran.
 */

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}h1{font-size:1.4rem}figure{margin:1.5rem 0}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:right}th{text-align:left}
pre{background:#f6f8fa;padding:1rem;overflow:auto}.stopped{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem .8rem;border-radius:6px}`;

/**
 * A value per cycle. With `living`, the line ends, marked †, at the first cycle none of it is alive:
 * a count of the living keeps that cycle's 0 (`showsTheEnd`); a value of the living (a mean balance)
 * is null from there on, not 0.
 */
function line(rows: readonly CycleIndicators[], label: string, pick: (row: CycleIndicators) => number, living?: (row: CycleIndicators) => number, showsTheEnd = false): LineSeries {
  const end = living === undefined ? -1 : rows.findIndex((row) => living(row) === 0);
  const last = showsTheEnd ? end : end - 1;
  return { label, values: rows.map((row, index) => (end >= 0 && index > last ? null : pick(row))), ...(end >= 0 ? { endMark: '†' } : {}) };
}

/** The study's charts as data: what each shows, its units, and whether its values are flows that comb from cycle to cycle. */
export function studyCharts(rows: readonly CycleIndicators[], groupNames: readonly string[]): LineChartSpec[] {
  const xs = rows.map((row) => row.cycle);
  const chart = (id: string, title: string, yLabel: string, kind: LineChartSpec['kind'], series: LineSeries[], yMax?: number): LineChartSpec => ({
    id,
    title,
    xs,
    xLabel: 'cycle',
    yLabel,
    kind,
    series,
    ...(yMax === undefined ? {} : { yMax }),
  });
  const allAlive = (row: CycleIndicators) => row.alive;
  const groupAlive = (name: string) => (row: CycleIndicators) => row.groups[name]?.alive ?? 0;
  return [
    chart('prices', 'Clearing prices', 'credits per capacity-second', 'level', [
      line(rows, 'cpu', (row) => row.price_cpu),
      line(rows, 'memory', (row) => row.price_memory),
      line(rows, 'tokens', (row) => row.price_tokens),
      line(rows, 'attention', (row) => row.price_attention),
    ]),
    chart('population', 'Population: alive, dormant, dead', 'agents', 'level', [
      line(rows, 'alive', (row) => row.alive),
      line(rows, 'dormant', (row) => row.dormant),
      line(rows, 'dead', (row) => row.dead),
    ]),
    chart('credits-flow', 'Credits burned and rewarded per cycle', 'credits', 'flow', [
      line(rows, 'burned', (row) => row.credits_burned),
      line(rows, 'rewarded', (row) => row.credits_rewarded),
    ]),
    chart('credits-total', 'Credits in existence', 'credits', 'level', [line(rows, 'total', (row) => row.credits_total)]),
    chart('balances', 'Balances of the living: minimum, median, maximum', 'credits', 'level', [
      line(rows, 'max', (row) => row.balance_max, allAlive),
      line(rows, 'median', (row) => row.balance_median, allAlive),
      line(rows, 'min', (row) => row.balance_min, allAlive),
    ]),
    chart('gini', 'Gini coefficient of the balances of the living', 'coefficient', 'level', [line(rows, 'gini', (row) => row.gini, allAlive)], 1),
    chart('survival', 'Alive by group', 'agents', 'level', groupNames.map((name) => line(rows, name, groupAlive(name), groupAlive(name), true))),
    chart('group-balance', 'Mean balance by group', 'credits', 'level', groupNames.map((name) => line(rows, name, (row) => row.groups[name]?.mean_balance ?? 0, groupAlive(name)))),
  ];
}

export interface StudyPage {
  readonly title: string;
  readonly rows: readonly CycleIndicators[];
  readonly groupNames: readonly string[];
  readonly config: unknown;
  /** The cycles the study was to run. */
  readonly plannedCycles: number;
  /** Ctrl-C stopped it before them: the page says it shows only what finished. */
  readonly interrupted: boolean;
}

/** Why the charts end where they do, when that is before the cycles the study was to run. */
function extentNote({ rows, plannedCycles, interrupted }: StudyPage): string {
  const ran = rows.length === 0 ? 0 : rows[rows.length - 1]!.cycle;
  const extinct = rows.find((row) => row.cycle > 0 && row.alive === 0);
  const attributes = `data-cycles-run="${ran}" data-cycles-planned="${plannedCycles}"`;
  if (interrupted) {
    return `<p id="interrupted" class="stopped" ${attributes}><strong>Interrupted</strong> (Ctrl-C) after cycle ${ran} of ${plannedCycles}: the study did not finish, and these are the cycles that did.</p>`;
  }
  if (extinct !== undefined) {
    return `<p id="extinct" class="stopped" ${attributes} data-extinct-at="${extinct.cycle}"><strong>Every agent was dead by cycle ${extinct.cycle}</strong>; the run ended at cycle ${ran} of ${plannedCycles}. Lines of what only the living have end there.</p>`;
  }
  return `<p>${ran} cycles.</p>`;
}

export function renderStudyHtml(page: StudyPage, assets: PageAssets): string {
  const { title, rows, groupNames, config, interrupted } = page;
  const last = rows[rows.length - 1];
  const summary =
    last === undefined
      ? ''
      : `<table id="final"><tbody>${Object.entries(last)
          .filter(([, value]) => typeof value === 'number')
          .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${formatNumber(value as number)}</td></tr>`)
          .join('')}</tbody></table>`;
  const heading = interrupted ? `${title} (interrupted)` : title;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${STATIC_POLICY}"><title>${escapeHtml(heading)}</title>
<style>${assets.style}\n${STYLE}</style></head>
<body><h1>${escapeHtml(heading)}</h1>
${extentNote(page)}
<p>Each chart shows one row of the metrics per cycle; hover for the values at a cycle, click a name in the legend to hide its line. A line marked † ends where its group had no one left alive.</p>
<div id="charts"></div>
<h2>Last cycle</h2>${summary}
<h2>Configuration</h2><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>
<script type="application/json" id="study-data">${scriptSafe(JSON.stringify(studyCharts(rows, groupNames)))}</script>
<script>${scriptCodeSafe(assets.script)}</script></body></html>
`;
}
