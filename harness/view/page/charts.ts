import type { DomainEvent } from '../../../domain/economy/events';
import type { BalanceSeries } from '../../report';
import { h } from './dom';
import { lineChart } from './line-chart';

/**
 * Each agent's credits by cycle, on the shared line chart: the agent under test drawn thicker and
 * first; an agent that died has its line end at its death, marked †, instead of lying on 0.
 */

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
  const lines = [...series]
    .sort((a, b) => a.agent_id.localeCompare(b.agent_id))
    .map((line) => {
      const byCycle = new Map(line.points.map((point) => [point.cycle, point.balance]));
      const died = deaths.get(line.agent_id);
      return {
        label: line.agent_id,
        values: xs.map((cycle) => (died !== undefined && cycle > died ? null : (byCycle.get(cycle) ?? null))),
        emphasis: line.agent_id === agentUnderTest,
        ...(died === undefined ? {} : { endMark: '†' }),
      };
    });
  const chart = lineChart({ id: 'balance-chart', title: '', xs, xLabel: 'cycle', yLabel: 'credits', series: lines, kind: 'level' }, width);
  chart.classList.add('balance-chart');
  return chart;
}
