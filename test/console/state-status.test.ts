import { describe, expect, it } from 'vitest';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';
import { stateStatuses } from '../../local-lab/console/state-status.js';

let id = 0;
function event(type: string, fields: Partial<LocalHistoryEvent> = {}): LocalHistoryEvent {
  id += 1;
  return {
    id,
    type,
    timestamp: new Date(id * 1000),
    realTimestamp: new Date(id),
    ...fields,
  } as LocalHistoryEvent;
}
const entered = (name: string, type = 'TaskStateEntered', fields: Partial<LocalHistoryEvent> = {}) =>
  event(type, { stateEnteredEventDetails: { name, input: '{}' }, ...fields });
const exited = (name: string) =>
  event('TaskStateExited', { stateExitedEventDetails: { name, output: '{}' } });

describe('each state status from the history', () => {
  it('reads succeeded, in progress, and a state entered again by its latest turn', () => {
    const history = [
      event('ExecutionStarted'),
      entered('A'),
      exited('A'),
      entered('B'),
      exited('B'),
      entered('A'),
    ];
    expect(stateStatuses(history)).toEqual({ A: 'in-progress', B: 'succeeded' });
  });

  it('marks caught the state whose error a Catch took elsewhere, and failed the one the execution failed in', () => {
    const history = [
      event('ExecutionStarted'),
      entered('Provision'),
      event('TaskFailed', {
        taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Boom', cause: 'x' },
      }),
      entered('TearDownAfterError', 'TaskStateEntered', {
        localEventDetails: {
          caught: { state: 'Provision', errorEquals: ['States.ALL'], next: 'TearDownAfterError' },
        },
      }),
      event('TaskFailed', {
        taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Again', cause: 'y' },
      }),
      event('ExecutionFailed', { executionFailedEventDetails: { error: 'Again', cause: 'y' } }),
    ];
    expect(stateStatuses(history)).toEqual({ Provision: 'caught', TearDownAfterError: 'failed' });
  });

  it('marks failed a Fail state, and the state running when the execution was stopped', () => {
    expect(stateStatuses([entered('LabFailed', 'FailStateEntered'), event('ExecutionFailed')])).toEqual({
      LabFailed: 'failed',
    });
    expect(stateStatuses([entered('Wait', 'WaitStateEntered'), event('ExecutionAborted')])).toEqual({
      Wait: 'failed',
    });
  });
});
