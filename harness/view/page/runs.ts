import type { RunEntry } from '../viewer-data';
import type { RunList } from './data-source';
import { h } from './dom';
import { cost, count, date, duration, ratio } from './format';

/** The runs of the log folder, newest first; a running one updates as its log grows. Two or more ticked are compared. */

export function agentName(entry: RunEntry): string {
  const { agent, model } = entry.run;
  return model === undefined || agent.endsWith(model) ? agent : `${agent} (${model})`;
}

export function statusBadge(entry: RunEntry): HTMLElement {
  return h('span', { class: `status ${entry.status}` }, entry.status);
}

export function runsView({ runs, problems }: RunList, live: boolean): HTMLElement {
  const selected = new Set<string>();
  const compareButton = h('button', { type: 'button', disabled: true, onclick: () => (location.hash = `#/compare/${[...selected].map(encodeURIComponent).join(',')}`) }, 'Compare selected runs');
  const row = (entry: RunEntry) =>
    h(
      'tr',
      { class: `run-row ${entry.status}`, 'data-run': entry.id },
      h(
        'td',
        null,
        h('input', {
          type: 'checkbox',
          'aria-label': `select ${entry.id} to compare`,
          onchange: (event: Event) => {
            if ((event.target as HTMLInputElement).checked) selected.add(entry.id);
            else selected.delete(entry.id);
            compareButton.disabled = selected.size < 2;
          },
        }),
      ),
      h('td', null, h('a', { href: `#/run/${encodeURIComponent(entry.id)}` }, date(entry.run.started_at))),
      h('td', null, statusBadge(entry)),
      h('td', null, agentName(entry), entry.run.rescored_from === undefined ? null : h('div', { class: 'muted' }, 're-scored')),
      h('td', { class: 'num' }, `${entry.run.scenarios.length} × ${entry.run.epochs}`),
      h('td', { class: 'num' }, entry.done === entry.planned ? String(entry.done) : `${entry.done} of ${entry.planned}`),
      h('td', { class: `num ${entry.passed === entry.done ? 'good' : 'bad'}` }, `${entry.passed} / ${entry.done}`),
      h('td', { class: 'num' }, entry.pass_hat_k === undefined ? '–' : ratio(entry.pass_hat_k)),
      h('td', { class: 'num' }, count(entry.usage.total_tokens)),
      h('td', { class: 'num' }, cost(entry.cost_usd)),
      h('td', { class: 'num' }, duration(entry.duration_ms)),
    );
  return h(
    'div',
    { class: 'runs-page' },
    h('h1', null, 'Runs'),
    h('p', { class: 'muted' }, live ? 'Newest first; a running run updates as its log is written.' : 'Newest first.'),
    runs.length === 0
      ? h('p', { class: 'empty' }, 'No run logs here yet: run npx tsx harness/run.ts and they appear as they are written.')
      : h(
          'table',
          { class: 'runs data' },
          h(
            'thead',
            null,
            h('tr', null, ...['', 'started', 'status', 'agent (model)', 'scenarios × epochs', 'samples', 'passed', 'pass^k', 'tokens', 'cost', 'duration'].map((name) => h('th', null, name))),
          ),
          h('tbody', null, runs.map(row)),
        ),
    runs.length > 1 ? h('p', null, compareButton) : null,
    problems.length === 0 ? null : h('details', { class: 'problems' }, h('summary', null, `${problems.length} file(s) here are not run logs`), h('ul', null, problems.map((problem) => h('li', null, problem)))),
  );
}
