import { afterEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_TRANSITIONS } from '../../lab/aws-facts.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  activityEventOf,
  closeHookedGroups,
  DEREGISTRATION_DELAY_SECONDS,
  ec2StateOf,
  GROUP,
  type HookedGroup,
  hookedGroup,
  lifecycleStateOf,
  nthAction,
  targetStateOf,
  UUID,
} from './hooked-group.js';

const TERMINATE_ACTION = 'EC2 Instance-terminate Lifecycle Action';
const TERMINATING = LIFECYCLE_TRANSITIONS.terminating;

afterEach(closeHookedGroups);

/** Waits for the group's one instance in service, then scales in to 0; returns it and when. */
async function scaleInOne(h: HookedGroup): Promise<{ id: string; scaledInAt: number }> {
  const launched = await waitFor(
    () => h.activities.find((e) => e['detail-type'] === 'EC2 Instance Launch Successful'),
    { what: 'the instance in service' },
  );
  const scaledInAt = h.cloud.clock.now();
  h.cloud.autoscaling.setDesiredCapacity({ autoScalingGroupName: GROUP, desiredCapacity: 0 });
  return { id: launched.detail.EC2InstanceId, scaledInAt };
}

describe('a terminate lifecycle hook', () => {
  it('holds a drained instance in Terminating:Wait until CONTINUE, then terminates it', async () => {
    // Prepare
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [
        { lifecycleHookName: 'drained', lifecycleTransition: TERMINATING, notificationMetadata: 'bye' },
      ],
    });
    const { id, scaledInAt } = await scaleInOne(h);

    // Act
    const action = await nthAction(h, TERMINATE_ACTION);

    // Assess: the wait began once the target was deregistered and drained; the instance still runs
    const [group] = h.cloud.autoscaling.describeAutoScalingGroups([GROUP]);
    expect(action.resources).toEqual([group?.AutoScalingGroupARN]);
    expect(action.detail).toEqual({
      LifecycleActionToken: expect.stringMatching(UUID),
      AutoScalingGroupName: GROUP,
      LifecycleHookName: 'drained',
      EC2InstanceId: id,
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      NotificationMetadata: 'bye',
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
    });
    // An event's time is written to the second, as AWS writes it.
    expect(Date.parse(action.time) + 1000 - scaledInAt).toBeGreaterThan(DEREGISTRATION_DELAY_SECONDS * 1000);
    expect(lifecycleStateOf(h, id)).toBe('Terminating:Wait');
    expect(targetStateOf(h, id)).toBe('unused');
    expect(ec2StateOf(h, id)).toBe('running');
    const terminating = h.cloud.autoscaling.describeScalingActivities(GROUP)[0];
    expect(terminating).toMatchObject({
      Description: `Terminating EC2 instance: ${id}`,
      StatusCode: 'MidLifecycleAction',
    });

    // Act
    h.cloud.autoscaling.completeLifecycleAction({
      autoScalingGroupName: GROUP,
      lifecycleHookName: 'drained',
      instanceId: id,
      lifecycleActionResult: 'CONTINUE',
    });

    // Assess
    await activityEventOf(h, 'EC2 Instance Terminate Successful', id);
    expect(lifecycleStateOf(h, id)).toBeUndefined();
    expect(h.cloud.autoscaling.describeScalingActivities(GROUP)[0]).toMatchObject({
      ActivityId: terminating?.ActivityId,
      StatusCode: 'Successful',
    });
    await waitFor(() => ec2StateOf(h, id) === 'terminated', { what: 'the instance terminated' });
  });

  it('terminates the instance when the heartbeat timeout runs out, with DefaultResult ABANDON too', async () => {
    const h = await hookedGroup({
      desiredCapacity: 1,
      hooks: [{ lifecycleHookName: 'drained', lifecycleTransition: TERMINATING, heartbeatTimeout: 30 }],
    });
    const { id } = await scaleInOne(h);
    const action = await nthAction(h, TERMINATE_ACTION);
    expect(lifecycleStateOf(h, id)).toBe('Terminating:Wait');

    const terminated = await activityEventOf(h, 'EC2 Instance Terminate Successful', id);

    // The event's time is written to the second; the activity's EndTime to the millisecond.
    expect(Date.parse(terminated.detail.EndTime) - Date.parse(action.time)).toBeGreaterThanOrEqual(30_000);
    expect(lifecycleStateOf(h, id)).toBeUndefined();
    await waitFor(() => ec2StateOf(h, id) === 'terminated', { what: 'the instance terminated' });
  });
});
