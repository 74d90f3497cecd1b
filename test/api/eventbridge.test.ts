import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Endpoint, startEndpoint } from './harness.js';

describe('EventBridge PutEvents through the local endpoint', () => {
  let e: Endpoint | undefined;
  afterEach(async () => {
    await e?.close();
    e = undefined;
  });

  it('puts events on the bus where rules deliver them, and reports bad entries per entry', async () => {
    e = await startEndpoint(1000);
    const delivered: EventBridgeEvent[] = [];
    e.bus.putRule({ name: 'lab-phases', eventPattern: { source: ['scalelab.lab'] } });
    e.bus.putTargets('lab-phases', [{ id: 'collect', handler: (event) => void delivered.push(event) }]);

    const result = await e.events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'scalelab.lab',
            DetailType: 'Lab Phase Reached',
            Detail: JSON.stringify({ phase: 'stress' }),
            Time: new Date('2026-01-01T00:00:05Z'),
            Resources: ['arn:aws:states:us-east-1:000000000000:execution:lab:run-1'],
          },
          { Source: 'scalelab.lab', DetailType: 'Broken', Detail: '[not json' },
        ],
      }),
    );
    await waitFor(() => delivered.length === 1, { what: 'the delivery' });

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(delivered[0]).toMatchObject({
      source: 'scalelab.lab',
      'detail-type': 'Lab Phase Reached',
      time: '2026-01-01T00:00:05Z',
      detail: { phase: 'stress' },
      resources: ['arn:aws:states:us-east-1:000000000000:execution:lab:run-1'],
    });
  });

  it("refuses a caller's aws.* source per entry, and accepts but never delivers an entry for another bus, as AWS does", async () => {
    e = await startEndpoint(1000);
    const delivered: EventBridgeEvent[] = [];
    e.bus.putRule({ name: 'all', eventPattern: { source: [{ prefix: '' }] } });
    e.bus.putTargets('all', [{ id: 'collect', handler: (event) => void delivered.push(event) }]);

    const result = await e.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'aws.autoscaling', DetailType: 'EC2 Instance Launch Successful', Detail: '{}' },
          { Source: 'scalelab.lab', DetailType: 'Elsewhere', Detail: '{}', EventBusName: 'no-such-bus' },
          { Source: 'scalelab.lab', DetailType: 'Here', Detail: '{}', EventBusName: 'default' },
        ],
      }),
    );
    await waitFor(() => delivered.length === 1, { what: 'the delivery' });

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    expect(result.Entries?.[1]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[2]?.EventId).toEqual(expect.any(String));
    expect(delivered.map((event) => event['detail-type'])).toEqual(['Here']);
  });

  it('refuses more than 10 entries with a ValidationException', async () => {
    e = await startEndpoint(1000);
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };

    const error = await e.events
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))
      .then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );

    expect(error?.name).toBe('ValidationException');
    expect(error?.message).toMatch(/at most 10 entries/);
  });

  it('carries execution status changes of the local engine onto the same bus', async () => {
    e = await startEndpoint(1000);
    const statuses: string[] = [];
    e.bus.putRule({ name: 'status', eventPattern: { source: ['aws.states'] } });
    e.bus.putTargets('status', [
      { id: 'collect', handler: (event) => void statuses.push((event.detail as { status: string }).status) },
    ]);
    const arn = e.machine('cool-down', { StepFunctionArn: async (event) => event });

    const { executionArn } = e.service.startExecution({ stateMachineArn: arn });
    await e.service.whenSettled(executionArn ?? '');
    await waitFor(() => statuses.length === 2, { what: 'two status changes' });

    expect(statuses).toEqual(['RUNNING', 'SUCCEEDED']);
  });
});
