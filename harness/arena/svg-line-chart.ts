import { escapeHtml } from '../report';

/**
 * The arena page's line charts, drawn as inline SVG (no library, nothing fetched, so the page opens
 * offline and needs no script). The study report and the viewer draw theirs with uPlot
 * (harness/view/page/line-chart.ts); the arena page has not moved to it yet.
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
