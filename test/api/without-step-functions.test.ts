import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../local/api/index.js';
import { Clock } from '../../local/clock.js';
import { LocalEventBus } from '../../local/eventbridge/index.js';
import { DUMMY_CREDENTIALS } from './harness.js';

describe('an endpoint without Step Functions (scalelab up)', () => {
  let server: ApiServer | undefined;
  const clients: { destroy(): void }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.close();
    server = undefined;
  });

  it('answers Step Functions with UnknownOperationException saying it is not served, and keeps serving', async () => {
    // Prepare
    const bus = new LocalEventBus({ clock: new Clock({ scale: 1 }), onError: () => undefined });
    server = await startApiServer({ bus, port: 0 });
    const config = {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: DUMMY_CREDENTIALS,
      maxAttempts: 1,
    };
    const sfn = new SFNClient(config);
    const events = new EventBridgeClient(config);
    clients.push(sfn, events);

    // Act
    const refused = await sfn.send(new ListStateMachinesCommand({})).catch((error: unknown) => error);
    const put = await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}' }] }),
    );

    // Assess
    expect(refused).toMatchObject({
      name: 'UnknownOperationException',
      message:
        "Unknown operation 'AWSStepFunctions.ListStateMachines': Step Functions is not served by this endpoint (it has no state machines)",
    });
    expect(put.FailedEntryCount).toBe(0);
  });
});
