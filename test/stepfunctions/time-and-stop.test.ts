import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type Harness, harness, typesOf } from './harness.js';

describe('time scaling and stop', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('runs a 300 s Wait in about 3 s at scale 100, keeping simulated and real times', async () => {
    h = harness(100);
    const stateMachineArn = h.machine('cool-down', { StepFunctionArn: async (event) => event });

    const started = performance.now();
    const { executionArn } = h.service.startExecution({ stateMachineArn });
    const described = await h.service.whenSettled(executionArn ?? '');
    const realMs = performance.now() - started;

    expect(described.status).toBe('SUCCEEDED');
    expect(realMs).toBeGreaterThanOrEqual(2_900);
    expect(realMs).toBeLessThan(6_000);
    const events = h.service.getExecutionHistory({ executionArn }).events;
    const entered = events.find((e) => e.type === 'WaitStateEntered');
    const exited = events.find((e) => e.type === 'WaitStateExited');
    const simSeconds = ((exited?.timestamp?.getTime() ?? 0) - (entered?.timestamp?.getTime() ?? 0)) / 1000;
    const realSeconds =
      ((exited?.realTimestamp.getTime() ?? 0) - (entered?.realTimestamp.getTime() ?? 0)) / 1000;
    expect(simSeconds).toBeGreaterThanOrEqual(299);
    expect(simSeconds).toBeLessThan(360);
    expect(realSeconds).toBeGreaterThanOrEqual(2.9);
    expect(realSeconds).toBeLessThan(3.6);
  });

  it('stops an execution in the middle of a Wait and never runs the next state', async () => {
    h = harness(1);
    const steps: string[] = [];
    const stateMachineArn = h.machine('cool-down', {
      StepFunctionArn: async (event) => {
        steps.push((event as { step: string }).step);
        return event;
      },
    });
    const { executionArn } = h.service.startExecution({ stateMachineArn, name: 'stop-me' });
    await waitFor(
      () => typesOf(h.service.getExecutionHistory({ executionArn }).events).includes('WaitStateEntered'),
      {
        what: 'the Wait state to be entered',
      },
    );

    const { stopDate } = h.service.stopExecution({
      executionArn,
      error: 'Cancelled',
      cause: 'operator pressed stop',
    });
    await h.service.whenSettled(executionArn ?? '');

    expect(stopDate).toBeInstanceOf(Date);
    expect(h.service.describeExecution({ executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'operator pressed stop',
      redriveStatus: 'REDRIVABLE',
    });
    const events = h.service.getExecutionHistory({ executionArn }).events;
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'operator pressed stop' },
    });
    expect(steps).toEqual(['before']);
    expect(h.service.listExecutions({ stateMachineArn, statusFilter: 'ABORTED' }).executions).toHaveLength(1);
  });

  it('stops an execution with a pending SecondsPath wait run on the Clock', async () => {
    // Scale 5: the 5 s Wait takes 1 s real, the 2 s SecondsPath wait 400 ms, time enough to stop it.
    h = harness(5);
    const stateMachineArn = h.machine('basics');
    const { executionArn } = h.service.startExecution({
      stateMachineArn,
      input: '{"items":[1],"mode":"double"}',
    });
    await waitFor(
      () =>
        h.service
          .getExecutionHistory({ executionArn })
          .events.some((e) => e.stateEnteredEventDetails?.name === 'PathWait'),
      { what: 'PathWait to be entered' },
    );

    h.service.stopExecution({ executionArn });
    await h.service.whenSettled(executionArn ?? '');

    expect(h.service.describeExecution({ executionArn }).status).toBe('ABORTED');
    expect(typesOf(h.service.getExecutionHistory({ executionArn }).events).at(-1)).toBe('ExecutionAborted');
  });
});

describe('Wait at a high time scale', () => {
  it('never shows a Wait shorter than its Seconds, where one real ms is a simulated second', async () => {
    const h = harness(1000);
    try {
      // Ten 2 s Waits: each lasts 2 real ms, so an early timer or a timestamp rounded the wrong way
      // would show up as a 1 s Wait in the history.
      const names = Array.from({ length: 10 }, (_, i) => `Wait${i}`);
      const States = Object.fromEntries(
        names.map((name, i) => [
          name,
          { Type: 'Wait', Seconds: 2, ...(i === 9 ? { End: true } : { Next: names[i + 1] }) },
        ]),
      );
      const definition = JSON.stringify({ StartAt: 'Wait0', States });
      const { stateMachineArn } = h.service.createStateMachine({ name: 'short-waits', definition });

      const { executionArn } = h.service.startExecution({ stateMachineArn });
      expect((await h.service.whenSettled(executionArn ?? '')).status).toBe('SUCCEEDED');

      const events = h.service.getExecutionHistory({ executionArn }).events;
      const entered = events.filter((e) => e.type === 'WaitStateEntered');
      const exited = events.filter((e) => e.type === 'WaitStateExited');
      const seconds = exited.map(
        (e, i) => ((e.timestamp?.getTime() ?? 0) - (entered[i]?.timestamp?.getTime() ?? 0)) / 1000,
      );
      expect(seconds).toHaveLength(10);
      for (const s of seconds) expect(s).toBeGreaterThanOrEqual(2);
    } finally {
      await h.close();
    }
  });
});

describe('execution TimeoutSeconds', () => {
  it('ends an execution that outlives its TimeoutSeconds as TIMED_OUT, scaled', async () => {
    const h = harness(1000);
    try {
      const definition = JSON.stringify({
        TimeoutSeconds: 60,
        StartAt: 'Long',
        States: { Long: { Type: 'Wait', Seconds: 300, End: true } },
      });
      const { stateMachineArn } = h.service.createStateMachine({ name: 'too-long', definition });

      const { executionArn } = h.service.startExecution({ stateMachineArn });
      const described = await h.service.whenSettled(executionArn ?? '');

      expect(described).toMatchObject({
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        redriveStatus: 'REDRIVABLE',
      });
      expect(typesOf(h.service.getExecutionHistory({ executionArn }).events).at(-1)).toBe(
        'ExecutionTimedOut',
      );
    } finally {
      await h.close();
    }
  });
});
