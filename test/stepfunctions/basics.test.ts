import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, typesOf } from './harness.js';

describe('Pass, Choice, Wait, Map and Parallel', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('runs the basics fixture to SUCCEEDED with the output AWS would give', async () => {
    // Prepare
    h = harness(1000);
    const stateMachineArn = h.machine('basics');

    // Act
    const { executionArn } = h.service.startExecution({
      stateMachineArn,
      input: JSON.stringify({ items: [1, 2, 3], mode: 'double' }),
    });
    const described = await h.service.whenSettled(executionArn ?? '');

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      items: [1, 2, 3],
      mode: 'double',
      pause: 2,
      doubled: [
        { doubled: 2, index: 0 },
        { doubled: 4, index: 1 },
        { doubled: 6, index: 2 },
      ],
      branches: ['left', 'right'],
    });
    const types = typesOf(h.service.getExecutionHistory({ executionArn, maxResults: 1000 }).events);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('ChoiceStateEntered');
    expect(types.filter((t) => t === 'WaitStateEntered')).toHaveLength(2);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types).toContain('ParallelStateExited');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('fails through a Fail state with its error and cause', async () => {
    h = harness(1000);
    const stateMachineArn = h.machine('basics');

    const { executionArn } = h.service.startExecution({
      stateMachineArn,
      input: JSON.stringify({ items: [], mode: 'triple' }),
    });
    const described = await h.service.whenSettled(executionArn ?? '');

    expect(described).toMatchObject({ status: 'FAILED', error: 'UnknownMode', cause: 'mode must be double' });
    const types = typesOf(h.service.getExecutionHistory({ executionArn }).events);
    expect(types.slice(-2)).toEqual(['FailStateEntered', 'ExecutionFailed']);
  });
});
