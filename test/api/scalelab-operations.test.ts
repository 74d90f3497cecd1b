import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callScalelab } from '../../cli/executions/scalelab-call.js';
import { type Endpoint, startEndpoint } from './harness.js';

/** scalelab's own `ScalelabLocal.*` operations on the endpoint: not AWS APIs, answered in its JSON shape. */
describe('ScalelabLocal.ListExecutionRealDates', () => {
  let endpoint: Endpoint;
  beforeEach(async () => {
    endpoint = await startEndpoint(1000);
  });
  afterEach(async () => {
    await endpoint.close();
  });

  it('answers when each execution really started and stopped, by the wall clock', async () => {
    // Prepare: an execution at x1000, whose simulated dates run far ahead of the real ones.
    const before = Date.now();
    const stateMachineArn = endpoint.machine('basics');
    const { executionArn = '' } = endpoint.service.startExecution({
      stateMachineArn,
      name: 'one',
      input: '{}',
    });
    await endpoint.service.whenSettled(executionArn);

    // Act
    const answer = await callScalelab<{
      executions: { executionArn: string; realStartDate: number; realStopDate: number }[];
    }>(endpoint.server.url, 'ListExecutionRealDates', { executionArns: [executionArn] });

    // Assess: epoch seconds, within the test's own wall-clock span.
    const [dates] = answer.executions;
    expect(dates?.executionArn).toBe(executionArn);
    expect((dates?.realStartDate ?? 0) * 1000).toBeGreaterThanOrEqual(before - 1);
    expect((dates?.realStopDate ?? 0) * 1000).toBeLessThanOrEqual(Date.now() + 1);
    expect(dates?.realStopDate ?? 0).toBeGreaterThanOrEqual(dates?.realStartDate ?? Number.POSITIVE_INFINITY);
  });

  it.each([
    [{}, /ValidationException: 1 validation error detected: Value null at 'executionArns'/],
    [
      { executionArns: 'arn' },
      /SerializationException: Unexpected value for member 'executionArns': expected list/,
    ],
    [{ executionArns: [7] }, /ValidationException: executionArns must hold strings, got 7/],
    [
      { executionArns: ['arn:aws:states:us-east-1:000000000000:execution:pass:nope'] },
      /ExecutionDoesNotExist: Execution Does Not Exist: 'arn:aws:states:us-east-1:000000000000:execution:pass:nope'/,
    ],
  ])('names what is wrong with %j', async (body, message) => {
    await expect(callScalelab(endpoint.server.url, 'ListExecutionRealDates', body)).rejects.toThrow(message);
  });

  it('names the operations it serves when asked for another', async () => {
    await expect(callScalelab(endpoint.server.url, 'ResetLab')).rejects.toThrow(
      "UnknownOperationException: Unknown operation 'ScalelabLocal.ResetLab': not among scalelab's own operations this endpoint serves (ListExecutionRealDates)",
    );
  });
});
