import type { PassKSummary } from '../../../domain/benchmark/pass-k';
import type { RunView, SampleRow } from '../viewer-data';
import { badge, h } from './dom';
import { cost, count, date, duration, plural, ratio } from './format';
import { agentName, statusBadge } from './runs';

/**
 * A run: its header (agent and model, judge, seeds, epochs, date, code version, log, totals), pass^k
 * and pass@k per domain and overall with the judges' mean ± standard error, and its samples as a
 * table that filters (verdict, domain, free text) and sorts. The filters stay as set while a running
 * run's table updates.
 */

interface Filters {
  verdict: 'all' | 'failed' | 'passed';
  domain: string;
  text: string;
  sort: { key: SortKey; descending: boolean };
}

type SortKey = 'order' | 'scenario' | 'domain' | 'epoch' | 'verdict' | 'tokens' | 'cost' | 'duration';

const filtersByRun = new Map<string, Filters>();

function filtersOf(runId: string): Filters {
  const existing = filtersByRun.get(runId);
  if (existing !== undefined) return existing;
  const fresh: Filters = { verdict: 'all', domain: '', text: '', sort: { key: 'order', descending: false } };
  filtersByRun.set(runId, fresh);
  return fresh;
}

function header(view: RunView): HTMLElement {
  const { entry } = view;
  const { run } = entry;
  const seeds = run.epochs === 1 ? String(run.seed) : `${run.seed}…${run.seed + run.epochs - 1}`;
  const fact = (name: string, value: string | Node) => [h('dt', null, name), h('dd', null, value)];
  const version = `${run.versions.project}${run.versions.git_commit === undefined ? '' : ` (${run.versions.git_commit.slice(0, 10)})`}, node ${run.versions.node}, xstate ${run.versions.xstate}`;
  return h(
    'header',
    { class: 'run-header' },
    h('h1', null, agentName(entry), ' ', statusBadge(entry)),
    h(
      'p',
      { class: 'totals' },
      h('b', { class: entry.passed === entry.done ? 'good' : 'bad' }, `${entry.passed} of ${entry.done} samples passed`),
      entry.done < entry.planned ? ` (${entry.planned - entry.done} still to run)` : '',
      ` · ${plural(entry.usage.model_calls, 'model call')} · ${count(entry.usage.total_tokens)} tokens (${count(entry.usage.input_tokens)} in, ${count(entry.usage.output_tokens)} out) · cost ${cost(entry.cost_usd)} · ${duration(entry.duration_ms)}`,
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('started', date(run.started_at)),
      fact('ended', entry.ended_at === undefined ? (entry.status === 'running' ? 'still running' : 'never: the run was interrupted') : date(entry.ended_at)),
      fact('agent', run.agent),
      fact('model', run.model === undefined ? '–' : `${run.model}${run.base_url_host === undefined ? '' : ` at ${run.base_url_host}`}${run.temperature === undefined ? '' : `, temperature ${run.temperature}`}`),
      fact('judge', run.judge),
      fact('scenarios × epochs', `${run.scenarios.length} × ${run.epochs} (seeds ${seeds}), ${run.scripts} scripts`),
      fact('code', version),
      fact('log', entry.file),
      run.rescored_from === undefined ? [] : fact('re-scored from', run.rescored_from),
    ),
  );
}

function passKTable(passK: PassKSummary): HTMLElement {
  const ks = Array.from({ length: passK.k }, (_, index) => String(index + 1));
  const judge = (group: PassKSummary['overall']) =>
    group.judge_score === undefined ? '–' : `${ratio(group.judge_score.mean)}${group.judge_score.standard_error === null ? '' : ` ± ${ratio(group.judge_score.standard_error)}`}`;
  const row = (name: string, group: PassKSummary['overall'], strong = false) =>
    h(
      'tr',
      { class: strong ? 'overall' : '' },
      h('td', null, name),
      h('td', { class: 'num' }, String(group.scenarios)),
      ks.map((k) => h('td', { class: 'num' }, ratio(group.pass_hat_k[k]))),
      passK.k > 1 ? h('td', { class: 'num' }, ratio(group.pass_at_k[String(passK.k)])) : null,
      h('td', { class: 'num' }, judge(group)),
    );
  return h(
    'table',
    { class: 'data pass-k' },
    h('thead', null, h('tr', null, h('th', null, 'domain'), h('th', null, 'scenarios'), ks.map((k) => h('th', null, `pass^${k}`)), passK.k > 1 ? h('th', null, `pass@${passK.k}`) : null, h('th', null, 'judge mean ± s.e.'))),
    h('tbody', null, Object.entries(passK.domains).map(([domain, group]) => row(domain, group)), row('overall', passK.overall, true)),
  );
}

function sortValue(row: SampleRow, key: SortKey): string | number {
  const { line } = row;
  switch (key) {
    case 'order':
      return row.index;
    case 'scenario':
      return line.verdict.id;
    case 'domain':
      return line.verdict.domain;
    case 'epoch':
      return line.verdict.epoch;
    case 'verdict':
      return line.verdict.passed ? 1 : 0;
    case 'tokens':
      return line.verdict.usage.total_tokens;
    case 'cost':
      return line.verdict.cost_usd ?? 0;
    case 'duration':
      return line.duration_ms ?? 0;
  }
}

