import {
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  ResourceContentionFault,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsCloud } from '../../lambdas/cloud/aws-cloud.js';
import { AWS_ENV, readAwsCloudEnv } from '../../lambdas/cloud/aws-env.js';

const ENV = {
  [AWS_ENV.autoScalingGroupName]: 'scalelab-serve',
  [AWS_ENV.labStackName]: 'ScalelabLab',
  [AWS_ENV.webTargetGroupArn]: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1',
  [AWS_ENV.scalingTargetGroupArn]:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/scaling/2',
  [AWS_ENV.webLoadBalancerUrl]: 'http://web.example',
  [AWS_ENV.scalingLoadBalancerUrl]: 'http://scaling.example',
  [AWS_ENV.observerTableName]: 'scalelab-observers',
};
const TOKEN = '87654321-4321-4321-4321-210987654321';

/** Auto Scaling's ValidationError as the SDK raises it (no class of its own). */
function validationError(message: string): AutoScalingServiceException {
  return new AutoScalingServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

describe('the aws Cloud adapter: lifecycle actions and instance moments', () => {
  const autoScaling = mockClient(AutoScalingClient);
  const dynamo = mockClient(DynamoDBClient);
  let cloud: AwsCloud;

  beforeEach(() => {
    autoScaling.reset();
    dynamo.reset();
    const region = { region: 'us-east-1' };
    cloud = new AwsCloud(readAwsCloudEnv(ENV), {
      autoScaling: new AutoScalingClient(region),
      ec2: new EC2Client(region),
      elb: new ElasticLoadBalancingV2Client(region),
      cloudWatch: new CloudWatchClient(region),
      sfn: new SFNClient(region),
      eventBridge: new EventBridgeClient(region),
      dynamo: new DynamoDBClient(region),
    });
  });
  afterEach(() => {
    autoScaling.reset();
    dynamo.reset();
  });

  it('completes a lifecycle action by token and instance id, with the result asked', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).resolves({});

    const outcome = await cloud.completeLifecycleAction({
      groupName: 'scalelab-serve',
      hookName: 'scalelab-wait-for-drain',
      token: TOKEN,
      instanceId: 'i-1234567890abcdef0',
      result: 'CONTINUE',
    });

    expect(outcome).toBe('completed');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([
      {
        AutoScalingGroupName: 'scalelab-serve',
        LifecycleHookName: 'scalelab-wait-for-drain',
        LifecycleActionResult: 'CONTINUE',
        LifecycleActionToken: TOKEN,
        InstanceId: 'i-1234567890abcdef0',
      },
    ]);
  });

  it('sends only the reference it has: an instance id without a token', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).resolves({});

    await cloud.completeLifecycleAction({
      groupName: 'scalelab-serve',
      hookName: 'scalelab-wait-for-app',
      instanceId: 'i-1',
      result: 'ABANDON',
    });

    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'scalelab-serve',
      LifecycleHookName: 'scalelab-wait-for-app',
      LifecycleActionResult: 'ABANDON',
      InstanceId: 'i-1',
    });
  });

  it('reads "No active Lifecycle Action found" as not-waiting, and rethrows any other failure', async () => {
    autoScaling
      .on(CompleteLifecycleActionCommand)
      .rejectsOnce(validationError(`No active Lifecycle Action found with token ${TOKEN}`))
      .rejectsOnce(validationError('No active Lifecycle Action found with instance ID i-1'))
      .rejectsOnce(validationError('Unable to complete lifecycle action: hook nope not found'))
      .rejectsOnce(
        new ResourceContentionFault({
          $metadata: { httpStatusCode: 400 },
          message: 'You already have a pending update to an Auto Scaling resource',
        }),
      );
    const ref = {
      groupName: 'scalelab-serve',
      hookName: 'scalelab-wait-for-drain',
      result: 'CONTINUE',
    } as const;

    await expect(cloud.completeLifecycleAction({ ...ref, token: TOKEN })).resolves.toBe('not-waiting');
    await expect(cloud.completeLifecycleAction({ ...ref, instanceId: 'i-1' })).resolves.toBe('not-waiting');
    await expect(cloud.completeLifecycleAction({ ...ref, token: TOKEN })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Unable to complete lifecycle action: hook nope not found',
    });
    await expect(cloud.completeLifecycleAction({ ...ref, token: TOKEN })).rejects.toMatchObject({
      name: 'TransientCloudError',
      message: expect.stringContaining('CompleteLifecycleAction failed'),
    });
  });

  it("records a moment in the instance's item, keeping the first record of it", async () => {
    dynamo.on(UpdateItemCommand).resolves({});

    await cloud.recordInstanceMoment('i-1', 'terminate-completed', 1_700_000_000_500);

    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'scalelab-observers',
      Key: { observerId: { S: 'scalelab#instance#i-1' } },
      UpdateExpression:
        'SET #moment = if_not_exists(#moment, :at), instanceId = :id, expiresAt = if_not_exists(expiresAt, :expires)',
      ExpressionAttributeNames: { '#moment': 'terminate-completed' },
      ExpressionAttributeValues: {
        ':at': { N: '1700000000500' },
        ':id': { S: 'i-1' },
        ':expires': { N: String(1_700_000_000 + 24 * 3600) },
      },
    });
  });

  it('reads every instance timeline (all pages), and never takes one for an observer', async () => {
    const item = (id: string, moments: Record<string, number>) => ({
      observerId: { S: `scalelab#instance#${id}` },
      instanceId: { S: id },
      expiresAt: { N: '1' },
      ...Object.fromEntries(Object.entries(moments).map(([k, v]) => [k, { N: String(v) }])),
    });
    dynamo
      .on(ScanCommand)
      .resolvesOnce({
        Items: [item('i-1', { 'launch-wait': 10, 'in-service': 20 })],
        LastEvaluatedKey: { k: { S: '1' } },
      })
      .resolves({ Items: [item('i-2', { 'terminate-wait': 30, drained: 31 })] });

    expect(await cloud.getInstanceTimelines()).toEqual([
      { instanceId: 'i-1', moments: { 'launch-wait': 10, 'in-service': 20 } },
      { instanceId: 'i-2', moments: { 'terminate-wait': 30, drained: 31 } },
    ]);
    expect(dynamo.commandCalls(ScanCommand)[0]?.args[0].input).toMatchObject({
      FilterExpression: 'begins_with(observerId, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: 'scalelab#instance#' } },
      ConsistentRead: true,
    });

    dynamo.reset();
    dynamo.on(ScanCommand).resolves({ Items: [item('i-3', { terminated: 40 })] });
    expect(await cloud.getArmedObservers()).toEqual([]);
  });
});
