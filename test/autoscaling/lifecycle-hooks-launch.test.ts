import { afterEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_TRANSITIONS } from '../../lab/aws-facts.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  activityEventOf,
  closeHookedGroups,
  ec2StateOf,
  GROUP,
  hookedGroup,
  lifecycleStateOf,
  nthAction,
  targetStateOf,
  UUID,
} from './hooked-group.js';

const LAUNCH_ACTION = 'EC2 Instance-launch Lifecycle Action';
const LAUNCHING = LIFECYCLE_TRANSITIONS.launching;

afterEach(closeHookedGroups);

describe('a launch lifecycle hook', () => {
  it('holds a new instance in Pending:Wait, out of the target group and the metric, until CONTINUE by token', async () => {
    // Prepare
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [
        { lifecycleHookName: 'app-ready', lifecycleTransition: LAUNCHING, notificationMetadata: 'lab=1' },
      ],
    });

    // Act
    const action = await nthAction(h, LAUNCH_ACTION);
    const id = action.detail.EC2InstanceId;
    await waitFor(() => ec2StateOf(h, id) === 'running', { what: 'the instance running' });
    const runningAt = h.cloud.clock.now();
    await waitFor(() => h.cloud.clock.now() > runningAt + 30_000, { what: 'three CPU sampling intervals' });

    // Assess: waiting, counted in the group, not registered, not sampled, nothing else launched
    const [group] = h.cloud.autoscaling.describeAutoScalingGroups([GROUP]);
    expect(action.source).toBe('aws.autoscaling');
    expect(action.resources).toEqual([group?.AutoScalingGroupARN]);
    expect(action.detail).toEqual({
      LifecycleActionToken: expect.stringMatching(UUID),
      AutoScalingGroupName: GROUP,
      LifecycleHookName: 'app-ready',
      EC2InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      NotificationMetadata: 'lab=1',
      Origin: 'EC2',
      Destination: 'AutoScalingGroup',
    });
    expect(group?.Instances?.map((i) => [i.InstanceId, i.LifecycleState])).toEqual([[id, 'Pending:Wait']]);
    expect(targetStateOf(h, id)).toBe('unused');
    expect(h.cloud.metrics.samples().filter((s) => s.dimensions.InstanceId === id)).toEqual([]);
    expect(h.cloud.autoscaling.describeScalingActivities(GROUP)[0]?.StatusCode).toBe('MidLifecycleAction');
    expect(h.activities).toEqual([]);

    // Act
    const token = action.detail.LifecycleActionToken;
    h.cloud.autoscaling.completeLifecycleAction({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'app-ready',
      lifecycleActionToken: token,
      lifecycleActionResult: 'CONTINUE',
    });

    // Assess: in service, registered, sampled, and the action is closed
    expect(lifecycleStateOf(h, id)).toBe('InService');
    expect(targetStateOf(h, id)).not.toBe('unused');
    await activityEventOf(h, 'EC2 Instance Launch Successful', id);
    expect(h.cloud.autoscaling.describeScalingActivities(GROUP)[0]?.StatusCode).toBe('Successful');
    await waitFor(() => h.cloud.metrics.samples().some((s) => s.dimensions.InstanceId === id), {
      what: 'a CPU sample of the instance in service',
    });
    expect(() =>
      h.cloud.autoscaling.completeLifecycleAction({
        autoScalingGroupName: GROUP,
        lifecycleHookName: 'app-ready',
        lifecycleActionToken: token,
        lifecycleActionResult: 'CONTINUE',
      }),
    ).toThrow(`No active Lifecycle Action found with token ${token}`);
  });

  it('completes by instance id before boot ends: Pending:Proceed until EC2 reports the instance running', async () => {
    // Prepare: a long boot, so the action is completed while EC2 still says pending
    const h = await hookedGroup({ desiredCapacity: 0, bootSeconds: 120, hooks: [] });
    h.cloud.autoscaling.putLifecycleHook({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'app-ready',
      lifecycleTransition: LAUNCHING,
    });
    h.cloud.autoscaling.setDesiredCapacity({ autoScalingGroupName: GROUP, desiredCapacity: 1 });
    const action = await nthAction(h, LAUNCH_ACTION);
    const id = action.detail.EC2InstanceId;
    expect(action.detail).not.toHaveProperty('NotificationMetadata');
    expect(ec2StateOf(h, id)).toBe('pending');

    // Act
    h.cloud.autoscaling.completeLifecycleAction({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'app-ready',
      instanceId: id,
      lifecycleActionResult: 'CONTINUE',
    });

    // Assess
    expect(lifecycleStateOf(h, id)).toBe('Pending:Proceed');
    expect(targetStateOf(h, id)).toBe('unused');
    await waitFor(() => lifecycleStateOf(h, id) === 'InService', { what: 'the instance in service' });
    expect(ec2StateOf(h, id)).toBe('running');
    expect(targetStateOf(h, id)).not.toBe('unused');
  });

  it('puts the instance in service when the heartbeat timeout runs out with DefaultResult CONTINUE', async () => {
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [
        {
          lifecycleHookName: 'app-ready',
          lifecycleTransition: LAUNCHING,
          heartbeatTimeout: 30,
          defaultResult: 'CONTINUE',
        },
      ],
    });
    const action = await nthAction(h, LAUNCH_ACTION);
    const id = action.detail.EC2InstanceId;

    const launched = await activityEventOf(h, 'EC2 Instance Launch Successful', id);

    // The event's time is written to the second; the activity's EndTime to the millisecond.
    expect(Date.parse(launched.detail.EndTime) - Date.parse(action.time)).toBeGreaterThanOrEqual(30_000);
    expect(lifecycleStateOf(h, id)).toBe('InService');
    expect(targetStateOf(h, id)).not.toBe('unused');
  });

  it('terminates an instance whose launch is abandoned and launches a replacement', async () => {
    // Prepare
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [{ lifecycleHookName: 'app-ready', lifecycleTransition: LAUNCHING }],
    });
    const first = await nthAction(h, LAUNCH_ACTION);
    const id = first.detail.EC2InstanceId;
    const token = first.detail.LifecycleActionToken;

    // Act
    h.cloud.autoscaling.completeLifecycleAction({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'app-ready',
      lifecycleActionToken: token,
      lifecycleActionResult: 'ABANDON',
    });

    // Assess: the launch failed with AWS's status message, the instance is gone, another waits
    const message = `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: Lifecycle Action Completed with ABANDON Result`;
    const failed = await activityEventOf(h, 'EC2 Instance Launch Unsuccessful', id);
    expect(failed.detail).toMatchObject({ StatusCode: 'Failed', StatusMessage: message });
    const activity = h.cloud.autoscaling
      .describeScalingActivities(GROUP)
      .find((a) => a.Description === `Launching a new EC2 instance: ${id}`);
    expect(activity).toMatchObject({ StatusCode: 'Cancelled', StatusMessage: message, Progress: 100 });
    await waitFor(() => ec2StateOf(h, id) === 'terminated', { what: 'the abandoned instance terminated' });
    const second = await nthAction(h, LAUNCH_ACTION, 2);
    expect(second.detail.EC2InstanceId).not.toBe(id);
    expect(lifecycleStateOf(h, id)).toBeUndefined();
    expect(lifecycleStateOf(h, second.detail.EC2InstanceId)).toBe('Pending:Wait');
    expect(targetStateOf(h, id)).toBe('unused');
  });

  it('abandons at the heartbeat timeout with DefaultResult ABANDON, later for each heartbeat recorded', async () => {
    // Prepare
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [{ lifecycleHookName: 'app-ready', lifecycleTransition: LAUNCHING, heartbeatTimeout: 30 }],
    });
    const first = await nthAction(h, LAUNCH_ACTION);
    const id = first.detail.EC2InstanceId;
    const waitStart = Date.parse(first.time);
    await waitFor(() => h.cloud.clock.now() >= waitStart + 15_000, { what: 'half the heartbeat timeout' });
    expect(lifecycleStateOf(h, id)).toBe('Pending:Wait');

    // Act
    const heartbeatAt = h.cloud.clock.now();
    h.cloud.autoscaling.recordLifecycleActionHeartbeat({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'app-ready',
      instanceId: id,
    });

    // Assess: not abandoned at start + 30 s but 30 s after the heartbeat
    const failed = await activityEventOf(h, 'EC2 Instance Launch Unsuccessful', id);
    expect(Date.parse(failed.detail.EndTime)).toBeGreaterThanOrEqual(heartbeatAt + 30_000);
    expect(failed.detail.StatusMessage).toBe(
      `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${first.detail.LifecycleActionToken} was abandoned: Heartbeat Timeout`,
    );
    const second = await nthAction(h, LAUNCH_ACTION, 2);
    expect(second.detail.EC2InstanceId).not.toBe(id);
    await waitFor(() => ec2StateOf(h, id) === 'terminated', { what: 'the abandoned instance terminated' });
  });

  it('abandons waiting launches when their hook is deleted; the replacement is not held', async () => {
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [{ lifecycleHookName: 'app-ready', lifecycleTransition: LAUNCHING }],
    });
    const first = await nthAction(h, LAUNCH_ACTION);
    const id = first.detail.EC2InstanceId;

    h.cloud.autoscaling.deleteLifecycleHook({ autoScalingGroupName: GROUP, lifecycleHookName: 'app-ready' });

    const failed = await activityEventOf(h, 'EC2 Instance Launch Unsuccessful', id);
    expect(failed.detail.StatusMessage).toMatch(/was abandoned: Lifecycle Hook Deleted$/);
    const replacement = await waitFor(
      () =>
        h.activities.find(
          (e) => e['detail-type'] === 'EC2 Instance Launch Successful' && e.detail.EC2InstanceId !== id,
        ),
      { what: 'a replacement in service' },
    );
    expect(lifecycleStateOf(h, replacement.detail.EC2InstanceId)).toBe('InService');
    expect(h.actions).toHaveLength(1);
  });
});
