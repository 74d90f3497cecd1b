/**
 * A state machine drawn as a graph: the states of its ASL and the ways between them, laid out on
 * the server (local-lab/console/graph-layout.ts) and drawn in the browser as SVG. Coordinates are
 * pixels of the drawing, origin top left; a node's x and y are its centre.
 */

/** How one state leads to another, as the ASL says it. */
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'end';

export interface GraphNode {
  /** The state's name; the two markers are `START_NODE` and `END_NODE`. */
  id: string;
  /** The ASL state type (Task, Choice, Wait, Pass, Succeed, Fail…), or `Start` / `End` for the markers. */
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** A Catch edge's errors, a Choice branch's rule; absent for Next, Default and End. */
  label?: string;
  /** Where the label sits, when there is one. */
  labelAt?: { x: number; y: number };
  points: readonly { x: number; y: number }[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
}

/** Where every execution enters the graph (not a state of the ASL). */
export const START_NODE = '(start)';
/** Where every path that ends (End, Succeed, Fail) leaves it (not a state of the ASL). */
export const END_NODE = '(end)';

/** What a state has done in one execution, as the console colours it. */
export type StateStatus = 'not-started' | 'in-progress' | 'succeeded' | 'failed' | 'caught';
