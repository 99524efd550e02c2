import type { CycleIndicators } from '../../domain/population/metrics';
import { escapeHtml } from '../report/html/escape';
import { formatNumber } from './metrics';

/**
 * A population study as one self-contained page: line charts drawn as inline SVG (no library, nothing
 * fetched, so it opens offline), a table of the last cycle and the configuration it ran. A small
 * script marks the page ready, or records the error, for the headless-browser check.
 */

interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { left: 64, right: 180, top: 16, bottom: 36 };
const COLOURS = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777', '#525252'];

function tickLabel(value: number): string {
  return Math.abs(value) >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(2);
}

export function lineChart(id: string, label: string, cycles: readonly number[], series: readonly Series[], fixedHigh?: number): string {
  const all = series.flatMap((line) => line.values);
  const low = Math.min(0, ...all);
  const high = fixedHigh ?? Math.max(low + 1e-9, ...all);
  const [first, last] = [cycles[0] ?? 0, cycles[cycles.length - 1] ?? 0];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (cycle: number) => MARGIN.left + (last === first ? plotWidth / 2 : ((cycle - first) / (last - first)) * plotWidth);
  const y = (value: number) => MARGIN.top + (1 - (value - low) / (high - low)) * plotHeight;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => low + share * (high - low));
  const xTicks = Array.from(new Set([0, 0.25, 0.5, 0.75, 1].map((share) => Math.round(first + share * (last - first)))));
  const axes = [
    `<line class="axis" x1="${MARGIN.left}" y1="${y(low)}" x2="${MARGIN.left + plotWidth}" y2="${y(low)}"/>`,
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}"/>`,
    ...yTicks.map((value) => `<line class="grid" x1="${MARGIN.left}" y1="${y(value).toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${y(value).toFixed(1)}"/><text class="tick" x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${tickLabel(value)}</text>`),
    ...xTicks.map((cycle) => `<text class="tick" x="${x(cycle).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${cycle}</text>`),
    `<text class="tick" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle">cycle</text>`,
  ];
  const lines = series.map((line, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const path = line.values.map((value, position) => `${position === 0 ? 'M' : 'L'}${x(cycles[position]!).toFixed(1)} ${y(value).toFixed(1)}`).join(' ');
    const final = line.values[line.values.length - 1];
    const legend = `<text class="legend" x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + 14 + index * 18}" fill="${colour}">${escapeHtml(`${line.name}: ${final === undefined ? '' : tickLabel(final)}`)}</text>`;
    return `<g class="series" data-series="${escapeHtml(line.name)}"><path d="${path}" stroke="${colour}" fill="none"/>${legend}</g>`;
  });
  return (
    `<figure class="chart" id="${id}"><figcaption>${escapeHtml(label)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">${axes.join('')}${lines.join('')}</svg></figure>`
  );
}

const column = (rows: readonly CycleIndicators[], pick: (row: CycleIndicators) => number) => rows.map(pick);

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}h1{font-size:1.4rem}figure{margin:1.5rem 0}
figcaption{font-weight:600;margin-bottom:.3rem}.axis{stroke:#57606a}.grid{stroke:#eaeef2}.tick{font-size:11px;fill:#57606a}
.legend{font-size:12px}path{stroke-width:1.6}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:right}
th{text-align:left}pre{background:#f6f8fa;padding:1rem;overflow:auto}`;

export interface StudyPage {
  readonly title: string;
  readonly rows: readonly CycleIndicators[];
  readonly groupNames: readonly string[];
  readonly config: unknown;
  /** The cycles the study was to run, when Ctrl-C stopped it before them: the page says it shows only what finished. */
  readonly interruptedOf?: number;
}

export function renderStudyHtml({ title, rows, groupNames, config, interruptedOf }: StudyPage): string {
  const cycles = rows.map((row) => row.cycle);
  const last = rows[rows.length - 1];
  const charts = [
    lineChart('prices', 'Clearing prices (credits per capacity-second)', cycles, [
      { name: 'cpu', values: column(rows, (row) => row.price_cpu) },
      { name: 'memory', values: column(rows, (row) => row.price_memory) },
      { name: 'tokens', values: column(rows, (row) => row.price_tokens) },
      { name: 'attention', values: column(rows, (row) => row.price_attention) },
    ]),
    lineChart('population', 'Population: alive, dormant, dead', cycles, [
      { name: 'alive', values: column(rows, (row) => row.alive) },
      { name: 'dormant', values: column(rows, (row) => row.dormant) },
      { name: 'dead', values: column(rows, (row) => row.dead) },
    ]),
    lineChart('credits-flow', 'Credits burned and rewarded per cycle', cycles, [
      { name: 'burned', values: column(rows, (row) => row.credits_burned) },
      { name: 'rewarded', values: column(rows, (row) => row.credits_rewarded) },
    ]),
    lineChart('credits-total', 'Credits in existence', cycles, [{ name: 'total', values: column(rows, (row) => row.credits_total) }]),
    lineChart('balances', 'Balances of the living: minimum, median, maximum', cycles, [
      { name: 'max', values: column(rows, (row) => row.balance_max) },
      { name: 'median', values: column(rows, (row) => row.balance_median) },
      { name: 'min', values: column(rows, (row) => row.balance_min) },
    ]),
    lineChart('gini', 'Gini coefficient of the balances', cycles, [{ name: 'gini', values: column(rows, (row) => row.gini) }], 1),
    lineChart('survival', 'Alive by group', cycles, groupNames.map((name) => ({ name, values: column(rows, (row) => row.groups[name]?.alive ?? 0) }))),
    lineChart('group-balance', 'Mean balance by group', cycles, groupNames.map((name) => ({ name, values: column(rows, (row) => row.groups[name]?.mean_balance ?? 0) }))),
  ];
  const summary =
    last === undefined
      ? ''
      : `<table id="final"><tbody>${Object.entries(last)
          .filter(([, value]) => typeof value === 'number')
          .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${formatNumber(value as number)}</td></tr>`)
          .join('')}</tbody></table>`;
  const ran = rows.length === 0 ? 0 : rows.length - 1;
  const heading = interruptedOf === undefined ? title : `${title} (interrupted)`;
  const extent =
    interruptedOf === undefined
      ? `<p>${ran} cycles.`
      : `<p id="interrupted" data-cycles-run="${ran}" data-cycles-planned="${interruptedOf}"><strong>Interrupted</strong> (Ctrl-C) after cycle ${ran} of ${interruptedOf}: the study did not finish, and these are the cycles that did.`;
  const script = `try{document.documentElement.dataset.studyReady=String(document.querySelectorAll('figure.chart svg').length)}catch(e){document.documentElement.dataset.studyError=String(e)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(heading)}</h1>
${extent} Each chart shows one row of the metrics per cycle.</p>
${charts.join('\n')}
<h2>Last cycle</h2>${summary}
<h2>Configuration</h2><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>
<script>${script}</script></body></html>
`;
}
