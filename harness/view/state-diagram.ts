import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { MachineGraph, MachineState } from '../../machines';
import { escapeHtml } from '../report';

/**
 * A machine's statechart laid out by ELK (the layout engine Stately's own visualiser uses), drawn as
 * inline SVG: nested states inside their parent's box, each transition an arrow with its event (and
 * guard) as a label ELK places clear of every box and other label. Transitions that stay in their
 * state (they only run actions) are listed under the diagram instead of drawn as loops. Each state
 * carries `data-state="path"`, so the viewer marks the states a run visited.
 */

export interface StateDiagram {
  readonly id: string;
  readonly svg: string;
  /** The paths of the machine's states, as `data-state` names them and a run's visited states list them. */
  readonly states: readonly string[];
  /** Events handled without leaving the state, by state path (`` for the machine itself). */
  readonly inPlace: readonly { readonly state: string; readonly events: readonly string[] }[];
}

const FONT_PX = 12;
/** The width of a character of the labels' font, a little generous so that no label is clipped. */
const CHAR_PX = 7;
const PADDING = 12;

const nodeId = (path: string): string => `s:${path === '' ? '(any)' : path}`;
const leafName = (path: string): string => path.split('.').at(-1) ?? path;

function label(text: string): ElkLabel {
  return { text, width: text.length * CHAR_PX + 8, height: FONT_PX + 6 };
}

function childrenOf(states: readonly MachineState[], parent: string): ElkNode[] {
  const depth = parent === '' ? 1 : parent.split('.').length + 1;
  return states
    .filter((state) => state.depth === depth && (parent === '' || state.path.startsWith(`${parent}.`)))
    .map((state) => {
      const children = childrenOf(states, state.path);
      const name = leafName(state.path);
      return children.length === 0
        ? { id: nodeId(state.path), width: Math.max(70, name.length * CHAR_PX + 24), height: 32, labels: [label(name)] }
        : {
            id: nodeId(state.path),
            labels: [label(name)],
            children,
            layoutOptions: { 'elk.padding': `[top=${FONT_PX + 22},left=${PADDING},bottom=${PADDING},right=${PADDING}]`, 'elk.nodeLabels.placement': 'INSIDE V_TOP H_LEFT' },
          };
    });
}

function edgesOf(graph: MachineGraph): ElkExtendedEdge[] {
  const byEnds = new Map<string, { source: string; target: string; events: string[] }>();
  for (const transition of graph.transitions) {
    if (transition.target === undefined || transition.target === transition.source) continue;
    const key = `${transition.source}→${transition.target}`;
    const event = transition.guard === undefined ? transition.event : `${transition.event} [${transition.guard}]`;
    const entry = byEnds.get(key) ?? { source: transition.source, target: transition.target, events: [] };
    if (!entry.events.includes(event)) entry.events.push(event);
    byEnds.set(key, entry);
  }
  return [...byEnds.values()].map((entry, index) => ({
    id: `e${index}`,
    sources: [nodeId(entry.source)],
    targets: [nodeId(entry.target)],
    labels: entry.events.map(label),
  }));
}

function inPlaceOf(graph: MachineGraph): StateDiagram['inPlace'] {
  const byState = new Map<string, string[]>();
  for (const transition of graph.transitions) {
    if (transition.target !== undefined && transition.target !== transition.source) continue;
    const events = byState.get(transition.source) ?? [];
    if (!events.includes(transition.event)) events.push(transition.event);
    byState.set(transition.source, events);
  }
  return [...byState].map(([state, events]) => ({ state, events }));
}