function visibleRows(rows: readonly SampleRow[], filters: Filters): SampleRow[] {
  const text = filters.text.trim().toLowerCase();
  const shown = rows.filter(
    (row) =>
      (filters.verdict === 'all' || (filters.verdict === 'passed') === row.line.verdict.passed) &&
      (filters.domain === '' || row.line.verdict.domain === filters.domain) &&
      (text === '' || `${row.line.verdict.id} ${row.line.verdict.domain} ${row.first_failure?.name ?? ''} ${row.first_failure?.detail ?? ''} ${(row.failed_calls ?? []).map((group) => group.reason).join(' ')}`.toLowerCase().includes(text)),
  );
  const { key, descending } = filters.sort;
  return shown.sort((a, b) => {
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    const order = x < y ? -1 : x > y ? 1 : a.index - b.index;
    return descending ? -order : order;
  });
}

function samplesTable(view: RunView, filters: Filters, redraw: () => void): HTMLElement {
  const rows = visibleRows(view.samples, filters);
  const column = (name: string, key: SortKey) =>
    h(
      'th',
      {
        class: `sortable${filters.sort.key === key ? (filters.sort.descending ? ' descending' : ' ascending') : ''}`,
        onclick: () => {
          filters.sort = { key, descending: filters.sort.key === key ? !filters.sort.descending : false };
          redraw();
        },
      },
      name,
    );
  const runId = view.entry.id;
  return h(
    'div',
    null,
    h('p', { class: 'muted shown' }, `${rows.length} of ${plural(view.samples.length, 'sample')} shown`),
    h(
      'table',
      { class: 'data samples' },
      h('thead', null, h('tr', null, column('scenario', 'scenario'), column('domain', 'domain'), column('epoch (seed)', 'epoch'), column('verdict', 'verdict'), h('th', null, 'first failing check'), column('tokens', 'tokens'), column('cost', 'cost'), column('duration', 'duration'))),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            { class: `sample-row ${row.line.verdict.passed ? 'passed' : 'failed'}`, 'data-sample': row.index },
            h('td', null, h('a', { href: `#/run/${encodeURIComponent(runId)}/sample/${row.index}` }, row.line.verdict.id)),
            h('td', null, row.line.verdict.domain),
            h('td', { class: 'num' }, `${row.line.verdict.epoch} (${row.line.verdict.seed})`),
            h('td', null, badge(row.line.verdict.passed)),
            h(
              'td',
              { class: 'failure' },
              row.first_failure === undefined ? '' : [h('code', null, row.first_failure.name), ': ', clip(row.first_failure.detail, 220)],
              (row.failed_calls ?? []).slice(0, 2).map((group) => h('div', { class: 'failed-calls' }, `${group.count} failed call${group.count === 1 ? '' : 's'} of ${group.tool}: ${clip(group.reason, 160)}`)),
            ),
            h('td', { class: 'num' }, count(row.line.verdict.usage.total_tokens)),
            h('td', { class: 'num' }, cost(row.line.verdict.cost_usd)),
            h('td', { class: 'num duration' }, duration(row.line.duration_ms)),
          ),
        ),
      ),
    ),
  );
}

const clip = (text: string, chars: number): string => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

export interface RunPage {
  readonly element: HTMLElement;
  update(view: RunView): void;
}

export function runPage(initial: RunView): RunPage {
  let view = initial;
  const filters = filtersOf(view.entry.id);
  const headerSlot = h('div');
  const passKSlot = h('div');
  const tableSlot = h('div');
  const domainSelect = h('select', { 'aria-label': 'domain', onchange: (event: Event) => ((filters.domain = (event.target as HTMLSelectElement).value), drawTable()) });
  const drawTable = () => tableSlot.replaceChildren(samplesTable(view, filters, drawTable));
  const verdictButton = (value: Filters['verdict'], label: string) =>
    h('button', { type: 'button', class: `toggle${filters.verdict === value ? ' on' : ''}`, 'data-verdict': value, onclick: (event: Event) => {
      filters.verdict = value;
      for (const button of (event.target as HTMLElement).parentElement!.querySelectorAll('button')) button.classList.toggle('on', button === event.target);
      drawTable();
    } }, label);
  const draw = () => {
    headerSlot.replaceChildren(header(view));
    passKSlot.replaceChildren(...(view.pass_k === undefined ? [] : [h('h2', null, 'pass^k'), passKTable(view.pass_k)]));
    const domains = [...new Set(view.samples.map((row) => row.line.verdict.domain))];
    domainSelect.replaceChildren(h('option', { value: '' }, 'every domain'), ...domains.map((domain) => h('option', { value: domain, selected: filters.domain === domain }, domain)));
    drawTable();
  };
  const element = h(
    'div',
    { class: 'run-page' },
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' › ', view.entry.id),
    headerSlot,
    h('h2', null, 'Samples'),
    h(
      'div',
      { class: 'filters' },
      h('span', { class: 'group' }, verdictButton('all', 'all'), verdictButton('failed', 'failed only'), verdictButton('passed', 'passed only')),
      domainSelect,
      h('input', { type: 'search', placeholder: 'filter by scenario or check…', 'aria-label': 'free text filter', value: filters.text, oninput: (event: Event) => ((filters.text = (event.target as HTMLInputElement).value), drawTable()) }),
    ),
    tableSlot,
    passKSlot,
  );
  draw();
  return {
    element,
    update(next) {
      view = next;
      draw();
    },
  };
}
