import {
  AUTO_SCALING_EVENT_SOURCE,
  LIFECYCLE_ACTION_DETAIL_TYPES,
  LIFECYCLE_TRANSITIONS,
  type LifecycleTransition,
} from '../../lab/aws-facts.js';
import type { PutEventsRequestEntry } from '../eventbridge/index.js';
import type { LifecycleAction } from './lifecycle-actions.js';

/**
 * Where an instance comes from and goes to in a lifecycle action event: `EC2`, `AutoScalingGroup`
 * or `WarmPool` (https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-eventbridge-events.html).
 * The local cloud has no warm pool, so `WarmPool` never appears.
 */
export type LifecycleEndpoint = 'EC2' | 'AutoScalingGroup' | 'WarmPool';

/**
 * Origin and Destination of the transitions the local cloud models. A launch goes from EC2 to the
 * group (documented example event); a termination from the group to EC2 (observed in AWS's
 * lifecycle notifications; the event reference's example omits the two fields).
 */
export const LIFECYCLE_ROUTES: Record<
  LifecycleTransition,
  { Origin: LifecycleEndpoint; Destination: LifecycleEndpoint }
> = {
  [LIFECYCLE_TRANSITIONS.launching]: { Origin: 'EC2', Destination: 'AutoScalingGroup' },
  [LIFECYCLE_TRANSITIONS.terminating]: { Origin: 'AutoScalingGroup', Destination: 'EC2' },
};

/** The detail of `EC2 Instance-launch Lifecycle Action` / `EC2 Instance-terminate Lifecycle Action`. */
export interface LifecycleActionEventDetail {
  LifecycleActionToken: string;
  AutoScalingGroupName: string;
  LifecycleHookName: string;
  EC2InstanceId: string;
  LifecycleTransition: LifecycleTransition;
  /** Only when the hook has some. */
  NotificationMetadata?: string;
  Origin: LifecycleEndpoint;
  Destination: LifecycleEndpoint;
}

/**
 * The event Auto Scaling sends when an instance enters a hook's wait state, shaped as AWS's event
 * reference shows it: `resources` holds the group's ARN only
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html).
 */
export function lifecycleActionEvent(
  group: { name: string; arn: string },
  action: LifecycleAction,
): PutEventsRequestEntry {
  const launching = action.transition === LIFECYCLE_TRANSITIONS.launching;
  const { notificationMetadata } = action.hook;
  const detail: LifecycleActionEventDetail = {
    LifecycleActionToken: action.token,
    AutoScalingGroupName: group.name,
    LifecycleHookName: action.hook.name,
    EC2InstanceId: action.instanceId,
    LifecycleTransition: action.transition,
    ...(notificationMetadata === undefined ? {} : { NotificationMetadata: notificationMetadata }),
    ...LIFECYCLE_ROUTES[action.transition],
  };
  return {
    Source: AUTO_SCALING_EVENT_SOURCE,
    DetailType: launching ? LIFECYCLE_ACTION_DETAIL_TYPES.launch : LIFECYCLE_ACTION_DETAIL_TYPES.terminate,
    Detail: JSON.stringify(detail),
    Resources: [group.arn],
    Time: new Date(action.startedAt).toISOString(),
  };
}
