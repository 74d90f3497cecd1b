import { afterEach, describe, expect, it } from 'vitest';
import { statesTimeoutError } from '../../local/stepfunctions/states-timeout.js';
import { type Harness, harness, typesOf } from './harness.js';

class NotReadyError extends Error {
  override name = 'NotReadyError';
}

class ValidationError extends Error {
  override name = 'ValidationError';
}

describe('lambda:invoke tasks', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('retries a named error and then succeeds, with the lambda:invoke output shape', async () => {
    h = harness(1000);
    let calls = 0;
    const stateMachineArn = h.machine('retry', {
      FlakyFunctionArn: async (event) => {
        calls += 1;
        if (calls < 3) throw new NotReadyError(`not ready (call ${calls})`);
        return { event, calls };
      },
    });

    const { executionArn } = h.service.startExecution({ stateMachineArn, input: '{"id":7}' });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({ event: { id: 7 }, calls: 3 });
    const events = h.service.getExecutionHistory({ executionArn }).events;
    const failed = events.filter((e) => e.type === 'TaskFailed');
    expect(failed).toHaveLength(2);
    expect(failed[0]?.taskFailedEventDetails).toMatchObject({ error: 'NotReadyError' });
    expect(JSON.parse(failed[0]?.taskFailedEventDetails?.cause ?? '{}')).toEqual({
      errorType: 'NotReadyError',
      errorMessage: 'not ready (call 1)',
    });
    const retried = events.filter((e) => e.localEventDetails?.retried);
    expect(retried.map((e) => e.localEventDetails?.retried?.attempt)).toEqual([1, 2]);
    expect(typesOf(events).filter((t) => t === 'TaskScheduled')).toHaveLength(3);
    const succeeded = events.find((e) => e.type === 'TaskSucceeded');
    expect(JSON.parse(succeeded?.taskSucceededEventDetails?.output ?? '{}')).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
    });
    // 10 s then 20 s of simulated retry intervals, whatever the real time was.
    const firstFailure = failed[0]?.timestamp?.getTime() ?? 0;
    const lastScheduled =
      events
        .filter((e) => e.type === 'TaskScheduled')
        .at(-1)
        ?.timestamp?.getTime() ?? 0;
    expect(lastScheduled - firstFailure).toBeGreaterThanOrEqual(29_000);
  });

  it('routes a named error to its Catch with AWS Error and Cause', async () => {
    h = harness(1000);
    const stateMachineArn = h.machine('catch', {
      ValidateFunctionArn: async () => {
        throw new ValidationError('port must be 5000');
      },
    });

    const { executionArn } = h.service.startExecution({ stateMachineArn, input: '{"port":80}' });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(described.status).toBe('SUCCEEDED');
    const output = JSON.parse(described.output ?? 'null');
    expect(output.verdict).toBe('rejected');
    expect(output.failure.Error).toBe('ValidationError');
    expect(JSON.parse(output.failure.Cause)).toEqual({
      errorType: 'ValidationError',
      errorMessage: 'port must be 5000',
    });
    const events = h.service.getExecutionHistory({ executionArn }).events;
    expect(events.find((e) => e.localEventDetails?.caught)?.localEventDetails?.caught).toEqual({
      state: 'Validate',
      errorEquals: ['ValidationError'],
      next: 'Rejected',
    });
  });

  it('fails a task slower than TimeoutSeconds with States.Timeout, scaled', async () => {
    h = harness(1000);
    let release = (): void => {};
    const stateMachineArn = h.machine('task-timeout', {
      SlowFunctionArn: () => new Promise((resolve) => (release = () => resolve('late'))),
    });

    const started = performance.now();
    const { executionArn } = h.service.startExecution({ stateMachineArn });
    const described = await h.service.whenSettled(executionArn ?? '');
    const realMs = performance.now() - started;
    release();

    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    // 60 simulated seconds at scale 1000 = 60 real ms.
    expect(realMs).toBeLessThan(2_000);
    const types = typesOf(h.service.getExecutionHistory({ executionArn }).events);
    expect(types.slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
  });

  it("times a task out on the clock, not while the clock is held, with the interpreter's own States.Timeout", async () => {
    h = harness(1000);
    let release = (): void => {};
    let started = (): void => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const stateMachineArn = h.machine('task-timeout-caught', {
      SlowFunctionArn: () => {
        started();
        return new Promise((resolve) => (release = () => resolve('late')));
      },
    });

    const { executionArn } = h.service.startExecution({ stateMachineArn });
    await running;
    // 60 simulated seconds are 60 real ms at scale 1000: held for 200 ms, the task must not time out.
    const releaseClock = h.clock.hold();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.service.describeExecution({ executionArn }).status).toBe('RUNNING');
    releaseClock();
    const described = await h.service.whenSettled(executionArn ?? '');
    release();

    expect(described.status).toBe('SUCCEEDED');
    const types = typesOf(h.service.getExecutionHistory({ executionArn }).events);
    expect(types).toContain('TaskTimedOut');
    // The interpreter's own class: States.TaskFailed, in a Retry or Catch, never matches it.
    const error = await statesTimeoutError();
    expect(error.name).toBe('States.Timeout');
    expect(error.constructor.name).not.toBe('Error');
  });
});
