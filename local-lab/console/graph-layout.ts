/**
 * The graph of a state machine from its ASL, laid out with dagre (a layered layout made for
 * directed graphs like this one): every state, and an edge for each Next, Choice branch, Default,
 * Catch (labelled with its errors) and End. Edges of one kind between the same two states are one
 * edge with their labels joined, so two Catch rules to TearDownAfterError draw as one line.
 */
import dagre from '@dagrejs/dagre';
import {
  type EdgeKind,
  END_NODE,
  type GraphEdge,
  type GraphLayout,
  type GraphNode,
  START_NODE,
} from '../../console/model/graph-model.js';

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string; Variable?: string }[];
  Catch?: { ErrorEquals?: string[]; Next?: string }[];
}

interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

interface PlainEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  labels: string[];
}

const NODE_HEIGHT = 34;
const MARKER_SIZE = 26;
/** About one monospace character of the node label at the page's 12 px. */
const CHARACTER_WIDTH = 8;

function parseAsl(definition: string): Asl {
  const asl = JSON.parse(definition) as Partial<Asl>;
  if (typeof asl.StartAt !== 'string' || typeof asl.States !== 'object' || asl.States === null)
    throw new Error('the state machine definition has no StartAt or States');
  return asl as Asl;
}

/** Every way out of `state`, as plain edges (before merging). */
function edgesOutOf(name: string, state: AslState): PlainEdge[] {
  const edges: PlainEdge[] = [];
  const add = (to: string | undefined, kind: EdgeKind, label?: string): void => {
    if (to) edges.push({ from: name, to, kind, labels: label ? [label] : [] });
  };
  add(state.Next, 'next');
  for (const choice of state.Choices ?? []) add(choice.Next, 'choice', choice.Variable);
  add(state.Default, 'default');
  for (const rule of state.Catch ?? []) add(rule.Next, 'catch', (rule.ErrorEquals ?? []).join(', '));
  if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') add(END_NODE, 'end');
  return edges;
}

/** Edges of one kind between the same two states, as one edge. */
function merged(edges: readonly PlainEdge[]): PlainEdge[] {
  const byKey = new Map<string, PlainEdge>();
  for (const edge of edges) {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
    const seen = byKey.get(key);
    if (seen) seen.labels.push(...edge.labels);
    else byKey.set(key, { ...edge, labels: [...edge.labels] });
  }
  return [...byKey.values()];
}

function nodeSize(id: string): { width: number; height: number } {
  if (id === START_NODE || id === END_NODE) return { width: MARKER_SIZE, height: MARKER_SIZE };
  return { width: Math.max(90, Math.ceil(id.length * CHARACTER_WIDTH) + 24), height: NODE_HEIGHT };
}

/** The laid-out graph of an ASL definition (JSON text); throws when it is no state machine. */
export function graphOf(definition: string): GraphLayout {
  const asl = parseAsl(definition);
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 20, ranksep: 30, edgesep: 4, marginx: 12, marginy: 12 });
  const types = new Map<string, string>([
    [START_NODE, 'Start'],
    [END_NODE, 'End'],
    ...Object.entries(asl.States).map(([name, state]): [string, string] => [name, state.Type]),
  ]);
  for (const id of types.keys()) graph.setNode(id, nodeSize(id));
  const edges = merged([
    { from: START_NODE, to: asl.StartAt, kind: 'next', labels: [] },
    ...Object.entries(asl.States).flatMap(([name, state]) => edgesOutOf(name, state)),
  ]);
  edges.forEach((edge, i) => {
    const label = edge.labels.join(', ');
    // Labels take no room in the layout (they would double its width: every step has a Catch);
    // they are drawn small at the edge's middle.
    graph.setEdge(edge.from, edge.to, label ? { label } : {}, String(i));
  });
  dagre.layout(graph);
  const nodes: GraphNode[] = [...types].map(([id, type]) => {
    const { x, y, width, height } = graph.node(id);
    return { id, type, x, y, width, height };
  });
  const laidOut: GraphEdge[] = edges.map((edge, i) => {
    const drawn = graph.edge({ v: edge.from, w: edge.to, name: String(i) }) as {
      points: { x: number; y: number }[];
    };
    const points = drawn.points.map(({ x, y }) => ({ x, y }));
    const label = edge.labels.join(', ');
    const middle = points[Math.floor(points.length / 2)];
    return {
      from: edge.from,
      to: edge.to,
      kind: edge.kind,
      ...(label && { label }),
      ...(label && middle && { labelAt: middle }),
      points,
    };
  });
  const { width = 0, height = 0 } = graph.graph();
  return { width, height, nodes, edges: laidOut };
}
