import uPlot from 'uplot';
import type { DomainEvent } from '../../../domain/economy/events';
import type { BalanceSeries } from '../../report/html/balances';
import { h } from './dom';

/**
 * Each agent's credits by cycle, drawn by uPlot on a canvas: nice ticks, the axes' units, a legend
 * that shows every line's value at the cycle under the cursor, each line's name at its end, the agent
 * under test drawn thicker. An agent that died has its line end at its death instead of lying on 0.
 */

const PALETTE = ['#0b7285', '#c2255c', '#5f3dc4', '#e67700', '#2b8a3e', '#1864ab', '#862e9c', '#a61e4d', '#495057', '#d9480f'];
const UNDER_TEST_COLOUR = '#1f6feb';

function deathCycles(trace: readonly DomainEvent[], cycles: readonly number[]): Map<string, number> {
  const deaths = new Map<string, number>();
  trace.forEach((event, position) => {
    if (event.type === 'agent_died') deaths.set(event.data.agent_id, cycles[position] ?? 0);
  });
  return deaths;
}

export function balanceChart(series: readonly BalanceSeries[], agentUnderTest: string, trace: readonly DomainEvent[], cycles: readonly number[], width: number): HTMLElement {
  if (series.length === 0) return h('p', { class: 'muted' }, 'No balances: the trace has no agent.');
  const deaths = deathCycles(trace, cycles);
  const xs = [...new Set(series.flatMap((line) => line.points.map((point) => point.cycle)))].sort((a, b) => a - b);
  const ordered = [...series].sort((a, b) => (a.agent_id === agentUnderTest ? -1 : b.agent_id === agentUnderTest ? 1 : a.agent_id.localeCompare(b.agent_id)));
  const columns = ordered.map((line) => {
    const byCycle = new Map(line.points.map((point) => [point.cycle, point.balance]));
    const died = deaths.get(line.agent_id);
    return xs.map((cycle) => (died !== undefined && cycle > died ? null : (byCycle.get(cycle) ?? null)));
  });
  const colourOf = (index: number) => (ordered[index]!.agent_id === agentUnderTest ? UNDER_TEST_COLOUR : PALETTE[index % PALETTE.length]!);
  const holder = h('div', { class: 'chart balance-chart', 'data-series': ordered.length });
  const endLabels = (plot: uPlot) => {
    const { ctx } = plot;
    ctx.save();
    ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    columns.forEach((column, index) => {
      if (!plot.series[index + 1]!.show) return;
      let last = column.length - 1;
      while (last >= 0 && column[last] === null) last -= 1;
      if (last < 0) return;
      const x = plot.valToPos(xs[last]!, 'x', true);
      const y = plot.valToPos(column[last]!, 'y', true);
      ctx.fillStyle = colourOf(index);
      const name = ordered[index]!.agent_id + (deaths.has(ordered[index]!.agent_id) ? ' †' : '');
      ctx.fillText(name, Math.min(x + 6 * devicePixelRatio, plot.bbox.left + plot.bbox.width - ctx.measureText(name).width), y);
    });
    ctx.restore();
  };
  const options: uPlot.Options = {
    width,
    height: 300,
    padding: [12, 120, 0, 0],
    scales: { x: { time: false } },
    axes: [
      { label: 'cycle', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      { label: 'credits', size: 64 },
    ],
    legend: { live: true },
    series: [{ label: 'cycle' }, ...ordered.map((line, index) => ({ label: line.agent_id, stroke: colourOf(index), width: line.agent_id === agentUnderTest ? 3 : 1.5, spanGaps: false, points: { show: xs.length <= 30 } }))],
    hooks: { draw: [endLabels] },
  };
  // uPlot measures nothing of the page: it draws at the width it is given, into the holder.
  new uPlot(options, [xs, ...columns] as uPlot.AlignedData, holder);
  return holder;
}
