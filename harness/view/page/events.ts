import type { DomainEvent } from '../../../domain/economy/events';
import type { SampleView } from '../viewer-data';
import { h } from './dom';

/**
 * The trace as a timeline: one row per event with the fields that matter inline (tool, amount,
 * result, reason…), a failed call marked with its reason in words, the checks citing an event beside
 * it; filters by type and actor; runs of alike events folded into one row that opens; each row opens
 * to its JSON. `reveal` shows one event whatever the filters, for a check's link to it.
 */

interface EventFilters {
  type: string;
  actor: string;
  failedOnly: boolean;
  citedOnly: boolean;
}

/** Fields shown first when an event has them; the rest follow up to the row's room. */
const FIRST_FIELDS = ['tool_name', 'result', 'reason', 'amount', 'total_cost', 'bid_id', 'resource', 'new_price', 'from_agent', 'to_agent', 'final_balance', 'initial_balance', 'decision', 'content'];
const INLINE_FIELDS = 6;
const INLINE_CHARS = 140;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > INLINE_CHARS ? `${text.slice(0, INLINE_CHARS - 1)}…` : text;
}

export function actorOf(event: DomainEvent): string {
  return event.agent_id;
}

function fieldsOf(event: DomainEvent): [string, unknown][] {
  const data = event.data as Record<string, unknown>;
  const keys = Object.keys(data).filter((key) => !(key === 'agent_id' && data[key] === event.agent_id));
  const ordered = [...FIRST_FIELDS.filter((key) => keys.includes(key)), ...keys.filter((key) => !FIRST_FIELDS.includes(key))];
  return ordered.slice(0, INLINE_FIELDS).map((key) => [key, data[key]]);
}

const isFailedCall = (event: DomainEvent): boolean => (event.data as { result?: unknown }).result === 'failure';

/** What makes two events alike for folding: everything but their ids. */
function likeness(event: DomainEvent): string {
  const data = Object.entries(event.data as Record<string, unknown>).filter(([key]) => !key.endsWith('_id') || key === 'agent_id');
  return JSON.stringify([event.type, event.agent_id, data]);
}

export interface EventsView {
  readonly element: HTMLElement;
  reveal(position: number): void;
}

