import { h } from './dom';
import { lineChart } from './line-chart';
import type { LineChartSpec } from './line-chart-spec';

/**
 * The arena report's script: the page carries its charts as data inline, `{holder id: [chart, …]}`;
 * each is drawn with the viewer's line chart into the element of that id. The page is then marked
 * ready with the number of charts drawn, or the error is recorded, for the headless-browser check.
 */

try {
  const holders = JSON.parse(document.getElementById('arena-data')!.textContent ?? '{}') as Record<string, LineChartSpec[]>;
  const width = Math.max(480, Math.min(1100, document.documentElement.clientWidth - 80));
  for (const [id, specs] of Object.entries(holders)) {
    const holder = document.getElementById(id);
    if (holder === null) throw new Error(`the page has no element #${id} for its charts`);
    for (const spec of specs) holder.append(lineChart(spec, width));
  }
  document.documentElement.dataset.arenaReady = String(document.querySelectorAll('.uplot canvas').length);
} catch (error) {
  document.documentElement.dataset.arenaError = String(error);
  document.body.prepend(h('p', { class: 'error' }, `The charts could not be drawn: ${String(error)}`));
}
