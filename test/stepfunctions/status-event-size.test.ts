import { describe, expect, it } from 'vitest';
import { assertPutEventsRequest, MAX_PUT_EVENTS_BYTES } from '../../local/eventbridge/put-events.js';
import { statusChangeEvent } from '../../local/stepfunctions/events.js';
import { MAX_EXECUTION_INPUT_BYTES } from '../../local/stepfunctions/execution-input.js';
import type { ExecutionRecord } from '../../local/stepfunctions/store.js';

/** An input StartExecution accepts: a JSON document of exactly `bytes` bytes. */
function inputOf(bytes: number): string {
  const frame = '{"Comment":""}';
  return `{"Comment":"${'x'.repeat(bytes - frame.length)}"}`;
}

function record(input: string, status: ExecutionRecord['status'], output?: string): ExecutionRecord {
  return {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:lab-lifecycle:big',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:lab-lifecycle',
    stateMachineName: 'lab-lifecycle',
    name: 'big',
    status,
    input,
    ...(output === undefined ? {} : { output }),
    startDate: '2026-01-01T00:00:00.000Z',
    ...(status === 'RUNNING' ? {} : { stopDate: '2026-01-01T00:10:00.000Z' }),
    realStartDate: '2026-01-01T00:00:00.000Z',
    redriveCount: 0,
    definition: '{}',
    timeScale: 1,
  };
}

// Found by re-running issue 14's attacks: an input of 262,143 bytes (accepted, as on AWS) made every
// status change event of its execution over PutEvents' 256 KiB, so none was published; `scalelab
// stop` then left the lab's instances running, since on-execution-end never heard of the ABORTED.
describe('status change events of an execution with a large input or output', () => {
  it('leave out an input too large for an event and say so, so the event is still published', () => {
    const input = inputOf(MAX_EXECUTION_INPUT_BYTES - 1);
    for (const status of ['RUNNING', 'ABORTED'] as const) {
      const event = statusChangeEvent(record(input, status), Date.parse('2026-01-01T00:10:00Z'));
      expect(Buffer.byteLength(JSON.stringify([event]))).toBeLessThanOrEqual(MAX_PUT_EVENTS_BYTES);
      expect(() => assertPutEventsRequest([event])).not.toThrow();
      expect(event.detail).toMatchObject({ status, input: null, inputDetails: { included: false } });
    }
  });

  it('leave out an output that does not fit next to the input', () => {
    const event = statusChangeEvent(
      record('{"x":1}', 'SUCCEEDED', inputOf(MAX_EXECUTION_INPUT_BYTES - 1)),
      Date.parse('2026-01-01T00:10:00Z'),
    );
    expect(() => assertPutEventsRequest([event])).not.toThrow();
    expect(event.detail).toMatchObject({
      input: '{"x":1}',
      inputDetails: { included: true },
      output: null,
      outputDetails: { included: false },
    });
  });

  it('carry input and output whole when they fit', () => {
    const event = statusChangeEvent(
      record('{"x":1}', 'SUCCEEDED', '{"y":2}'),
      Date.parse('2026-01-01T00:10:00Z'),
    );
    expect(event.detail).toMatchObject({
      input: '{"x":1}',
      inputDetails: { included: true },
      output: '{"y":2}',
      outputDetails: { included: true },
    });
  });
});