function drawNode(node: ElkNode, x0: number, y0: number, initial: ReadonlySet<string>, finals: ReadonlySet<string>): string {
  const x = x0 + (node.x ?? 0);
  const y = y0 + (node.y ?? 0);
  const path = node.id === nodeId('') ? '' : node.id.slice(2);
  const compound = (node.children?.length ?? 0) > 0;
  const name = node.labels?.[0]?.text ?? path;
  const classes = ['state', compound ? 'compound' : 'atomic', ...(initial.has(path) ? ['initial'] : []), ...(finals.has(path) ? ['final'] : [])].join(' ');
  const box = `<rect x="${x}" y="${y}" width="${node.width}" height="${node.height}" rx="${compound ? 10 : 14}"/>`;
  const text = compound
    ? `<text x="${x + PADDING}" y="${y + FONT_PX + 8}">${escapeHtml(name)}</text>`
    : `<text x="${x + (node.width ?? 0) / 2}" y="${y + (node.height ?? 0) / 2 + FONT_PX / 2 - 2}" text-anchor="middle">${escapeHtml(name)}</text>`;
  const start = initial.has(path) ? `<circle class="initial-dot" cx="${x - 7}" cy="${y + 8}" r="4"/>` : '';
  const inner = (node.children ?? []).map((child) => drawNode(child, x, y, initial, finals)).join('');
  return `<g class="${classes}" data-state="${escapeHtml(path)}">${box}${text}${start}</g>${inner}`;
}

function drawEdge(edge: ElkExtendedEdge): string {
  const lines = (edge.sections ?? []).map((section) => {
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    return `<path d="${points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' ')}" marker-end="url(#state-arrow)"/>`;
  });
  const labels = (edge.labels ?? []).map(
    (entry) =>
      `<text class="edge-label" x="${(entry.x ?? 0) + 4}" y="${(entry.y ?? 0) + FONT_PX}">${escapeHtml(entry.text ?? '')}</text>`,
  );
  return `<g class="transition">${lines.join('')}${labels.join('')}</g>`;
}

/** Edges ELK moved into the node that contains both their ends, from every level. */
function edgesBelow(node: ElkNode): ElkExtendedEdge[] {
  return [...(node.edges ?? []), ...(node.children ?? []).flatMap(edgesBelow)];
}

const ARROW = '<defs><marker id="state-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker></defs>';

function rootOf(graph: MachineGraph, direction: 'DOWN' | 'RIGHT'): ElkNode {
  const children = childrenOf(graph.states, '');
  const anyState = graph.transitions.some((transition) => transition.source === '' && transition.target !== undefined);
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      // A label beside the start of its arrow, not in the middle of a long one far from both ends.
      'elk.layered.edgeLabels.centerLabelPlacementStrategy': 'TAIL_LAYER',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeLabels.inline': 'false',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '30',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
      // Every edge's points and labels in the diagram's own coordinates, wherever its ends are nested.
      'elk.json.edgeCoords': 'ROOT',
    },
    children: anyState ? [...children, { id: nodeId(''), width: 110, height: 32, labels: [label('any state')] }] : children,
    edges: edgesOf(graph),
  };
}

export async function stateDiagram(graph: MachineGraph): Promise<StateDiagram> {
  const elk = new ELK();
  // Top to bottom or left to right, whichever is narrower: the page scrolls down more easily than across.
  const [down, right] = await Promise.all([elk.layout(rootOf(graph, 'DOWN')), elk.layout(rootOf(graph, 'RIGHT'))]);
  const laid = (down.width ?? 0) <= (right.width ?? 0) ? down : right;
  const initial = new Set(graph.states.filter((state) => state.initial).map((state) => state.path));
  const finals = new Set(graph.states.filter((state) => state.final).map((state) => state.path));
  const body = [...(laid.children ?? []).map((child) => drawNode(child, 0, 0, initial, finals)), ...edgesBelow(laid).map(drawEdge)].join('');
  const width = Math.ceil(laid.width ?? 0);
  const height = Math.ceil(laid.height ?? 0);
  return {
    id: graph.id,
    svg: `<svg class="state-diagram" data-machine="${escapeHtml(graph.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="state diagram of ${escapeHtml(graph.id)}">${ARROW}${body}</svg>`,
    states: graph.states.map((state) => state.path).filter((path) => path !== ''),
    inPlace: inPlaceOf(graph),
  };
}
