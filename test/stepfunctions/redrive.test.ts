import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, typesOf } from './harness.js';

class TargetUnhealthyError extends Error {
  override name = 'TargetUnhealthyError';
}

describe('redrive and replay', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  function coolDown(failAfter: () => boolean): { arn: string; steps: string[] } {
    const steps: string[] = [];
    const arn = h.machine('cool-down', {
      StepFunctionArn: async (event) => {
        const { step } = event as { step: string };
        steps.push(step);
        if (step === 'after' && failAfter()) throw new TargetUnhealthyError('target 127.0.0.2 unhealthy');
        return { step };
      },
    });
    return { arn, steps };
  }

  it('redrives a FAILED execution from the failed state without rerunning succeeded states', async () => {
    h = harness(1000);
    let failing = true;
    const { arn, steps } = coolDown(() => failing);
    const { executionArn } = h.service.startExecution({
      stateMachineArn: arn,
      name: 'lab-1',
      input: '{"run":1}',
    });
    expect(await h.service.whenSettled(executionArn ?? '')).toMatchObject({
      status: 'FAILED',
      error: 'TargetUnhealthyError',
    });

    failing = false;
    const { redriveDate } = h.service.redriveExecution({ executionArn });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(redriveDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, error: undefined });
    expect(JSON.parse(described.output ?? 'null')).toEqual({ after: { step: 'after' } });
    expect(steps).toEqual(['before', 'after', 'after']);
    const types = typesOf(h.service.getExecutionHistory({ executionArn }).events);
    expect(types.filter((t) => t === 'WaitStateEntered')).toHaveLength(1);
    const redriven = types.indexOf('ExecutionRedriven');
    expect(redriven).toBeGreaterThan(types.indexOf('ExecutionFailed'));
    expect(types.slice(redriven)).toEqual([
      'ExecutionRedriven',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const ids = h.service.getExecutionHistory({ executionArn }).events.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('refuses to redrive a SUCCEEDED execution with ExecutionNotRedrivable', async () => {
    h = harness(1000);
    const { arn } = coolDown(() => false);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn });
    await h.service.whenSettled(executionArn ?? '');

    expect(() => h.service.redriveExecution({ executionArn })).toThrow(
      expect.objectContaining({ name: 'ExecutionNotRedrivable' }),
    );
    expect(h.service.describeExecution({ executionArn })).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveCount: 0,
    });
  });

  it('replays an execution as a new one with the same input', async () => {
    h = harness(1000);
    const { arn, steps } = coolDown(() => false);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn, input: '{"run":2}' });
    await h.service.whenSettled(executionArn ?? '');

    const replay = h.service.replayExecution(executionArn ?? '');
    const described = await h.service.whenSettled(replay.executionArn ?? '');

    expect(replay.executionArn).not.toBe(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', input: '{"run":2}', stateMachineArn: arn });
    expect(steps).toEqual(['before', 'after', 'before', 'after']);
    expect(h.service.listExecutions({ stateMachineArn: arn }).executions).toHaveLength(2);
  });
});
