import { h } from './dom';
import { lineChart } from './line-chart';
import type { LineChartSpec } from './line-chart-spec';

/**
 * The study report's script: draws the charts whose data the page carries inline with the viewer's
 * line chart, then marks the page ready with the number drawn, or records the error, for the
 * headless-browser check.
 */

try {
  const specs = JSON.parse(document.getElementById('study-data')!.textContent ?? '[]') as LineChartSpec[];
  const holder = document.getElementById('charts')!;
  const width = Math.max(480, Math.min(1100, document.documentElement.clientWidth - 80));
  for (const spec of specs) holder.append(lineChart(spec, width));
  document.documentElement.dataset.studyReady = String(holder.querySelectorAll('.uplot canvas').length);
} catch (error) {
  document.documentElement.dataset.studyError = String(error);
  document.body.prepend(h('p', { class: 'error' }, `The charts could not be drawn: ${String(error)}`));
}
