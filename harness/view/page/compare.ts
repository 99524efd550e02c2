import type { CompareView } from '../viewer-data';
import { h } from './dom';
import { date, ratio } from './format';
import { intervalChart } from './interval-chart';
import { agentName } from './runs';

/**
 * Runs side by side: a row per scenario, a column per run named by its agent and model, each cell the
 * scenario's successes in that run, coloured by rate; against the first run a lower rate is marked a
 * regression and a higher one an improvement. Then each pair's difference in success rate with its
 * 95% paired-bootstrap interval, per scenario and overall, as a chart and as a table.
 */

function shade(rate: number): string {
  // From red (0) through pale (0.5) to green (1).
  const hue = Math.round(rate * 120);
  return `hsl(${hue} 70% ${92 - Math.abs(rate - 0.5) * 20}%)`;
}

export function comparePage(view: CompareView): HTMLElement {
  const [baseline] = view.runs;
  const name = (id: string) => {
    const entry = view.runs.find((run) => run.id === id);
    return entry === undefined ? id : `${agentName(entry)}, ${date(entry.run.started_at)}`;
  };
  const cell = (scenario: CompareView['cells'][number], runId: string) => {
    const counts = scenario.byRun[runId];
    if (counts === undefined) return h('td', { class: 'muted' }, '–');
    const rate = counts.passed / counts.n;
    const base = baseline === undefined ? undefined : scenario.byRun[baseline.id];
    const change = base === undefined || runId === baseline?.id ? '' : rate > base.passed / base.n ? 'improved' : rate < base.passed / base.n ? 'regressed' : '';
    return h('td', { class: `rate ${change}`, style: `background:${shade(rate)}` }, `${counts.passed}/${counts.n}`, change === '' ? null : h('span', { class: 'change' }, change === 'improved' ? ' ▲ improved' : ' ▼ regressed'));
  };
  return h(
    'div',
    { class: 'compare-page' },
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' › compare'),
    h('h1', null, `${view.runs.length} runs compared`),
    h(
      'table',
      { class: 'data compare' },
      h('thead', null, h('tr', null, h('th', null, 'scenario'), view.runs.map((run) => h('th', null, h('a', { href: `#/run/${encodeURIComponent(run.id)}` }, agentName(run)), h('div', { class: 'muted' }, date(run.run.started_at)))))),
      h('tbody', null, view.cells.map((scenario) => h('tr', null, h('td', null, scenario.id, h('div', { class: 'muted' }, scenario.domain)), view.runs.map((run) => cell(scenario, run.id))))),
    ),
    h('h2', null, 'Paired differences in success rate'),
    h('p', { class: 'muted' }, 'Candidate minus baseline over the scenario runs both have (same scenario and epoch), with the 95% interval of a paired bootstrap; an interval clear of 0 is a difference the runs show.'),
    view.pairs.length === 0 ? null : intervalChart(view, name, Math.min(1180, Math.max(600, document.documentElement.clientWidth - 80))),
    h(
      'table',
      { class: 'data pairs' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['baseline', 'candidate', 'pairs', 'difference', '95% interval', 'improved', 'regressed'].map((title) => h('th', null, title)),
        ),
      ),
      h(
        'tbody',
        null,
        view.pairs.map((pair) =>
          h(
            'tr',
            null,
            h('td', null, name(pair.baseline)),
            h('td', null, name(pair.candidate)),
            h('td', { class: 'num' }, String(pair.pairs)),
            h('td', { class: 'num' }, `${pair.difference > 0 ? '+' : ''}${ratio(pair.difference)}`),
            h('td', { class: 'num' }, `[${ratio(pair.ci95[0])}, ${ratio(pair.ci95[1])}]`),
            h('td', { class: 'num' }, String(pair.improved)),
            h('td', { class: 'num' }, String(pair.regressed)),
          ),
        ),
      ),
    ),
  );
}
