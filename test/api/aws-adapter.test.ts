/**
 * The `aws` adapter (lambdas/cloud/aws-cloud.ts) unchanged against the local endpoint, for the
 * calls CloudWatch and DynamoDB answer: its group CPU and its observers.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsClients, AwsCloud } from '../../lambdas/cloud/aws-cloud.js';
import type { ArmedObserver } from '../../lambdas/cloud/cloud.js';
import { type CloudEndpoint, OBSERVER_TABLE, startCloudEndpoint } from './cloud-endpoint.js';
import { DUMMY_CREDENTIALS } from './harness.js';

const GROUP = 'lab-asg';
const MINUTE = 60_000;

function observer(expectation: 'scale-out' | 'scale-in', token: string): ArmedObserver {
  return {
    observerId: `arn:exec:one#${expectation}`,
    executionId: 'arn:exec:one',
    expectation,
    token,
    armedAt: 1_000,
    since: 2_000,
    target: 2,
    coolDownUntil: 0,
    healthPollSeconds: 15,
  };
}

describe('the aws adapter against the local endpoint', () => {
  let e: CloudEndpoint;
  let clients: AwsClients;
  let adapter: AwsCloud;
  beforeEach(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
    const config = { endpoint: e.server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
    // Only the CloudWatch and DynamoDB clients are called here; the others complete the type.
    clients = {
      cloudWatch: e.cloudWatch,
      dynamo: e.dynamo,
      autoScaling: new AutoScalingClient(config),
      ec2: new EC2Client(config),
      elb: new ElasticLoadBalancingV2Client(config),
      sfn: new SFNClient(config),
      eventBridge: new EventBridgeClient(config),
    };
    adapter = new AwsCloud(
      {
        autoScalingGroupName: GROUP,
        labStackName: 'lab',
        webTargetGroupArn: 'arn:web',
        scalingTargetGroupArn: 'arn:scaling',
        webLoadBalancerUrl: 'http://127.0.0.1:1',
        scalingLoadBalancerUrl: 'http://127.0.0.1:1',
        observerTableName: OBSERVER_TABLE.name,
        eventBusName: 'default',
      },
      clients,
    );
  });
  afterEach(async () => {
    for (const client of [clients.autoScaling, clients.ec2, clients.elb, clients.sfn, clients.eventBridge]) {
      client.destroy();
    }
    await e.close();
  });

  it("reads the group's CPU: the newest minute's average", async () => {
    // The adapter asks for the last 5 real minutes; at time scale 1 simulated time is real time.
    const minute = Math.floor(e.cloud.clock.now() / MINUTE) * MINUTE;
    const dims = { AutoScalingGroupName: GROUP };
    e.cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', dims, 80, minute - 2 * MINUTE + 1_000);
    e.cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', dims, 30, minute - MINUTE + 1_000);
    e.cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', dims, 50, minute - MINUTE + 2_000);

    expect(await adapter.getGroupCpu()).toBe(40);
  });

  it('has no group CPU without datapoints', async () => {
    expect(await adapter.getGroupCpu()).toBeUndefined();
  });

  it('arms, lists and disarms observers', async () => {
    const first = await adapter.armObserver(observer('scale-out', 't1'));
    const rearmed = await adapter.armObserver(observer('scale-out', 't2'));
    await adapter.armObserver(observer('scale-in', 't3'));
    await adapter.recordInstanceMoment('i-1', 'launched', 5_000);
    await adapter.disarm({ observerId: 'arn:exec:one#scale-out', token: 't1' });
    const afterStaleDisarm = await adapter.getArmedObservers();
    await adapter.disarm({ observerId: 'arn:exec:one#scale-out', token: 't2' });

    expect(first).toEqual({ rearmed: false });
    expect(rearmed).toEqual({ rearmed: true });
    expect(afterStaleDisarm.map((o) => o.token).sort()).toEqual(['t2', 't3']);
    expect(await adapter.getArmedObservers()).toEqual([observer('scale-in', 't3')]);
    expect(await adapter.getInstanceTimelines()).toEqual([
      { instanceId: 'i-1', moments: { launched: 5_000 } },
    ]);
  });
});
