import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { AwsCloud } from '../../lambdas/cloud/aws-cloud.js';
import { AWS_ENV, readAwsCloudEnv } from '../../lambdas/cloud/aws-env.js';
import type { ArmedObserver } from '../../lambdas/cloud/cloud.js';
import type { StepInput } from '../../lambdas/middy/input.js';
import { run as provision } from '../../lambdas/provision/core.js';
import { run as tearDown } from '../../lambdas/tear-down/core.js';

const ENV = {
  [AWS_ENV.autoScalingGroupName]: 'scalelab-serve',
  [AWS_ENV.labStackName]: 'ScalelabLab',
  [AWS_ENV.webTargetGroupArn]:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-targets/1',
  [AWS_ENV.scalingTargetGroupArn]:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/scaling-targets/2',
  [AWS_ENV.webLoadBalancerUrl]: 'http://web.example',
  [AWS_ENV.scalingLoadBalancerUrl]: 'http://scaling.example',
  [AWS_ENV.observerTableName]: 'scalelab-observers',
};

/** What DescribeInstances asks for: the lab's section-1 tags, and no replaced instance. */
const SECTION1_FILTERS = [
  { Name: 'tag:scalelab:stack', Values: ['ScalelabLab'] },
  { Name: 'tag:scalelab:section', Values: ['1'] },
  { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
];

/** The section-1 instances after a redeploy replaced them: new ones stopped, old ones terminated. */
const REPLACED: DescribeInstancesCommandOutput = {
  $metadata: {},
  Reservations: [
    {
      Instances: [
        { InstanceId: 'i-0old1', State: { Name: 'terminated' } },
        { InstanceId: 'i-0new1', State: { Name: 'stopped' } },
        { InstanceId: 'i-0old2', State: { Name: 'shutting-down' } },
        { InstanceId: 'i-0new2', State: { Name: 'stopped' } },
      ],
    },
  ],
};

/** A provision step's input with the default configuration. */
function stepInput(): StepInput {
  return { executionId: 'arn:exec', executionName: 'run-1', config: DEFAULT_LAB_CONFIG };
}

const OBSERVER: ArmedObserver = {
  observerId: 'arn:exec#scale-out',
  executionId: 'arn:exec',
  expectation: 'scale-out',
  token: 'token-1',
  armedAt: 1_700_000_000_000,
  since: 1_699_999_999_000,
  target: 2,
  coolDownUntil: 1_700_000_400_000,
  healthPollSeconds: 90,
};

describe('the aws Cloud adapter', () => {
  const mocks = {
    autoScaling: mockClient(AutoScalingClient),
    ec2: mockClient(EC2Client),
    elb: mockClient(ElasticLoadBalancingV2Client),
    cloudWatch: mockClient(CloudWatchClient),
    sfn: mockClient(SFNClient),
    eventBridge: mockClient(EventBridgeClient),
    dynamo: mockClient(DynamoDBClient),
  };
  let cloud: AwsCloud;

  beforeEach(() => {
    for (const mock of Object.values(mocks)) mock.reset();
    cloud = new AwsCloud(readAwsCloudEnv(ENV), {
      autoScaling: new AutoScalingClient({ region: 'us-east-1' }),
      ec2: new EC2Client({ region: 'us-east-1' }),
      elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
      cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
      sfn: new SFNClient({ region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    });
  });
  afterEach(() => {
    for (const mock of Object.values(mocks)) mock.reset();
  });

  it('names every missing environment variable', () => {
    expect(() => readAwsCloudEnv({ [AWS_ENV.autoScalingGroupName]: 'g' })).toThrow(
      expect.objectContaining({ name: 'CloudMisconfigured' }),
    );
    expect(() => readAwsCloudEnv({})).toThrow(
      /SCALELAB_ASG_NAME, SCALELAB_LAB_STACK_NAME, .*SCALELAB_OBSERVER_TABLE/,
    );
  });

  it('finds the section-1 instances by tag, every page, leaving replaced ones out', async () => {
    mocks.ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [{ Instances: [{ InstanceId: 'i-0new1', State: { Name: 'stopped' } }] }],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              { InstanceId: 'i-0old1', State: { Name: 'terminated' } },
              { InstanceId: 'i-0new2', State: { Name: 'running' } },
            ],
          },
        ],
      });

    const described = await cloud.describeSection1Instances();

    expect(described).toEqual([
      { instanceId: 'i-0new1', state: 'stopped' },
      { instanceId: 'i-0new2', state: 'running' },
    ]);
    const inputs = mocks.ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { Filters: SECTION1_FILTERS },
      { Filters: SECTION1_FILTERS, NextToken: 'page-2' },
    ]);
  });

  it('provision starts the instances there are now, after a redeploy replaced those it was deployed with', async () => {
    // Prepare: the operator was deployed with i-0old1 / i-0old2; a lab redeploy replaced them.
    mocks.ec2.on(DescribeInstancesCommand).resolves(REPLACED);
    mocks.ec2.on(StartInstancesCommand).resolves({
      StartingInstances: [
        { InstanceId: 'i-0new1', CurrentState: { Name: 'pending' } },
        { InstanceId: 'i-0new2', CurrentState: { Name: 'pending' } },
      ],
    });
    mocks.autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    // Act
    const out = await provision(stepInput(), { cloud });
    // Assess
    expect(mocks.ec2.commandCalls(StartInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceIds: ['i-0new1', 'i-0new2'] },
    ]);
    expect(out.section1).toEqual([
      { instanceId: 'i-0new1', state: 'pending' },
      { instanceId: 'i-0new2', state: 'pending' },
    ]);
  });

  it('tear-down stops the instances there are now and is clean although replaced ones linger', async () => {
    // Prepare: running replacements, terminated originals (EC2 lists those for about an hour).
    const running = structuredClone(REPLACED);
    const stopped = structuredClone(REPLACED);
    for (const instance of running.Reservations?.[0]?.Instances ?? []) {
      if (instance.State?.Name === 'stopped') instance.State.Name = 'running';
    }
    // Tear-down looks once at what is up (its report), once to pick what to stop.
    mocks.ec2.on(DescribeInstancesCommand).resolvesOnce(running).resolvesOnce(running).resolves(stopped);
    mocks.ec2.on(StopInstancesCommand).resolves({});
    mocks.autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'scalelab-serve',
          MinSize: 0,
          MaxSize: 3,
          DesiredCapacity: 0,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-east-1a'],
          HealthCheckType: 'ELB',
          CreatedTime: new Date(),
          Instances: [],
        },
      ],
    });
    mocks.dynamo.on(ScanCommand).resolves({ Items: [] });
    // Act
    const out = await tearDown(
      { executionId: 'arn:exec', executionName: 'exec', config: DEFAULT_LAB_CONFIG },
      { cloud, deployedConfig: DEFAULT_LAB_CONFIG },
    );
    // Assess
    expect(mocks.ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceIds: ['i-0new1', 'i-0new2'] },
    ]);
    expect(out).toMatchObject({ clean: true, leftBehind: [] });
  });

  it('stops nothing when nothing runs, and refuses to start a lab that has no section-1 instance', async () => {
    mocks.ec2.on(DescribeInstancesCommand).resolves(REPLACED);
    await cloud.stopSection1Instances();
    expect(mocks.ec2.commandCalls(StopInstancesCommand)).toEqual([]);

    mocks.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await expect(cloud.startSection1Instances()).rejects.toThrow(
      'no section-1 instance is tagged scalelab:stack=ScalelabLab, scalelab:section=1: is the stack ScalelabLab deployed?',
    );
    expect(mocks.ec2.commandCalls(StartInstancesCommand)).toEqual([]);
  });

  it('sizes and describes the Auto Scaling group', async () => {
    mocks.autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'scalelab-serve',
          MinSize: 0,
          MaxSize: 3,
          DesiredCapacity: 2,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-east-1a'],
          HealthCheckType: 'ELB',
          CreatedTime: new Date(),
          Instances: [
            {
              InstanceId: 'i-1',
              LifecycleState: 'InService',
              HealthStatus: 'Healthy',
              AvailabilityZone: 'us-east-1a',
              ProtectedFromScaleIn: false,
            },
          ],
        },
      ],
    });

    await cloud.updateGroupSize({ minSize: 0, maxSize: 3, desiredCapacity: 1 });
    const group = await cloud.describeGroup();

    expect(mocks.autoScaling.commandCalls(UpdateAutoScalingGroupCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'scalelab-serve',
      MinSize: 0,
      MaxSize: 3,
      DesiredCapacity: 1,
    });
    expect(mocks.autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupNames: ['scalelab-serve'],
    });
    expect(group).toEqual({
      name: 'scalelab-serve',
      minSize: 0,
      maxSize: 3,
      desiredCapacity: 2,
      instances: [{ instanceId: 'i-1', lifecycleState: 'InService', healthStatus: 'Healthy' }],
    });
  });

  it('reads the target health of the right target group and the load balancer URLs', async () => {
    mocks.elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: 'i-1', Port: 5000 }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: 'i-2', Port: 5000 },
          TargetHealth: { State: 'initial', Reason: 'Elb.InitialHealthChecking' },
        },
      ],
    });

    const targets = await cloud.describeTargetHealth('scaling');

    expect(mocks.elb.commandCalls(DescribeTargetHealthCommand)[0]?.args[0].input).toEqual({
      TargetGroupArn: ENV[AWS_ENV.scalingTargetGroupArn],
    });
    expect(targets).toEqual([
      { targetId: 'i-1', port: 5000, state: 'healthy' },
      { targetId: 'i-2', port: 5000, state: 'initial', reason: 'Elb.InitialHealthChecking' },
    ]);
    expect(await cloud.loadBalancerUrl('web')).toBe('http://web.example');
    expect(await cloud.loadBalancerUrl('scaling')).toBe('http://scaling.example');
  });

  it("reads the group's latest average CPU datapoint", async () => {
    mocks.cloudWatch.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [
        { Timestamp: new Date(1000), Average: 10 },
        { Timestamp: new Date(3000), Average: 72.5 },
        { Timestamp: new Date(2000), Average: 40 },
      ],
    });

    expect(await cloud.getGroupCpu()).toBe(72.5);
    const input = mocks.cloudWatch.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'scalelab-serve' }],
      Period: 60,
      Statistics: ['Average'],
    });
    mocks.cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
    expect(await cloud.getGroupCpu()).toBeUndefined();
  });

  it('puts lab events in batches of ten and fails on a failed entry', async () => {
    mocks.eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const events = Array.from({ length: 12 }, (_, i) => ({ detailType: 'Lab Phase Changed', detail: { i } }));

    await cloud.putEvents(events);

    const calls = mocks.eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[0]?.args[0].input.Entries?.[0]).toEqual({
      Source: 'scalelab',
      DetailType: 'Lab Phase Changed',
      Detail: '{"i":0}',
      EventBusName: 'default',
    });
    mocks.eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    await expect(cloud.putEvents(events.slice(0, 1))).rejects.toMatchObject({ name: 'TransientCloudError' });
  });

  it('sends task responses and reports a closed task as an outcome, not an error', async () => {
    mocks.sfn.on(SendTaskSuccessCommand).resolves({});

    expect(await cloud.sendTaskSuccess('token-1', { inService: 2 })).toBe('sent');
    expect(mocks.sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"inService":2}',
    });

    mocks.sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } }));
    mocks.sfn
      .on(SendTaskHeartbeatCommand)
      .rejects(new TaskTimedOut({ message: 'late', $metadata: { httpStatusCode: 400 } }));
    expect(await cloud.sendTaskSuccess('token-1', {})).toBe('task-closed');
    expect(await cloud.sendTaskHeartbeat('token-1')).toBe('task-closed');
  });

  it('turns throttling into a TransientCloudError and passes other errors through', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttled);
    await expect(cloud.describeGroup()).rejects.toMatchObject({ name: 'TransientCloudError' });

    const denied = Object.assign(new Error('no'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(denied);
    await expect(cloud.describeGroup()).rejects.toMatchObject({ name: 'AccessDenied' });

    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await expect(cloud.describeGroup()).rejects.toMatchObject({ name: 'CloudMisconfigured' });
  });

  it('treats EC2 having no capacity for the type right now as transient', async () => {
    mocks.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-0new1', State: { Name: 'stopped' } }] }],
    });
    const noCapacity = Object.assign(
      new Error(
        'We currently do not have sufficient t3.micro capacity in the Availability Zone you requested',
      ),
      { name: 'InsufficientInstanceCapacity', $metadata: { httpStatusCode: 400 } },
    );
    mocks.ec2.on(StartInstancesCommand).rejects(noCapacity);

    await expect(cloud.startSection1Instances()).rejects.toMatchObject({
      name: 'TransientCloudError',
      message: expect.stringContaining('StartInstances failed'),
      cause: noCapacity,
    });
  });

  it('stores, lists (all pages) and deletes armed observers in the table', async () => {
    mocks.dynamo
      .on(PutItemCommand)
      .resolvesOnce({})
      .resolves({ Attributes: { token: { S: 'token-0' } } });
    mocks.dynamo.on(DeleteItemCommand).resolves({});
    const first = await cloud.armObserver(OBSERVER);
    const second = await cloud.armObserver(OBSERVER);
    const item = mocks.dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item;
    mocks.dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [item ?? {}], LastEvaluatedKey: { observerId: { S: OBSERVER.observerId } } })
      .resolvesOnce({ Items: [] });

    const listed = await cloud.getArmedObservers();
    await cloud.disarm(OBSERVER);

    expect([first, second]).toEqual([{ rearmed: false }, { rearmed: true }]);
    expect(mocks.dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'scalelab-observers',
      ReturnValues: 'ALL_OLD',
      Item: {
        observerId: { S: 'arn:exec#scale-out' },
        executionId: { S: 'arn:exec' },
        expectation: { S: 'scale-out' },
        token: { S: 'token-1' },
        armedAt: { N: '1700000000000' },
        since: { N: '1699999999000' },
        target: { N: '2' },
        coolDownUntil: { N: '1700000400000' },
        healthPollSeconds: { N: '90' },
        expiresAt: { N: String(1_700_000_000 + 86_400) },
      },
    });
    expect(listed).toEqual([OBSERVER]);
    const scans = mocks.dynamo.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(scans).toEqual([
      { TableName: 'scalelab-observers', ConsistentRead: true, ExclusiveStartKey: undefined },
      {
        TableName: 'scalelab-observers',
        ConsistentRead: true,
        ExclusiveStartKey: { observerId: { S: OBSERVER.observerId } },
      },
    ]);
    expect(mocks.dynamo.commandCalls(DeleteItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'scalelab-observers',
      Key: { observerId: { S: 'arn:exec#scale-out' } },
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':token': { S: 'token-1' } },
    });
  });

  it('leaves an observer re-armed with a newer token in place, and rethrows other delete errors', async () => {
    const conditionFailed = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    const denied = Object.assign(new Error('no'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    mocks.dynamo.on(DeleteItemCommand).rejectsOnce(conditionFailed).rejects(denied);

    await expect(cloud.disarm(OBSERVER)).resolves.toBeUndefined();
    await expect(cloud.disarm(OBSERVER)).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
