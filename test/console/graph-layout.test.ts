import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_DEFINITION } from '../../cli/executions/demo-state-machine.js';
import { END_NODE, type GraphLayout, START_NODE } from '../../console/model/graph-model.js';
import { graphOf } from '../../local-lab/console/graph-layout.js';

const LAB_ASL = readFileSync(new URL('../../state-machines/lab-lifecycle.asl.json', import.meta.url), 'utf8');

interface Asl {
  StartAt: string;
  States: Record<
    string,
    {
      Type: string;
      Next?: string;
      End?: boolean;
      Default?: string;
      Choices?: { Next: string }[];
      Catch?: { ErrorEquals: string[]; Next: string }[];
    }
  >;
}

function edge(graph: GraphLayout, from: string, to: string, kind: string) {
  return graph.edges.find((e) => e.from === from && e.to === to && e.kind === kind);
}

describe('the state machine graph', () => {
  const asl = JSON.parse(LAB_ASL) as Asl;
  const graph = graphOf(LAB_ASL);

  it('has every state of the lab ASL, and Start and End, each placed inside the drawing', () => {
    const ids = graph.nodes.map((n) => n.id).sort();
    expect(ids).toEqual([...Object.keys(asl.States), START_NODE, END_NODE].sort());
    for (const node of graph.nodes) {
      expect(node.type).toBe(asl.States[node.id]?.Type ?? (node.id === START_NODE ? 'Start' : 'End'));
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width / 2).toBeLessThanOrEqual(graph.width);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(graph.height);
    }
  });

  it('has an edge for every Next, Choice branch, Default, Catch and End, each with points to draw', () => {
    expect(edge(graph, START_NODE, asl.StartAt, 'next')).toBeDefined();
    for (const [name, state] of Object.entries(asl.States)) {
      if (state.Next) expect(edge(graph, name, state.Next, 'next'), `${name} Next`).toBeDefined();
      for (const choice of state.Choices ?? [])
        expect(edge(graph, name, choice.Next, 'choice'), `${name} choice`).toBeDefined();
      if (state.Default) expect(edge(graph, name, state.Default, 'default'), `${name} Default`).toBeDefined();
      for (const rule of state.Catch ?? []) {
        const drawn = edge(graph, name, rule.Next, 'catch');
        expect(drawn, `${name} Catch ${rule.ErrorEquals}`).toBeDefined();
        for (const error of rule.ErrorEquals) expect(drawn?.label).toContain(error);
      }
      if (state.End || state.Type === 'Succeed' || state.Type === 'Fail')
        expect(edge(graph, name, END_NODE, 'end'), `${name} End`).toBeDefined();
    }
    for (const e of graph.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it('marks Catch edges apart, labelled with their errors, one edge per pair of states', () => {
    const validateCatch = edge(graph, 'Validate', 'TearDownAfterError', 'catch');
    expect(validateCatch?.label).toBe('States.Timeout, States.ALL');
    expect(validateCatch?.labelAt).toBeDefined();
    expect(edge(graph, 'Validate', 'LabFailed', 'catch')?.label).toBe('LabBusy');
    // The observe steps catch their own timeout to look again: an edge back to themselves.
    expect(edge(graph, 'ObserveScaleOut', 'ObserveScaleOut', 'catch')?.label).toBe(
      'States.Timeout, States.HeartbeatTimeout',
    );
    const keys = graph.edges.map((e) => `${e.from}>${e.to}>${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      graph.edges
        .filter((e) => e.kind !== 'catch')
        .every((e) => e.label === undefined || e.kind === 'choice'),
    ).toBe(true);
  });

  it('lays out the demo state machine too, and refuses a text that is no state machine', () => {
    const demo = graphOf(DEMO_DEFINITION);
    expect(demo.nodes.map((n) => n.id)).toContain('Observe');
    expect(edge(demo, 'Done', END_NODE, 'end')).toBeDefined();
    expect(() => graphOf('{"Comment": "no states"}')).toThrow(
      'the state machine definition has no StartAt or States',
    );
  });
});
