/// <reference lib="dom" />
/**
 * The state machine drawn as SVG from the server's layout (local-lab/console/graph-layout.ts):
 * states as boxes coloured by their status in the execution shown, Catch edges dashed and
 * labelled with their errors, Start and End as circles.
 */
import { END_NODE, type GraphLayout, type GraphNode, type StateStatus } from '../model/graph-model.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function nodeShape(node: GraphNode): SVGElement {
  const group = svg('g', { class: `node type-${node.type.toLowerCase()}`, 'data-state': node.id });
  if (node.type === 'Start' || node.type === 'End') {
    group.append(svg('circle', { cx: node.x, cy: node.y, r: node.width / 2 }));
    group.append(svg('title', {}, node.id === END_NODE ? 'End' : 'Start'));
    return group;
  }
  group.setAttribute('data-status', 'not-started');
  group.append(
    svg('rect', {
      x: node.x - node.width / 2,
      y: node.y - node.height / 2,
      width: node.width,
      height: node.height,
      rx: node.type === 'Choice' ? 14 : 4,
    }),
    svg('text', { x: node.x, y: node.y + 4, 'text-anchor': 'middle' }, node.id),
    svg('title', {}, `${node.id} (${node.type})`),
  );
  return group;
}

export interface GraphView {
  /** Colours every state by its status; a state left out has not started. */
  setStatuses(statuses: Record<string, StateStatus>): void;
}

/** Draws `layout` into `container` (replacing what was there). */
export function mountGraph(container: Element, layout: GraphLayout): GraphView {
  const root = svg('svg', {
    class: 'graph',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    role: 'img',
    'aria-label': 'state machine graph',
  });
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
  defs.append(marker);
  root.append(defs);
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
    const group = svg('g', {
      class: `edge kind-${edge.kind}`,
      'data-from': edge.from,
      'data-to': edge.to,
      'data-kind': edge.kind,
    });
    group.append(svg('path', { d, 'marker-end': 'url(#arrow)' }));
    if (edge.label && edge.labelAt)
      group.append(
        svg('text', { x: edge.labelAt.x + 4, y: edge.labelAt.y - 3, class: 'edge-label' }, edge.label),
      );
    root.append(group);
  }
  const shapes = new Map<string, SVGElement>();
  for (const node of layout.nodes) {
    const shape = nodeShape(node);
    shapes.set(node.id, shape);
    root.append(shape);
  }
  container.replaceChildren(root);
  return {
    setStatuses(statuses) {
      for (const [id, shape] of shapes) {
        const status = statuses[id] ?? 'not-started';
        // Only what changed: the page refreshes often, and a change is what a reader (or a test) follows.
        if (shape.hasAttribute('data-status') && shape.getAttribute('data-status') !== status)
          shape.setAttribute('data-status', status);
      }
    },
  };
}
