import { escapeHtml } from './escape';
import type { MachineGraph, MachineTransition } from '../../../machines';

/**
 * A machine's state diagram as inline SVG beside a table of its transitions: one box per state, one
 * row per state (nested states indented), each transition a numbered arc on the right from its
 * source's box to its target's (a loop when it stays in its state); the table spells every number out.
 */

const ROW = 34;
const BOX_HEIGHT = 24;
const INDENT = 16;
const BOX_RIGHT = 230;
const TOP = 12;

function rowCentre(row: number): number {
  return TOP + row * ROW + BOX_HEIGHT / 2;
}

function stateLabel(graph: MachineGraph, path: string): string {
  return path === '' ? `${graph.id} (any state)` : path;
}

function arc(transition: MachineTransition, number: number, rows: ReadonlyMap<string, number>, parallel: number): { svg: string; reach: number } {
  const from = rows.get(transition.source) ?? 0;
  const to = transition.target === undefined ? from : (rows.get(transition.target) ?? from);
  const y1 = rowCentre(from);
  if (from === to) {
    const x = BOX_RIGHT + 4 + parallel * 12;
    return {
      svg: `<path class="transition" d="M${BOX_RIGHT} ${y1 - 5} C${x + 16} ${y1 - 16} ${x + 16} ${y1 + 16} ${BOX_RIGHT} ${y1 + 5}" marker-end="url(#arrow)"/><text class="transition-number" x="${x + 16}" y="${y1 + 4}">${number}</text>`,
      reach: x + 30,
    };
  }
  const y2 = rowCentre(to);
  const bulge = 28 + Math.abs(to - from) * 16 + parallel * 12;
  const apexX = BOX_RIGHT + bulge * 0.75;
  return {
    svg: `<path class="transition" d="M${BOX_RIGHT} ${y1} C${BOX_RIGHT + bulge} ${y1} ${BOX_RIGHT + bulge} ${y2} ${BOX_RIGHT} ${y2}" marker-end="url(#arrow)"/><text class="transition-number" x="${apexX + 3}" y="${(y1 + y2) / 2 + 4}">${number}</text>`,
    reach: apexX + 24,
  };
}

function transitionTable(graph: MachineGraph): string {
  const rows = graph.transitions.map((transition, index) => {
    const event = transition.guard === undefined ? transition.event : `${transition.event} [${transition.guard}]`;
    const target = transition.target === undefined ? '(stays)' : transition.target;
    return `<tr><td>${index + 1}</td><td>${escapeHtml(stateLabel(graph, transition.source))}</td><td><code>${escapeHtml(event)}</code></td><td>${escapeHtml(target)}</td></tr>`;
  });
  return `<table class="transitions"><thead><tr><th>#</th><th>from</th><th>event [guard]</th><th>to</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderStateDiagram(graph: MachineGraph): string {
  const rows = new Map(graph.states.map((state, row) => [state.path, row]));
  const boxes = graph.states.map((state, row) => {
    const x = 8 + Math.max(0, state.depth - 1) * INDENT;
    const classes = ['state', ...(state.path === '' ? ['machine'] : []), ...(state.initial ? ['initial'] : []), ...(state.final ? ['final'] : [])];
    const y = TOP + row * ROW;
    return `<g class="${classes.join(' ')}" data-state="${escapeHtml(state.path)}"><rect x="${x}" y="${y}" width="${BOX_RIGHT - x}" height="${BOX_HEIGHT}" rx="6"/><text x="${x + 8}" y="${y + 16}">${escapeHtml(stateLabel(graph, state.path))}${state.initial ? ' ●' : ''}${state.final ? ' ◎' : ''}</text></g>`;
  });
  const pairsSeen = new Map<string, number>();
  const arcs = graph.transitions.map((transition, index) => {
    const pair = `${transition.source}→${transition.target ?? transition.source}`;
    const parallel = pairsSeen.get(pair) ?? 0;
    pairsSeen.set(pair, parallel + 1);
    return arc(transition, index + 1, rows, parallel);
  });
  const width = Math.ceil(Math.max(BOX_RIGHT + 40, ...arcs.map(({ reach }) => reach)));
  const height = TOP * 2 + graph.states.length * ROW;
  const svg = `<svg class="state-diagram" data-machine="${escapeHtml(graph.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="state diagram of ${escapeHtml(graph.id)}">${boxes.join('')}${arcs.map(({ svg: drawn }) => drawn).join('')}</svg>`;
  return `<div class="machine"><h3>${escapeHtml(graph.id)}: ${graph.states.length - 1} states, ${graph.transitions.length} transitions</h3><div class="machine-body">${svg}${transitionTable(graph)}</div></div>`;
}
