import type { DomainEvent } from '../../../domain/events';
import type { Citation } from './citations';
import { cycleOf } from './cycle';
import { escapeHtml } from './escape';
import { arrowOf, lanesOf } from './lanes';

/**
 * A trace as a sequence diagram in inline SVG: one lifeline per actor, one row per event in trace
 * order, an arrow from the actor that emitted the event to the one it concerns (a dot when they are
 * the same), a rule across the diagram where each cycle begins. Events a check cites are highlighted:
 * `matched` when a passing check cites them, `failing` when a failing one does.
 */

const LANE_WIDTH = 124;
const GUTTER = 56;
const HEADER = 44;
const ROW = 20;

type Row = { readonly kind: 'cycle'; readonly cycle: number } | { readonly kind: 'event'; readonly position: number; readonly event: DomainEvent };

function rowsOf(trace: readonly DomainEvent[]): Row[] {
  const rows: Row[] = [];
  let cycle: number | undefined;
  trace.forEach((event, position) => {
    const eventCycle = cycleOf(event);
    if (eventCycle !== cycle) rows.push({ kind: 'cycle', cycle: eventCycle });
    cycle = eventCycle;
    rows.push({ kind: 'event', position, event });
  });
  return rows;
}

function highlightOf(citations: readonly Citation[]): string {
  if (citations.some((citation) => !citation.passed)) return ' failing';
  return citations.length > 0 ? ' matched' : '';
}

function tooltip(position: number, event: DomainEvent, citations: readonly Citation[]): string {
  const cited = citations.length === 0 ? '' : `\ncited by ${citations.map((citation) => `${citation.check} (${citation.passed ? 'passed' : 'failed'})`).join(', ')}`;
  return `#${position + 1} ${event.event_id} ${event.type} (${event.source}, ${event.agent_id})${cited}\n${JSON.stringify(event.data)}`;
}

export function renderSequenceDiagram(trace: readonly DomainEvent[], agentUnderTest: string, cited: ReadonlyMap<number, readonly Citation[]>): string {
  const lanes = lanesOf(trace, agentUnderTest);
  const laneIds = new Set(lanes.map((lane) => lane.id));
  const laneX = new Map(lanes.map((lane, index) => [lane.id, GUTTER + LANE_WIDTH / 2 + index * LANE_WIDTH]));
  const rows = rowsOf(trace);
  const width = GUTTER + lanes.length * LANE_WIDTH;
  const height = HEADER + rows.length * ROW + 8;

  const header = lanes.map((lane) => {
    const x = laneX.get(lane.id) ?? 0;
    return `<g class="lane" data-lane="${escapeHtml(lane.id)}" data-role="${escapeHtml(lane.role)}"><text class="lane-name" x="${x}" y="16" text-anchor="middle">${escapeHtml(lane.id)}</text><text class="lane-role" x="${x}" y="32" text-anchor="middle">${escapeHtml(lane.role)}</text><line class="lifeline" x1="${x}" y1="${HEADER - 6}" x2="${x}" y2="${height}"/></g>`;
  });
  const body = rows.map((row, index) => {
    const y = HEADER + index * ROW;
    if (row.kind === 'cycle') {
      return `<g class="cycle-start"><line x1="0" y1="${y + ROW / 2}" x2="${width}" y2="${y + ROW / 2}"/><text x="4" y="${y + ROW / 2 - 3}">cycle ${row.cycle}</text></g>`;
    }
    const { position, event } = row;
    const citations = cited.get(position) ?? [];
    const arrow = arrowOf(event, laneIds);
    const [x1, x2] = [laneX.get(arrow.from) ?? 0, laneX.get(arrow.to) ?? 0];
    const middle = y + ROW / 2;
    const mark =
      x1 === x2
        ? `<circle cx="${x1}" cy="${middle}" r="4"/><text class="event-type" x="${x1 + 8}" y="${middle + 4}">${escapeHtml(event.type)}</text>`
        : `<line class="message" x1="${x1}" y1="${middle + 4}" x2="${x2}" y2="${middle + 4}" marker-end="url(#arrow)"/><text class="event-type" x="${(x1 + x2) / 2}" y="${middle}" text-anchor="middle">${escapeHtml(event.type)}</text>`;
    const names = citations.map((citation) => citation.check).join(' ');
    return `<g class="event${highlightOf(citations)}" data-event-id="${escapeHtml(event.event_id)}" data-checks="${escapeHtml(names)}"><title>${escapeHtml(tooltip(position, event, citations))}</title><rect class="row" x="0" y="${y}" width="${width}" height="${ROW}"/><text class="position" x="4" y="${middle + 4}">#${position + 1}</text>${mark}</g>`;
  });
  return `<svg class="sequence-diagram" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="event trace by actor">${header.join('')}${body.join('')}</svg>`;
}
