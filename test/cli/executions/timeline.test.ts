import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { formatSeconds, showText, verdictOf } from '../../../cli/executions/render.js';
import { timeline } from '../../../cli/executions/timeline.js';
import { entered, exited, history } from './history-events.js';

describe('timeline', () => {
  it('keeps top-level states as phases with durations and folds states inside a Map into it', () => {
    const t = timeline(
      history([
        ['ExecutionStarted', 0],
        ['TaskStateEntered', 0, entered('Provision')],
        [
          'TaskFailed',
          2,
          {
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: 'invoke',
              error: 'NotReadyError',
              cause: 'boot',
            },
          },
        ],
        ['TaskSucceeded', 12],
        ['TaskStateExited', 12, exited('Provision')],
        ['MapStateEntered', 12, entered('Each')],
        ['PassStateEntered', 12, entered('Inner')],
        ['PassStateExited', 13, exited('Inner')],
        ['MapStateExited', 15, exited('Each')],
        ['WaitStateEntered', 15, entered('CoolDown')],
        ['WaitStateExited', 45, exited('CoolDown')],
        ['ExecutionSucceeded', 45],
      ]),
    );

    expect(t.phases.map((p) => [p.name, p.type, p.seconds, p.error])).toEqual([
      ['Provision', 'Task', 12, undefined],
      ['Each', 'Map', 3, undefined],
      ['CoolDown', 'Wait', 30, undefined],
    ]);
    expect(t.failure).toBeUndefined();
    expect(t.attemptStart).toBe(0);
  });

  it('names the failed task, not the Fail state the workflow ends in, and tracks redrives', () => {
    const failedTask = {
      taskFailedEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        error: 'TargetUnhealthyError',
        cause: '127.0.0.2',
      },
    };
    const t = timeline(
      history([
        ['ExecutionStarted', 0],
        ['TaskStateEntered', 0, entered('Observe')],
        ['TaskFailed', 5, failedTask],
        ['TaskStateExited', 5, exited('Observe')],
        ['FailStateEntered', 5, entered('LabFailed')],
        ['ExecutionFailed', 5, { executionFailedEventDetails: { error: 'LabFailed', cause: 'see Observe' } }],
      ]),
    );
    const redriven = timeline(
      history([
        ['ExecutionStarted', 0],
        ['TaskStateEntered', 0, entered('Observe')],
        ['TaskFailed', 5, failedTask],
        ['ExecutionFailed', 5, { executionFailedEventDetails: { error: 'TargetUnhealthyError' } }],
        ['ExecutionRedriven', 9],
        ['TaskStateEntered', 9, entered('Observe')],
      ]),
    );

    expect(t.failure).toEqual({ state: 'Observe', error: 'TargetUnhealthyError', cause: '127.0.0.2' });
    expect(t.attemptStart).toBe(0);
    // While the redriven attempt runs, the earlier failure is history, not the failed step.
    expect(redriven.failure).toBeUndefined();
    expect(redriven.attemptStart).toBe(1);
    expect(redriven.phases.map((p) => p.name)).toEqual(['Observe', 'Observe']);
    expect(redriven.phases.at(-1)?.name).toBe('Observe');
    expect(redriven.phases.at(-1)?.exitedAt).toBeUndefined();
  });

  it('falls back to the execution failure on the last phase when no task failed', () => {
    const t = timeline(
      history([
        ['ExecutionStarted', 0],
        ['WaitStateEntered', 0, entered('Wait')],
        ['ExecutionTimedOut', 60, { executionTimedOutEventDetails: { error: 'States.Timeout' } }],
      ]),
    );

    expect(t.failure).toEqual({ state: 'Wait', error: 'States.Timeout', cause: undefined });
  });
});

describe('show with a failed Validate', () => {
  const invalidConfig = {
    taskFailedEventDetails: {
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'InvalidLabConfig',
      cause: '{"errorMessage":"stress.seconds must cover the scale-out budget"}',
    },
  };
  const labFailed = {
    executionFailedEventDetails: {
      error: 'InvalidLabConfig',
      cause: '{"errorMessage":"stress.seconds must cover the scale-out budget"}',
    },
  };
  /** Validate fails and is caught; tear-down's own error is caught too; LabFailed re-raises Validate's. */
  const failedAtValidate: [string, number, Partial<HistoryEvent>?][] = [
    ['ExecutionStarted', 0],
    ['TaskStateEntered', 0, entered('Validate')],
    ['TaskFailed', 1, invalidConfig],
    ['TaskStateExited', 1, exited('Validate')],
    ['TaskStateEntered', 1, entered('TearDownAfterError')],
    [
      'TaskFailed',
      3,
      { taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'TearDownIncomplete' } },
    ],
    ['TaskStateExited', 3, exited('TearDownAfterError')],
    ['FailStateEntered', 3, entered('LabFailed')],
    ['ExecutionFailed', 3, labFailed],
  ];
  const execution = {
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:bad-1',
    status: 'FAILED' as const,
    startDate: new Date(Date.UTC(2026, 0, 1)),
    stopDate: new Date(Date.UTC(2026, 0, 1, 0, 0, 3)),
  };

  it('names Validate as the failed step, not the later step whose error was also caught', () => {
    const t = timeline(history(failedAtValidate));

    expect(t.failure).toEqual({
      state: 'Validate',
      error: 'InvalidLabConfig',
      cause: invalidConfig.taskFailedEventDetails.cause,
    });
    expect(showText(execution, t)).toContain(
      `Failed step  Validate\nError        InvalidLabConfig\nCause        ${invalidConfig.taskFailedEventDetails.cause}`,
    );
  });

  it('still names Validate after a redrive that re-ran only the Fail state', () => {
    const t = timeline(
      history([
        ...failedAtValidate,
        ['ExecutionRedriven', 9],
        ['FailStateEntered', 9, entered('LabFailed')],
        ['ExecutionFailed', 9, labFailed],
      ]),
    );

    expect(t.attemptStart).toBe(3);
    expect(t.failure).toMatchObject({ state: 'Validate', error: 'InvalidLabConfig' });
    expect(showText({ ...execution, redriveCount: 1 }, t)).toMatch(
      /\n {2}Validate +Task +1\.0 s +caught InvalidLabConfig\n[\s\S]*\nFailed step {2}Validate\n/,
    );
  });

  it('labels the dates and phase durations simulated, as they are on the local endpoint', () => {
    const done = {
      ...execution,
      startDate: new Date('2026-01-01T00:00:00Z'),
      stopDate: new Date('2026-01-01T00:03:01Z'),
    };
    const text = showText(done, timeline(history(failedAtValidate)), { simulated: true });

    expect(text).toContain(
      'Started    2026-01-01T00:00:00.000Z (simulated)\nStopped    2026-01-01T00:03:01.000Z (simulated)\nDuration   3 min 01 s (simulated)\n\nPhases (simulated durations)\n',
    );
    expect(showText(done, timeline(history(failedAtValidate)))).toContain(
      'Duration   3 min 01 s\n\nPhases\n',
    );
  });
});

describe('rendering helpers', () => {
  it.each([
    [0.25, '0.3 s'],
    [59.9, '59.9 s'],
    [61, '1 min 01 s'],
    [3725, '1 h 02 min'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  it.each([
    ['{"verdict":"PASS"}', 'PASS'],
    ['{"verdict":{"verdict":"FAIL","reasons":[]}}', 'FAIL'],
    ['{"other":1}', undefined],
    ['not json', undefined],
    [undefined, undefined],
  ])('reads the verdict of output %s', (output, verdict) => {
    expect(verdictOf(output)).toBe(verdict);
  });
});