export function eventsView(view: SampleView): EventsView {
  const { trace, citations, cycles } = view;
  const filters: EventFilters = { type: '', actor: '', failedOnly: false, citedOnly: false };
  const opened = new Set<number>();
  const unfolded = new Set<number>();
  let flash: number | undefined;
  const body = h('tbody');
  const shownNote = h('span', { class: 'muted' });

  const citedBy = (position: number) => citations[String(position)] ?? [];
  const passes = (event: DomainEvent, position: number) =>
    (filters.type === '' || event.type === filters.type) &&
    (filters.actor === '' || actorOf(event) === filters.actor) &&
    (!filters.failedOnly || isFailedCall(event)) &&
    (!filters.citedOnly || citedBy(position).length > 0);

  const row = (event: DomainEvent, position: number): HTMLElement[] => {
    const cited = citedBy(position);
    const failing = cited.some((citation) => !citation.passed);
    const classes = ['event-row', isFailedCall(event) ? 'failed-call' : '', failing ? 'cited-failing' : cited.length > 0 ? 'cited' : '', flash === position ? 'flash' : ''].join(' ');
    const reason = (event.data as { reason?: unknown }).reason;
    const rows = [
      h(
        'tr',
        { class: classes, id: `event-${position + 1}`, 'data-position': position + 1, onclick: () => (opened.has(position) ? opened.delete(position) : opened.add(position), draw()) },
        h('td', { class: 'num' }, `#${position + 1}`),
        h('td', { class: 'num' }, String(cycles[position] ?? '')),
        h('td', null, h('code', null, event.type)),
        h('td', null, actorOf(event)),
        h(
          'td',
          { class: 'fields' },
          fieldsOf(event).map(([key, value]) => (key === 'reason' ? null : h('span', { class: `field${key === 'result' && value === 'failure' ? ' bad' : ''}` }, h('span', { class: 'key' }, key), ' ', short(value)))),
          typeof reason === 'string' ? h('div', { class: `reason${isFailedCall(event) ? ' bad' : ''}` }, `reason: ${reason}`) : null,
        ),
        h('td', { class: 'cited-by' }, cited.map((citation) => h('span', { class: `cite ${citation.passed ? 'passed' : 'failed'}` }, `${citation.passed ? '✓' : '✗'} ${citation.check}`))),
      ),
    ];
    if (opened.has(position)) rows.push(h('tr', { class: 'event-json' }, h('td', { colspan: 6 }, h('pre', null, JSON.stringify(event, null, 2)))));
    return rows;
  };

  /** How many events after `index` of `shown` repeat, block by block, the `period` events from `index` (none cited). */
  const repeatsAt = (shown: readonly { event: DomainEvent; position: number }[], index: number, period: number): number => {
    let length = 0;
    while (index + period + length < shown.length) {
      const here = shown[index + period + length]!;
      const model = shown[index + (length % period)]!;
      const previous = shown[index + period + length - 1]!;
      if (here.position !== previous.position + 1 || citedBy(here.position).length > 0 || likeness(here.event) !== likeness(model.event)) break;
      length += 1;
    }
    return length - (length % period);
  };

  const draw = () => {
    const shown = trace.map((event, position) => ({ event, position })).filter(({ event, position }) => passes(event, position));
    const rows: HTMLElement[] = [];
    for (let index = 0; index < shown.length; ) {
      const { position } = shown[index]!;
      // A run of alike events, or of an alike pair or triple (a call and its completion, again and again), folds after its first block.
      let period = 1;
      let folded = 0;
      const cited = shown.slice(index, index + 3).some((entry) => citedBy(entry.position).length > 0);
      if (!unfolded.has(position) && !cited) {
        for (const candidate of [1, 2, 3]) {
          const repeated = repeatsAt(shown, index, candidate);
          if (repeated > folded) [period, folded] = [candidate, repeated];
        }
      }
      for (const entry of shown.slice(index, index + period)) rows.push(...row(entry.event, entry.position));
      if (folded > 0) {
        const group = shown.slice(index, index + period + folded);
        const first = shown[index + period]!.position;
        rows.push(
          h(
            'tr',
            { class: 'fold' },
            h('td', { colspan: 6 }, h('button', { type: 'button', class: 'link', onclick: () => (group.forEach((entry) => unfolded.add(entry.position)), draw()) }, `… the same ${period === 1 ? 'event' : `${period} events`} again, ${folded / period} more time${folded / period === 1 ? '' : 's'} (#${first + 1}–#${first + folded}): show them`)),
          ),
        );
      }
      index += period + folded;
    }
    body.replaceChildren(...rows);
    shownNote.textContent = `${shown.length} of ${trace.length} events`;
  };

  const select = (label: string, values: readonly string[], set: (value: string) => void) =>
    h('select', { 'aria-label': label, onchange: (event: Event) => (set((event.target as HTMLSelectElement).value), draw()) }, h('option', { value: '' }, `every ${label}`), values.map((value) => h('option', { value }, value)));
  const counts = new Map<string, number>();
  for (const event of trace) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  const checkbox = (label: string, set: (on: boolean) => void) =>
    h('label', null, h('input', { type: 'checkbox', onchange: (event: Event) => (set((event.target as HTMLInputElement).checked), draw()) }), ` ${label}`);
  const controls = h(
    'div',
    { class: 'filters' },
    select('type', [...counts.keys()].sort(), (value) => (filters.type = value)),
    select('actor', [...new Set(trace.map(actorOf))].sort(), (value) => (filters.actor = value)),
    checkbox('failed calls only', (on) => (filters.failedOnly = on)),
    checkbox('cited by a check only', (on) => (filters.citedOnly = on)),
    shownNote,
  );
  draw();
  const element = h(
    'div',
    { class: 'events' },
    controls,
    h('table', { class: 'data events-table' }, h('thead', null, h('tr', null, ['#', 'cycle', 'type', 'actor', 'what', 'cited by'].map((name) => h('th', null, name)))), body),
  );
  return {
    element,
    reveal(position) {
      if (!passes(trace[position]!, position)) {
        Object.assign(filters, { type: '', actor: '', failedOnly: false, citedOnly: false });
        for (const control of controls.querySelectorAll('select')) control.value = '';
        for (const control of controls.querySelectorAll('input')) control.checked = false;
      }
      // A cited event is never folded into another, so it is on view once the filters let it be.
      flash = position;
      draw();
      document.getElementById(`event-${position + 1}`)?.scrollIntoView({ block: 'center' });
    },
  };
}
