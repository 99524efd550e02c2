import type { BalanceSeries } from './balances';
import { escapeHtml } from './escape';

/** Each agent's balance over the cycles as a line chart in inline SVG, the agent under test drawn boldest. */

const WIDTH = 640;
const MIN_HEIGHT = 260;
const LEGEND_ROW = 18;
const MARGIN = { left: 64, right: 170, top: 16, bottom: 36 };
const COLOURS = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777', '#525252'];

function formatCredits(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function renderBalanceChart(series: readonly BalanceSeries[], agentUnderTest: string): string {
  const points = series.flatMap((line) => line.points);
  if (points.length === 0) return '<p class="empty">No agent holds credits in this trace.</p>';
  const cycles = points.map((point) => point.cycle);
  const balances = points.map((point) => point.balance);
  const [firstCycle, lastCycle] = [Math.min(...cycles), Math.max(...cycles)];
  const [low, high] = [Math.min(0, ...balances), Math.max(...balances)];
  const HEIGHT = Math.max(MIN_HEIGHT, MARGIN.top + MARGIN.bottom + series.length * LEGEND_ROW);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (cycle: number) => MARGIN.left + (lastCycle === firstCycle ? plotWidth / 2 : ((cycle - firstCycle) / (lastCycle - firstCycle)) * plotWidth);
  const y = (balance: number) => MARGIN.top + (high === low ? plotHeight / 2 : (1 - (balance - low) / (high - low)) * plotHeight);

  const cycleTicks = Array.from({ length: lastCycle - firstCycle + 1 }, (_, offset) => firstCycle + offset);
  const axes = [
    `<line class="axis" x1="${MARGIN.left}" y1="${y(low)}" x2="${MARGIN.left + plotWidth}" y2="${y(low)}"/>`,
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}"/>`,
    ...cycleTicks.map((cycle) => `<text class="tick" x="${x(cycle)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${cycle}</text>`),
    `<text class="axis-label" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle">cycle</text>`,
    ...[low, high].map((value) => `<text class="tick" x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${formatCredits(value)}</text>`),
  ];
  const lines = series.map((line, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const path = line.points.map((point, position) => `${position === 0 ? 'M' : 'L'}${x(point.cycle).toFixed(1)} ${y(point.balance).toFixed(1)}`).join(' ');
    const dots = line.points.map(
      (point) =>
        `<circle cx="${x(point.cycle).toFixed(1)}" cy="${y(point.balance).toFixed(1)}" r="3" fill="${colour}"><title>${escapeHtml(`${line.agent_id}, cycle ${point.cycle}: ${formatCredits(point.balance)} credits`)}</title></circle>`,
    );
    const legendY = MARGIN.top + 14 + index * LEGEND_ROW;
    const last = line.points[line.points.length - 1];
    const legend = `<text class="legend" x="${WIDTH - MARGIN.right + 12}" y="${legendY}" fill="${colour}">${escapeHtml(`${line.agent_id}: ${last === undefined ? '' : formatCredits(last.balance)}`)}</text>`;
    const bold = line.agent_id === agentUnderTest ? ' agent-under-test' : '';
    return `<g class="balance-line${bold}" data-agent="${escapeHtml(line.agent_id)}"><path d="${path}" stroke="${colour}" fill="none"/>${dots.join('')}${legend}</g>`;
  });
  return `<svg class="balance-chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="balance of each agent by cycle">${axes.join('')}${lines.join('')}</svg>`;
}
