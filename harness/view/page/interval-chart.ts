import uPlot from 'uplot';
import type { CompareView } from '../viewer-data';
import { h } from './dom';
import { ratio } from './format';

/**
 * The paired differences in success rate as a uPlot chart: a column per scenario (and one for all of
 * them), a point per pair of runs at the candidate's difference from the baseline with a whisker over
 * its 95% interval, on an axis from −1 to +1 with its zero line drawn. Pairs side by side in a column
 * are offset so that their whiskers never cover each other; the legend names each pair's runs and
 * shows its difference and interval at the column under the cursor.
 */

const COLOURS = ['#1f6feb', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285'];
const colourOf = (index: number) => COLOURS[index % COLOURS.length]!;

interface Column {
  readonly label: string;
  /** Per pair of runs: the difference and its interval, or nothing when that pair lacks the scenario. */
  readonly byPair: readonly ({ readonly difference: number; readonly low: number; readonly high: number } | undefined)[];
}

function columnsOf(view: CompareView): Column[] {
  const ids = [...new Set(view.pairs.flatMap((pair) => pair.scenarios.map((scenario) => scenario.id)))];
  const entry = (comparison: CompareView['pairs'][number]['scenarios'][number] | CompareView['pairs'][number] | undefined) =>
    comparison === undefined ? undefined : { difference: comparison.difference, low: comparison.ci95[0], high: comparison.ci95[1] };
  return [
    ...ids.map((id) => ({ label: id, byPair: view.pairs.map((pair) => entry(pair.scenarios.find((scenario) => scenario.id === id))) })),
    { label: 'all scenarios', byPair: view.pairs.map((pair) => entry(pair)) },
  ];
}

export function intervalChart(view: CompareView, name: (runId: string) => string, width: number): HTMLElement {
  const holder = h('figure', { class: 'chart interval-chart', id: 'interval-chart', 'data-pairs': view.pairs.length });
  holder.append(h('figcaption', null, 'Candidate − baseline success rate per scenario, with its 95% paired-bootstrap interval'));
  const columns = columnsOf(view);
  const pairs = view.pairs.length;
  // Each pair has its own x positions within a column, so that the data stay aligned on one x array.
  const offsetOf = (pair: number) => (pairs === 1 ? 0 : ((pair / (pairs - 1)) - 0.5) * 0.4);
  const xs = columns.flatMap((_, column) => view.pairs.map((__, pair) => column + offsetOf(pair)));
  const series = view.pairs.map((_, pair) => xs.map((__, at) => (at % pairs === pair ? (columns[Math.floor(at / pairs)]!.byPair[pair]?.difference ?? null) : null)));
  const whiskers = (plot: uPlot) => {
    const { ctx } = plot;
    ctx.save();
    const zero = plot.valToPos(0, 'y', true);
    ctx.strokeStyle = '#57606a';
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(plot.bbox.left, zero);
    ctx.lineTo(plot.bbox.left + plot.bbox.width, zero);
    ctx.stroke();
    ctx.lineWidth = 2 * devicePixelRatio;
    const cap = 5 * devicePixelRatio;
    columns.forEach((column, index) =>
      column.byPair.forEach((value, pair) => {
        if (value === undefined || !plot.series[pair + 1]!.show) return;
        const x = plot.valToPos(index + offsetOf(pair), 'x', true);
        const [top, bottom] = [plot.valToPos(value.high, 'y', true), plot.valToPos(value.low, 'y', true)];
        ctx.strokeStyle = colourOf(pair);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top);
        ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom);
        ctx.lineTo(x + cap, bottom);
        ctx.stroke();
      }),
    );
    ctx.restore();
  };
  const intervalAt = (pair: number) => (_plot: uPlot, _value: number | null, _series: number, at: number | null) => {
    if (at === null) return '–';
    const value = columns[Math.floor(at / pairs)]!.byPair[pair];
    return value === undefined ? '–' : `${value.difference > 0 ? '+' : ''}${ratio(value.difference)} [${ratio(value.low)}, ${ratio(value.high)}]`;
  };
  const options: uPlot.Options = {
    width,
    height: 300,
    padding: [12, 16, 0, 0],
    scales: { x: { time: false, range: () => [-0.6, columns.length - 0.4] }, y: { range: () => [-1.05, 1.05] } },
    axes: [
      {
        label: 'scenario',
        splits: () => columns.map((_, index) => index),
        values: (_plot, splits) => splits.map((split) => columns[split]?.label ?? ''),
        grid: { show: false },
      },
      { label: 'difference in success rate', size: 60, splits: () => [-1, -0.5, 0, 0.5, 1], values: (_plot, splits) => splits.map((split) => (split > 0 ? `+${split}` : String(split))) },
    ],
    legend: { live: true },
    series: [
      { label: 'scenario', value: (_plot, _value, _series, at) => (at === null ? '–' : (columns[Math.floor(at / pairs)]?.label ?? '–')) },
      ...view.pairs.map((pair, index) => ({
        label: `${name(pair.candidate)} − ${name(pair.baseline)}`,
        stroke: colourOf(index),
        fill: colourOf(index),
        paths: () => null,
        points: { show: true, size: 9, fill: colourOf(index) },
        value: intervalAt(index),
      })),
    ],
    hooks: { draw: [whiskers] },
  };
  new uPlot(options, [xs, ...series] as uPlot.AlignedData, holder);
  return holder;
}
