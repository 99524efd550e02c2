import type { StateDiagram } from '../state-diagram';
import type { SampleView } from '../viewer-data';
import { balanceChart } from './charts';
import { badge, h, trustedSvg } from './dom';
import { cost, count, duration, plural } from './format';
import { eventsView } from './events';
import { transcriptView } from './transcript';
import { agentName } from './runs';

/**
 * A sample: its verdict and why, first; its checks, each with buttons to the events it cites; the
 * transcript of what the agent was told and did; the events; the balances; the machines' diagrams.
 */

const EVENT_REFERENCE = /(?<!after )#(\d+) (\S+?)(?=[\s,;)]|$)/g;

/** The positions (from 0) a check's detail names as its events, in the order it names them. */
function citedPositions(detail: string, view: SampleView): number[] {
  const positions: number[] = [];
  for (const [, number, id] of detail.matchAll(EVENT_REFERENCE)) {
    const position = Number(number) - 1;
    if (view.trace[position]?.event_id === id && !positions.includes(position)) positions.push(position);
  }
  return positions;
}

/** The calls the world refused in the trace, by tool and reason, most frequent first. */
function refusedCalls(view: SampleView): { tool: string; reason: string; positions: number[] }[] {
  const groups = new Map<string, { tool: string; reason: string; positions: number[] }>();
  view.trace.forEach((event, position) => {
    if (event.type !== 'tool_call_completed' || event.data.result !== 'failure') return;
    const reason = event.data.reason ?? 'no reason given';
    const key = `${event.data.tool_name}\n${reason}`;
    const group = groups.get(key) ?? { tool: event.data.tool_name, reason, positions: [] };
    group.positions.push(position);
    groups.set(key, group);
  });
  return [...groups.values()].sort((a, b) => b.positions.length - a.positions.length);
}

/** "N of M states visited", or nothing when the log does not say. */
function visitedNote(machine: StateDiagram, visited: SampleView['line']['visited_states']): HTMLElement | null {
  if (visited === undefined) return null;
  const states = new Set(visited[machine.id] ?? []);
  const count = machine.states.filter((state) => states.has(state)).length;
  return h('span', { class: 'visited-count', 'data-visited': count, 'data-states': machine.states.length }, `${count} of ${machine.states.length} states visited`);
}

/** Marks each state of the diagram the run visited (class `visited`) and each it did not (`unvisited`). */
function markVisited(diagram: HTMLElement, visited: readonly string[] | undefined): HTMLElement {
  if (visited === undefined) return diagram;
  const states = new Set(visited);
  diagram.querySelectorAll<SVGGElement>('g.state[data-state]').forEach((state) => {
    const path = state.dataset.state ?? '';
    if (path !== '') state.classList.add(states.has(path) ? 'visited' : 'unvisited');
  });
  return diagram;
}

