import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  paginateGetExecutionHistory,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type Endpoint, startEndpoint } from './harness.js';

class TargetUnhealthyError extends Error {
  override name = 'TargetUnhealthyError';
}

describe('the SDK client against the local endpoint', () => {
  let e: Endpoint | undefined;
  afterEach(async () => {
    await e?.close();
    e = undefined;
  });

  function coolDown(endpoint: Endpoint, failAfter: () => boolean): string {
    return endpoint.machine('cool-down', {
      StepFunctionArn: async (event) => {
        const { step } = event as { step: string };
        if (step === 'after' && failAfter()) throw new TargetUnhealthyError('target 127.0.0.2 unhealthy');
        return { step };
      },
    });
  }

  async function settled(endpoint: Endpoint, executionArn: string | undefined) {
    return waitFor(
      async () => {
        const out = await endpoint.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return out.status === 'RUNNING' ? undefined : out;
      },
      { what: `${executionArn} to settle` },
    );
  }

  it('starts, describes and pages through the history of an execution', async () => {
    e = await startEndpoint(1000);
    const stateMachineArn = coolDown(e, () => false);

    const started = await e.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{"n":1}' }),
    );
    const described = await settled(e, started.executionArn);
    const pages: HistoryEvent[][] = [];
    for await (const page of paginateGetExecutionHistory(
      { client: e.sfn, pageSize: 4 },
      { executionArn: started.executionArn },
    )) {
      pages.push(page.events ?? []);
    }

    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:cool-down:run-1');
    expect(started.startDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      name: 'run-1',
      input: '{"n":1}',
      stateMachineArn,
    });
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(
      described.startDate?.getTime() ?? Number.NaN,
    );
    expect(JSON.parse(described.output ?? 'null')).toEqual({ after: { step: 'after' } });
    const events = pages.flat();
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0 });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    // The 300 s Wait spans 300 s of (simulated) timestamps on the wire too.
    const waitEntered = events.find((event) => event.type === 'WaitStateEntered');
    const waitExited = events.find((event) => event.type === 'WaitStateExited');
    const waited = (waitExited?.timestamp?.getTime() ?? 0) - (waitEntered?.timestamp?.getTime() ?? 0);
    expect(waited / 1000).toBeGreaterThanOrEqual(299);
    expect(Object.keys(events[0] ?? {})).not.toContain('realTimestamp');

    const reversed = await e.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: started.executionArn,
        reverseOrder: true,
        maxResults: 1,
      }),
    );
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
    expect(reversed.nextToken).toEqual(expect.any(String));
  });

  it('lists executions newest first with a status filter and pages', async () => {
    e = await startEndpoint(1000);
    const stateMachineArn = coolDown(e, () => false);
    for (const name of ['a', 'b', 'c']) {
      const { executionArn } = await e.sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
      await settled(e, executionArn);
    }

    const first = await e.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    const second = await e.sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: first.nextToken }),
    );
    const running = await e.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));

    expect(first.executions?.map((x) => x.name)).toEqual(['c', 'b']);
    expect(second.executions?.map((x) => x.name)).toEqual(['a']);
    expect(second.nextToken).toBeUndefined();
    expect(first.executions?.[0]?.startDate).toBeInstanceOf(Date);
    expect(running.executions).toEqual([]);
  });

  it('stops a running execution', async () => {
    e = await startEndpoint(10);
    const tokens: string[] = [];
    const stateMachineArn = e.machine('callback', {
      NotifyFunctionArn: async (event) => void tokens.push((event as { taskToken: string }).taskToken),
    });
    const { executionArn } = await e.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'to-stop' }),
    );
    await waitFor(() => tokens.length === 1, { what: 'the callback task' });

    const stopped = await e.sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'stopped by a test' }),
    );
    const described = await settled(e, executionArn);

    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by a test' });
  });

  it('completes a callback task with SendTaskSuccess', async () => {
    e = await startEndpoint(10);
    const tokens: string[] = [];
    const stateMachineArn = e.machine('callback', {
      NotifyFunctionArn: async (event) => void tokens.push((event as { taskToken: string }).taskToken),
    });
    const { executionArn } = await e.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"x":1}' }),
    );
    const taskToken = await waitFor(() => tokens[0], { what: 'the task token' });

    await e.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"inService":2}' }));
    const described = await settled(e, executionArn);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({ x: 1, signal: { inService: 2 } });
  });

  it('redrives a failed execution to success and replays one with the same input', async () => {
    e = await startEndpoint(1000);
    let failing = true;
    const stateMachineArn = coolDown(e, () => failing);
    const { executionArn } = await e.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'flaky', input: '{"run":7}' }),
    );
    expect(await settled(e, executionArn)).toMatchObject({ status: 'FAILED', error: 'TargetUnhealthyError' });

    failing = false;
    const { redriveDate } = await e.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await settled(e, executionArn);
    const original = await e.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const replay = await e.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: original.stateMachineArn,
        name: 'flaky-replay',
        input: original.input,
      }),
    );
    const replayed = await settled(e, replay.executionArn);

    expect(redriveDate).toBeInstanceOf(Date);
    expect(redriven).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      redriveStatus: expect.any(String),
    });
    expect(replayed).toMatchObject({ status: 'SUCCEEDED', input: '{"run":7}', redriveCount: 0 });
  });

  it('lists and describes state machines', async () => {
    e = await startEndpoint(1000);
    const stateMachineArn = coolDown(e, () => false);
    e.machine('basics');

    const listed = await e.sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    const rest = await e.sfn.send(new ListStateMachinesCommand({ nextToken: listed.nextToken }));
    const described = await e.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));

    expect([...(listed.stateMachines ?? []), ...(rest.stateMachines ?? [])].map((m) => m.name)).toEqual([
      'basics',
      'cool-down',
    ]);
    expect(described).toMatchObject({ name: 'cool-down', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition ?? '{}').StartAt).toBe('Before');
    expect(described.creationDate).toBeInstanceOf(Date);
  });
});
