import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type Harness, harness, typesOf } from './harness.js';

interface Notified {
  taskToken: string;
  execution: string;
}

describe('lambda:invoke.waitForTaskToken', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  function callbackMachine(scale: number): { arn: string; notified: Notified[] } {
    h = harness(scale);
    const notified: Notified[] = [];
    const arn = h.machine('callback', {
      NotifyFunctionArn: async (event) => {
        notified.push(event as Notified);
        return { accepted: true };
      },
    });
    return { arn, notified };
  }

  it('continues when another piece of code sends task success', async () => {
    const { arn, notified } = callbackMachine(1000);
    const { executionArn } = h.service.startExecution({
      stateMachineArn: arn,
      name: 'signal-ok',
      input: '{"n":1}',
    });

    const { taskToken, execution } = await waitFor(() => notified[0], {
      what: 'the handler to receive a token',
    });
    h.service.sendTaskHeartbeat({ taskToken });
    h.service.sendTaskSuccess({ taskToken, output: '{"scaledOut":true}' });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(execution).toBe('signal-ok');
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({ n: 1, signal: { scaledOut: true } });
    const types = typesOf(h.service.getExecutionHistory({ executionArn }).events);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    // The token is spent: a late call is told the task no longer exists.
    expect(() => h.service.sendTaskSuccess({ taskToken, output: '{}' })).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
  });

  it('fails the task with the error and cause of send task failure', async () => {
    const { arn, notified } = callbackMachine(1000);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn });

    const { taskToken } = await waitFor(() => notified[0], { what: 'a token' });
    h.service.sendTaskFailure({ taskToken, error: 'ScaleOutFailed', cause: 'no instance became healthy' });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'ScaleOutFailed',
      cause: 'no instance became healthy',
    });
    const failed = h.service
      .getExecutionHistory({ executionArn })
      .events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'ScaleOutFailed',
      cause: 'no instance became healthy',
    });
  });

  it('times out a token nobody completes: heartbeat first, then the task timeout', async () => {
    const { arn, notified } = callbackMachine(1000);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn, name: 'no-heartbeat' });

    const described = await h.service.whenSettled(executionArn ?? '');

    // HeartbeatSeconds 600 < TimeoutSeconds 3600: the heartbeat timeout wins and is caught.
    expect(described).toMatchObject({ status: 'FAILED', error: 'SignalHeartbeatLost' });
    const timedOut = h.service
      .getExecutionHistory({ executionArn })
      .events.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
    const taskToken = notified[0]?.taskToken ?? '';
    expect(() => h.service.sendTaskSuccess({ taskToken, output: '{}' })).toThrow(
      expect.objectContaining({ name: 'TaskTimedOut' }),
    );
  });

  it('fails with States.Timeout when heartbeats keep coming but no result does', async () => {
    const { arn, notified } = callbackMachine(1000);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn, name: 'heartbeats-only' });
    const { taskToken } = await waitFor(() => notified[0], { what: 'a token' });
    // A heartbeat every 100 simulated seconds (100 real ms) keeps the task alive until TimeoutSeconds.
    const beat = h.clock.setInterval(() => {
      try {
        h.service.sendTaskHeartbeat({ taskToken });
      } catch {
        beat.cancel();
      }
    }, 100);

    const described = await h.service.whenSettled(executionArn ?? '');
    beat.cancel();

    expect(described).toMatchObject({ status: 'FAILED', error: 'SignalTimedOut' });
    const timedOut = h.service
      .getExecutionHistory({ executionArn })
      .events.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
  });

  it('rejects malformed and unknown tokens with AWS errors', () => {
    callbackMachine(1000);
    expect(() => h.service.sendTaskSuccess({ taskToken: 'nope', output: '{}' })).toThrow(
      expect.objectContaining({ name: 'InvalidToken' }),
    );
    const unknown = `SFNLOCAL${'A'.repeat(64)}`;
    expect(() => h.service.sendTaskSuccess({ taskToken: unknown, output: '{}' })).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
    expect(() => h.service.sendTaskHeartbeat({ taskToken: unknown })).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
  });

  it('invalidates the tokens of a stopped execution', async () => {
    const { arn, notified } = callbackMachine(1000);
    const { executionArn } = h.service.startExecution({ stateMachineArn: arn });
    const { taskToken } = await waitFor(() => notified[0], { what: 'a token' });

    h.service.stopExecution({ executionArn, error: 'Operator', cause: 'stopped by hand' });

    expect(h.service.describeExecution({ executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'Operator',
      cause: 'stopped by hand',
    });
    expect(() => h.service.sendTaskSuccess({ taskToken, output: '{}' })).toThrow(
      expect.objectContaining({ name: 'TaskDoesNotExist' }),
    );
  });
});

describe('callback tasks inside a Map', () => {
  it('mints one token per iteration and completes each independently, in any order', async () => {
    const h = harness(1000);
    try {
      const watching: { taskToken: string; instance: string }[] = [];
      const stateMachineArn = h.machine('map-callback', {
        WatchFunctionArn: async (event) => {
          watching.push(event as { taskToken: string; instance: string });
          return {};
        },
      });
      const { executionArn } = h.service.startExecution({
        stateMachineArn,
        input: JSON.stringify({ instances: ['i-1', 'i-2', 'i-3'] }),
      });

      await waitFor(() => watching.length === 3, { what: 'three callback tasks' });
      expect(new Set(watching.map((w) => w.taskToken)).size).toBe(3);
      for (const { taskToken, instance } of [...watching].reverse()) {
        h.service.sendTaskSuccess({ taskToken, output: JSON.stringify({ instance, healthy: true }) });
      }
      const described = await h.service.whenSettled(executionArn ?? '');

      expect(described.status).toBe('SUCCEEDED');
      expect(JSON.parse(described.output ?? 'null')).toEqual([
        { instance: 'i-1', healthy: true },
        { instance: 'i-2', healthy: true },
        { instance: 'i-3', healthy: true },
      ]);
    } finally {
      await h.close();
    }
  });
});