export function samplePage(view: SampleView, machines: readonly StateDiagram[]): HTMLElement {
  const { line } = view;
  const events = eventsView(view);
  const failing = line.verdict.checks.filter((check) => !check.passed);
  const refused = refusedCalls(view);
  const ordered = [...failing, ...line.verdict.checks.filter((check) => check.passed)];
  const checkRow = (check: (typeof ordered)[number]) => {
    const cited = citedPositions(check.detail, view);
    return h(
      'tr',
      { class: `check ${check.passed ? 'passed' : 'failed'}`, 'data-check': check.name },
      h('td', { class: 'mark' }, check.passed ? '✓' : '✗'),
      h('td', null, h('code', null, check.name)),
      h('td', { class: 'detail' }, check.detail),
      h(
        'td',
        { class: 'cites' },
        cited.map((position) => h('button', { type: 'button', class: 'event-link', 'data-position': position + 1, onclick: () => events.reveal(position) }, `#${position + 1} ${view.trace[position]!.type}`)),
      ),
    );
  };
  const usage = line.verdict.usage.model_calls === 0 ? 'no model calls' : `${plural(line.verdict.usage.model_calls, 'model call')}, ${count(line.verdict.usage.total_tokens)} tokens (${count(line.verdict.usage.input_tokens)} in, ${count(line.verdict.usage.output_tokens)} out), cost ${cost(line.verdict.cost_usd)}`;
  const section = (id: string, title: string, ...content: (Node | null)[]) => h('section', { id, class: 'sample-section' }, h('h2', null, title), ...content);
  const width = Math.min(1180, Math.max(600, document.documentElement.clientWidth - 80));
  return h(
    'div',
    { class: 'sample-page' },
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' › ', h('a', { href: `#/run/${encodeURIComponent(view.run.id)}` }, `${view.run.id} · ${agentName(view.run)}`), ' › ', `${line.verdict.id} epoch ${line.verdict.epoch}`),
    h(
      'header',
      { class: 'sample-header' },
      h('h1', null, badge(line.verdict.passed), ' ', line.verdict.id, h('small', null, ` ${line.verdict.domain} · epoch ${line.verdict.epoch} · seed ${line.verdict.seed}`)),
      h('p', { class: 'totals' }, `${line.verdict.checks.length - failing.length} of ${line.verdict.checks.length} checks passed · ${usage}${line.verdict.judge_score === undefined ? '' : ` · judge score ${line.verdict.judge_score}`} · ${plural(view.trace.length, 'event')}${line.duration_ms === undefined ? '' : ` · ran ${duration(line.duration_ms)}`}`),
      failing.length === 0
        ? null
        : h(
            'div',
            { class: 'why' },
            h('h3', null, `Why it failed (${plural(failing.length, 'failing check')})`),
            h('ol', null, failing.map((check) => h('li', null, h('code', null, check.name), ': ', check.detail))),
            refused.length === 0
              ? null
              : [
                  h('h3', null, `The agent's refused calls (${refused.reduce((sum, group) => sum + group.positions.length, 0)})`),
                  h(
                    'ul',
                    { class: 'refused' },
                    refused.map((group) =>
                      h(
                        'li',
                        null,
                        h('b', null, `${group.positions.length} × ${group.tool}`),
                        ': ',
                        h('span', { class: 'reason' }, group.reason),
                        ' ',
                        h('button', { type: 'button', class: 'event-link', onclick: () => events.reveal(group.positions[0]!) }, `first at #${group.positions[0]! + 1}`),
                      ),
                    ),
                  ),
                ],
          ),
      view.trace_problem === undefined ? null : h('p', { class: 'problem' }, view.trace_problem),
    ),
    h('nav', { class: 'sections' }, [['checks', 'Checks'], ['transcript', 'Transcript'], ['events', 'Events'], ['balances', 'Balances'], ['machines', 'Machines']].map(([id, name]) => h('a', { href: `#${id}`, onclick: (event: Event) => (event.preventDefault(), document.getElementById(id!)?.scrollIntoView()) }, name))),
    section('checks', 'Checks', h('table', { class: 'data checks' }, h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'check'), h('th', null, 'detail'), h('th', null, 'events it cites'))), h('tbody', null, ordered.map(checkRow)))),
    section('transcript', 'Transcript', transcriptView(line.transcript)),
    view.stderr === undefined || view.stderr === '' ? null : section('stderr', "The agent process's stderr", h('pre', { class: 'stderr' }, view.stderr)),
    section('events', `Events (${view.trace.length})`, events.element),
    section('balances', 'Balances by cycle', balanceChart(view.balances, view.agent_under_test, view.trace, view.cycles, width)),
    section(
      'machines',
      'Machines',
      h(
        'p',
        { class: 'muted' },
        line.visited_states === undefined
          ? 'The statecharts every run is sequenced by, laid out by ELK. Events handled without leaving their state are listed under each. This log does not record which states the run visited.'
          : 'The statecharts every run is sequenced by, laid out by ELK, with the states this run visited (the agent under test’s agent machine, the scheduler, the orchestrator) marked. Events handled without leaving their state are listed under each.',
      ),
      ...machines.map((machine) =>
        h(
          'figure',
          { class: 'machine', 'data-machine': machine.id },
          h('figcaption', null, machine.id, ' ', visitedNote(machine, line.visited_states)),
          h('div', { class: 'scroll' }, markVisited(trustedSvg(machine.svg), line.visited_states?.[machine.id])),
          machine.inPlace.length === 0 ? null : h('ul', { class: 'in-place' }, machine.inPlace.map((entry) => h('li', null, h('b', null, entry.state === '' ? 'any state' : entry.state), ': ', entry.events.join(', ')))),
        ),
      ),
    ),
  );
}
