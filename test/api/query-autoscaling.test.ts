/** Auto Scaling through the real SDK v3 client against the local endpoint (AWS query protocol). */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_TRANSITIONS, NO_ACTIVE_LIFECYCLE_ACTION } from '../../lab/aws-facts.js';
import { waitFor } from '../helpers/wait-for.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { rejection } from './harness.js';

function createGroup(e: CloudEndpoint, name: string, maxSize = 1): void {
  e.cloud.autoscaling.createAutoScalingGroup({
    autoScalingGroupName: name,
    app: 'serve',
    instanceType: 't3.micro',
    minSize: 0,
    maxSize,
    desiredCapacity: 0,
  });
}

describe('Auto Scaling through the SDK (groups without instances)', () => {
  let e: CloudEndpoint;
  beforeEach(async () => {
    e = await startCloudEndpoint();
    for (const name of ['a', 'b', 'c']) createGroup(e, name);
  });
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it("describes groups in the SDK's shapes, named or all, in pages of MaxRecords", async () => {
    const named = await e.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['b', 'zz'] }),
    );
    const first = await e.autoScaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 2 }));
    const second = await e.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ MaxRecords: 2, NextToken: first.NextToken }),
    );

    expect(named.AutoScalingGroups).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'b',
        AutoScalingGroupARN: expect.stringMatching(
          /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:/,
        ),
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        AvailabilityZones: ['us-east-1a'],
        HealthCheckType: 'EC2',
        Instances: [],
        TargetGroupARNs: [],
        CreatedTime: expect.any(Date),
      }),
    ]);
    expect(first.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['a', 'b']);
    expect(second.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('updates size bounds; refuses bounds that contradict and unknown groups with ValidationError', async () => {
    await e.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'a', MaxSize: 3 }));
    const contradiction = await rejection(
      e.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'a', MinSize: 3, MaxSize: 2 }),
      ),
    );
    const unknown = await rejection(
      e.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ghost', MaxSize: 2 })),
    );

    expect(e.cloud.autoscaling.describeAutoScalingGroups(['a'])[0]?.MaxSize).toBe(3);
    expect(contradiction.name).toBe('ValidationError');
    expect(contradiction.$metadata?.httpStatusCode).toBe(400);
    expect(unknown.name).toBe('ValidationError');
    expect(unknown.message).toMatch(/AutoScalingGroup name not found/);
  });

  it('describes target-tracking policies with their alarms', async () => {
    const put = e.cloud.autoscaling.putScalingPolicy({
      autoScalingGroupName: 'a',
      policyName: 'cpu50',
      targetValue: 50,
      estimatedInstanceWarmup: 60,
    });

    const out = await e.autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'a' }));
    const none = await e.autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'b' }));
    const ghost = await e.autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'ghost' }));

    expect(out.ScalingPolicies).toEqual([
      {
        AutoScalingGroupName: 'a',
        PolicyName: 'cpu50',
        PolicyARN: put.PolicyARN,
        PolicyType: 'TargetTrackingScaling',
        EstimatedInstanceWarmup: 60,
        Alarms: put.Alarms.map(({ AlarmName }) => ({
          AlarmName,
          AlarmARN: expect.stringContaining(AlarmName),
        })),
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 50,
          DisableScaleIn: false,
        },
        Enabled: true,
      },
    ]);
    expect(none.ScalingPolicies).toEqual([]);
    expect(ghost.ScalingPolicies).toEqual([]);
  });

  it('describes lifecycle hooks; refuses an unknown group and a missing group name', async () => {
    e.cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: 'a',
      lifecycleHookName: 'launching',
      lifecycleTransition: LIFECYCLE_TRANSITIONS.launching,
      heartbeatTimeout: 60,
    });

    const out = await e.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'a' }));
    const unknown = await rejection(
      e.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'ghost' })),
    );
    const missing = await rejection(
      e.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: undefined })),
    );

    expect(out.LifecycleHooks).toEqual([
      {
        LifecycleHookName: 'launching',
        AutoScalingGroupName: 'a',
        LifecycleTransition: LIFECYCLE_TRANSITIONS.launching,
        HeartbeatTimeout: 60,
        GlobalTimeout: 6000,
        DefaultResult: 'ABANDON',
      },
    ]);
    expect(unknown.name).toBe('ValidationError');
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toMatch(/Value null at 'autoScalingGroupName'/);
  });

  it('answers CompleteLifecycleAction for an instance not waiting as AWS does (the adapter reads it as not-waiting)', async () => {
    e.cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: 'a',
      lifecycleHookName: 'launching',
      lifecycleTransition: LIFECYCLE_TRANSITIONS.launching,
    });

    const error = await rejection(
      e.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: 'a',
          LifecycleHookName: 'launching',
          LifecycleActionResult: 'CONTINUE',
          InstanceId: 'i-0123456789abcdef0',
        }),
      ),
    );

    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(NO_ACTIVE_LIFECYCLE_ACTION);
  });

  it('lists no activities for a group that never scaled, nor for an unknown group', async () => {
    const out = await e.autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'a' }));
    const ghost = await e.autoScaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'ghost' }),
    );

    expect(out.Activities).toEqual([]);
    expect(ghost.Activities).toEqual([]);
  });
});

describe('Auto Scaling through the SDK (one launch held by a lifecycle hook)', () => {
  let e: CloudEndpoint;
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it('scales out on UpdateAutoScalingGroup, holds the launch, completes it and lists the activity', async () => {
    e = await startCloudEndpoint();
    createGroup(e, 'asg');
    e.cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: 'asg',
      lifecycleHookName: 'launching',
      lifecycleTransition: LIFECYCLE_TRANSITIONS.launching,
    });
    const instances = async () =>
      (await e.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg'] })))
        .AutoScalingGroups?.[0]?.Instances ?? [];

    await e.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'asg', DesiredCapacity: 1 }),
    );
    const [waiting] = await waitFor(
      async () => {
        const found = await instances();
        return found[0]?.LifecycleState === 'Pending:Wait' ? found : undefined;
      },
      { what: 'the launch in Pending:Wait' },
    );
    await e.autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: 'asg',
        LifecycleHookName: 'launching',
        LifecycleActionResult: 'CONTINUE',
        InstanceId: waiting?.InstanceId,
      }),
    );
    await waitFor(async () => (await instances())[0]?.LifecycleState === 'InService', {
      what: 'the instance in service',
      timeoutMs: 20_000,
    });
    const out = await e.autoScaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'asg' }),
    );

    expect(waiting).toMatchObject({
      AvailabilityZone: 'us-east-1a',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    });
    expect(out.Activities).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'asg',
        Description: `Launching a new EC2 instance: ${waiting?.InstanceId}`,
        StatusCode: 'Successful',
        Progress: 100,
        StartTime: expect.any(Date),
        EndTime: expect.any(Date),
        Cause: expect.stringMatching(/^At \d{4}-/),
      }),
    ]);
  });
});
