import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DescribeExecutionOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { LabPhaseAnnouncer } from '../../../cli/executions/announcers.js';
import { verdictTable } from '../../../cli/run-view.js';
import { runFolderSummary, verdictViewFromHistory } from '../../../local-lab/run/verdict-view.js';
import { entered, exited, history } from './history-events.js';

/** The lab's first phases, with two rounds of its health loop. */
const HEALTH_ROWS: [string, number, Partial<HistoryEvent>?][] = [
  ['ExecutionStarted', 0],
  ['TaskStateEntered', 0, entered('Validate')],
  ['TaskStateExited', 1, exited('Validate')],
  ['TaskStateEntered', 1, entered('Provision')],
  ['TaskStateExited', 4, exited('Provision')],
  ['WaitStateEntered', 4, entered('InitHealthWait')],
  ['WaitStateExited', 14, exited('InitHealthWait')],
  ['TaskStateEntered', 14, entered('CheckHealth')],
  ['TaskStateExited', 15, exited('CheckHealth')],
  ['ChoiceStateEntered', 15, entered('HealthyYet')],
  ['ChoiceStateExited', 15, exited('HealthyYet')],
  ['WaitStateEntered', 15, entered('WaitBeforeHealthCheck')],
  ['WaitStateExited', 25, exited('WaitBeforeHealthCheck')],
  ['TaskStateEntered', 25, entered('CheckHealth')],
  ['TaskStateExited', 26, exited('CheckHealth')],
  ['ChoiceStateEntered', 26, entered('HealthyYet')],
  ['ChoiceStateExited', 26, exited('HealthyYet')],
  ['TaskStateEntered', 26, entered('VerifyLoadBalancing')],
];
const HEALTH_LOOP = history(HEALTH_ROWS);

const EXECUTION: DescribeExecutionOutput = {
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:v-1',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
  name: 'v-1',
  status: 'FAILED',
  startDate: new Date(Date.UTC(2026, 0, 1)),
  stopDate: new Date(Date.UTC(2026, 0, 1, 0, 1)),
  error: 'LabVerdictFail',
};

describe('lab phases while following', () => {
  it('prints one line per phase as it ends, the health loop as one, durations labelled simulated', () => {
    const lines: string[] = [];
    const announcer = new LabPhaseAnnouncer({ print: (line) => lines.push(line) });

    announcer.announce(HEALTH_LOOP.slice(0, 9), undefined);
    announcer.announce(HEALTH_LOOP, undefined);

    expect(lines).toEqual([
      '  + Validate done after 1 s (simulated)',
      '  + Provision done after 3 s (simulated)',
      '  + WaitUntilHealthy done after 22 s (simulated)',
    ]);
  });

  it('re-attaching: where the execution is, then only what ends from then on', () => {
    const lines: string[] = [];
    const announcer = new LabPhaseAnnouncer({ print: (line) => lines.push(line), fromNow: true });

    announcer.announce(HEALTH_LOOP.slice(0, 9), undefined);
    announcer.announce(HEALTH_LOOP, { status: 'ABORTED' });

    expect(lines).toEqual([
      '  > now in WaitUntilHealthy (since 2026-01-01T00:00:04.000Z, simulated)',
      '  + WaitUntilHealthy done after 22 s (simulated)',
      '  x VerifyLoadBalancing ended after 0 s (simulated)',
    ]);
  });
});

describe('the verdict of an execution without a run folder', () => {
  it("reads a failing lab's verdict from the Verdict step's output and says what it cannot know", () => {
    const verdict = {
      verdict: 'FAIL',
      reason: 'not held: scale-out',
      expectations: [{ name: 'scale-out', held: false, measured: 'never', budget: '3–6 min' }],
    };
    const events = history([
      ...HEALTH_ROWS,
      ['TaskStateEntered', 40, entered('Verdict')],
      ['TaskStateExited', 41, exited('Verdict', JSON.stringify({ config: {}, verdict }))],
    ]);

    const view = verdictViewFromHistory(EXECUTION, events, { realDates: false });
    const text = verdictTable(view);

    expect(view.verdict).toMatchObject({ verdict: 'FAIL', reason: 'not held: scale-out' });
    expect(text).toContain('✘ NOT held  scale-out: never; budget 3–6 min');
    expect(text).toContain('(FAILED; real time and lag not measured: no run folder for this execution');
    // The local endpoint's dates are simulated: no real column is made up.
    expect(text).not.toMatch(/s real/);
    expect(text).toMatch(/^ {2}WaitUntilHealthy +22 s simulated$/m);
  });
});

describe('the run folder show reads', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function runsDirWith(summary: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'scalelab-runs-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'v-1'));
    writeFileSync(join(dir, 'v-1', 'summary.json'), JSON.stringify(summary));
    return dir;
  }

  it("is used only when it is this execution's latest attempt", () => {
    const execution = { arn: EXECUTION.executionArn, stopDate: EXECUTION.stopDate?.toISOString() };
    expect(runFolderSummary(runsDirWith({ execution }), EXECUTION)?.folder).toMatch(/v-1$/);
    // Another execution of that name (another state machine), or an earlier attempt (redriven since).
    expect(
      runFolderSummary(runsDirWith({ execution: { ...execution, arn: 'other' } }), EXECUTION),
    ).toBeUndefined();
    const earlier = { ...execution, stopDate: '2025-12-31T00:00:00.000Z' };
    expect(runFolderSummary(runsDirWith({ execution: earlier }), EXECUTION)).toBeUndefined();
    expect(runFolderSummary(join(tmpdir(), 'no-such-runs-dir'), EXECUTION)).toBeUndefined();
  });
});
