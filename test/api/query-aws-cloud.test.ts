/**
 * The `aws` adapter (lambdas/cloud/aws-cloud.ts) with its SDK clients pointed at the local
 * endpoint: its EC2, Auto Scaling and ELBv2 calls, unchanged, against the local cloud.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_TRANSITIONS } from '../../lab/aws-facts.js';
import { AwsCloud } from '../../lambdas/cloud/aws-cloud.js';
import { section1Tags } from '../../lambdas/cloud/lab-tags.js';
import type { TargetGroupRef } from '../../local/elb/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { DUMMY_CREDENTIALS } from './harness.js';

const STACK = 'ScalelabLab';
const GROUP = 'scalelab-serve';

describe('the aws adapter against the local endpoint', () => {
  let e: CloudEndpoint;
  let adapter: AwsCloud;
  let web: TargetGroupRef;
  let others: Array<{ destroy(): void }>;
  beforeEach(async () => {
    e = await startCloudEndpoint();
    web = e.cloud.elb.createTargetGroup({ name: 'web-targets', port: 5000 });
    const scaling = e.cloud.elb.createTargetGroup({ name: 'scaling-targets', port: 5000 });
    e.cloud.elb.registerTargets(web, [{ id: 'i-0000000000000000a', ip: '127.0.0.250' }]);
    e.cloud.autoscaling.createAutoScalingGroup({
      autoScalingGroupName: GROUP,
      app: 'serve',
      instanceType: 't3.micro',
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 0,
    });
    e.cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'launching',
      lifecycleTransition: LIFECYCLE_TRANSITIONS.launching,
    });
    const config = { endpoint: e.server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS };
    // Not served by this route; the calls under test never use them.
    const unused = {
      cloudWatch: new CloudWatchClient(config),
      sfn: new SFNClient(config),
      eventBridge: new EventBridgeClient(config),
      dynamo: new DynamoDBClient(config),
    };
    others = Object.values(unused);
    adapter = new AwsCloud(
      {
        autoScalingGroupName: GROUP,
        labStackName: STACK,
        webTargetGroupArn: web.arn,
        scalingTargetGroupArn: scaling.arn,
        webLoadBalancerUrl: 'http://web.local',
        scalingLoadBalancerUrl: 'http://scaling.local',
        observerTableName: 'observers',
        eventBusName: 'default',
      },
      { ec2: e.ec2, autoScaling: e.autoScaling, elb: e.elb, ...unused },
    );
  });
  afterEach(async () => {
    for (const client of others) client.destroy();
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it('finds the section-1 instances by their tags, leaving out other and terminated ones', async () => {
    const launch = (tags: Record<string, string>) =>
      e.cloud.ec2.runInstances({ app: 'serve', instanceType: 't3.micro', stopped: true, tags, count: 2 });
    const section1 = (await launch({ ...section1Tags(STACK) })).map((i) => i.instanceId);
    await launch({ ...section1Tags('OtherStack') });
    await e.cloud.ec2.terminateInstances([section1[1] ?? '']);

    const found = await adapter.describeSection1Instances();
    // Nothing runs: stopping has nothing to stop and sends no request that could fail.
    await adapter.stopSection1Instances();

    expect(found).toEqual([{ instanceId: section1[0], state: 'stopped' }]);
  });

  it('reads and resizes the group, reads target health and completes no lifecycle action that is not waiting', async () => {
    await adapter.updateGroupSize({ minSize: 0, maxSize: 2, desiredCapacity: 0 });
    const group = await adapter.describeGroup();
    const health = await adapter.describeTargetHealth('web');
    const outcome = await adapter.completeLifecycleAction({
      groupName: GROUP,
      hookName: 'launching',
      instanceId: 'i-0123456789abcdef0',
      result: 'CONTINUE',
    });

    expect(group).toEqual({ name: GROUP, minSize: 0, maxSize: 2, desiredCapacity: 0, instances: [] });
    expect(health).toEqual([
      expect.objectContaining({ targetId: 'i-0000000000000000a', port: 5000, state: expect.any(String) }),
    ]);
    expect(outcome).toBe('not-waiting');
  });

  it('starts the section-1 instances and sees them running', async () => {
    const [instance] = await e.cloud.ec2.runInstances({
      app: 'serve',
      instanceType: 't3.micro',
      stopped: true,
      tags: { ...section1Tags(STACK) },
    });

    const started = await adapter.startSection1Instances();
    await waitFor(
      async () => (await adapter.describeSection1Instances()).every((i) => i.state === 'running'),
      { what: 'the section-1 instance running', timeoutMs: 20_000 },
    );

    expect(started).toEqual([{ instanceId: instance?.instanceId, state: 'pending' }]);
  });
});
