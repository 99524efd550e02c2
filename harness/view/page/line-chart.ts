import uPlot from 'uplot';
import { h } from './dom';
import { viewed, viewsOf, ROLLING_WINDOW, type LineChartSpec, type LineView } from './line-chart-spec';

/**
 * A line chart drawn by uPlot on a canvas, shared by the viewer and the study report: nice ticks on
 * both axes with their units, a legend that shows each line's value at the cycle under the cursor
 * (click a name to hide its line), each line's name at its end, colours and dash patterns that tell
 * overlapping lines apart, and buttons for a running total or a rolling mean where values comb.
 * A null ends a line there instead of drawing it down to 0.
 */

const PALETTE = ['#1f6feb', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#e67700', '#495057', '#5f3dc4', '#a61e4d'];
const DASHES: readonly number[][] = [[], [8, 4], [2, 3], [12, 4, 2, 4]];

const colourOf = (index: number) => PALETTE[index % PALETTE.length]!;
/** Past the palette the dash changes, and the first few lines differ in dash too, where lines lie on each other. */
const dashOf = (index: number) => DASHES[(index + Math.floor(index / PALETTE.length)) % DASHES.length]!;

const VIEW_NAMES: Record<LineView, string> = { 'as is': 'per cycle', cumulative: 'running total', rolling: `rolling mean of ${ROLLING_WINDOW}` };

function lastPoint(values: readonly (number | null)[]): number {
  let last = values.length - 1;
  while (last >= 0 && values[last] === null) last -= 1;
  return last;
}

export function lineChart(spec: LineChartSpec, width: number): HTMLElement {
  const holder = h('figure', { class: 'chart line-chart', id: spec.id, 'data-series': spec.series.length });
  holder.append(h('figcaption', null, spec.title));
  if (spec.xs.length === 0 || spec.series.length === 0) {
    holder.append(h('p', { class: 'muted' }, 'Nothing to draw.'));
    return holder;
  }
  const ordered = [...spec.series].sort((a, b) => Number(b.emphasis === true) - Number(a.emphasis === true));
  let view: LineView = 'as is';
  const columns = () => ordered.map((line) => viewed(line.values, view));
  let data = columns();
  const endLabels = (plot: uPlot) => {
    const { ctx } = plot;
    ctx.save();
    ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    const lineHeight = 13 * devicePixelRatio;
    const labels = data
      .map((column, index) => ({ column, index, last: lastPoint(column) }))
      .filter(({ index, last }) => plot.series[index + 1]!.show && last >= 0)
      .map(({ column, index, last }) => ({ index, x: plot.valToPos(spec.xs[last]!, 'x', true), y: plot.valToPos(column[last]!, 'y', true) }))
      .sort((a, b) => a.y - b.y);
    // Labels that would overlap are pushed apart downwards, so each stays readable beside its line's end.
    labels.forEach((label, position) => {
      const above = labels[position - 1];
      if (above !== undefined && label.y - above.y < lineHeight) label.y = above.y + lineHeight;
      const line = ordered[label.index]!;
      const text = line.label + (line.endMark === undefined ? '' : ` ${line.endMark}`);
      ctx.fillStyle = colourOf(label.index);
      ctx.fillText(text, Math.min(label.x + 6 * devicePixelRatio, plot.bbox.left + plot.bbox.width + 8 * devicePixelRatio), label.y);
    });
    ctx.restore();
  };
  const rightPadding = 16 + 7 * Math.max(...ordered.map((line) => line.label.length + (line.endMark === undefined ? 0 : 2)));
  const options: uPlot.Options = {
    width,
    height: 280,
    padding: [12, Math.min(rightPadding, 200), 0, 0],
    scales: { x: { time: false }, y: spec.yMax === undefined ? {} : { range: (_plot, low) => [Math.min(0, low), spec.yMax!] } },
    axes: [
      { label: spec.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] },
      { label: spec.yLabel, size: 70 },
    ],
    legend: { live: true },
    series: [
      { label: spec.xLabel },
      ...ordered.map((line, index) => ({
        label: line.label,
        stroke: colourOf(index),
        dash: dashOf(index),
        width: line.emphasis === true ? 3 : 1.5,
        spanGaps: false,
        points: { show: spec.xs.length <= 30 },
      })),
    ],
    hooks: { draw: [endLabels] },
  };
  const views = viewsOf(spec.kind);
  const buttons = views.map((name) =>
    h('button', { type: 'button', class: name === view ? 'view active' : 'view', 'data-view': name, onclick: () => choose(name) }, VIEW_NAMES[name]),
  );
  holder.append(h('div', { class: 'chart-views' }, buttons));
  // uPlot measures nothing of the page: it draws at the width it is given, into the holder.
  const plot = new uPlot(options, [spec.xs, ...data] as uPlot.AlignedData, holder);
  function choose(name: LineView) {
    view = name;
    data = columns();
    buttons.forEach((button) => button.classList.toggle('active', button.dataset.view === name));
    holder.dataset.view = name;
    plot.setData([spec.xs, ...data] as uPlot.AlignedData);
  }
  holder.dataset.view = view;
  return holder;
}
