import { afterEach, describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

let cloud: LocalAws | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe('the local cloud on its bus', () => {
  it("announces an instance's life as EC2 does: pending, running, shutting-down, terminated", async () => {
    cloud = new LocalAws({ timeScale: 100, subnet: testSubnet(), bootSeconds: 5 });
    const events: EventBridgeEvent[] = [];
    cloud.bus.putRule({ name: 'ec2', eventPattern: { source: ['aws.ec2'] } });
    cloud.bus.putTargets('ec2', [{ id: 'record', handler: (event) => void events.push(event) }]);

    const [launched] = await cloud.ec2.runInstances({ app: 'seed', instanceType: 't3.micro' });
    const instanceId = launched?.instanceId ?? '';
    const ec2 = cloud.ec2;
    await waitFor(() => ec2.describeInstances([instanceId])[0]?.state === 'running', {
      what: 'the instance to run',
    });
    await ec2.terminateInstances([instanceId]);
    await waitFor(() => events.length === 4, { what: 'four state-change events' });

    expect(events.map((e) => (e.detail as { state: string }).state)).toEqual([
      'pending',
      'running',
      'shutting-down',
      'terminated',
    ]);
    expect(events[0]).toMatchObject({
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
      resources: [`arn:aws:ec2:us-east-1:000000000000:instance/${instanceId}`],
      detail: { 'instance-id': instanceId, state: 'pending' },
    });
  });
});
