/**
 * The EventBridge rule that targets on-scaling-event: the lab group's Auto Scaling launch and
 * terminate events, and the lifecycle-action events of the lab's own hooks on that group. The CDK
 * rule and the local bus both use this very object.
 */
import {
  AUTO_SCALING_DETAIL_TYPES,
  AUTO_SCALING_EVENT_SOURCE,
  LIFECYCLE_ACTION_DETAIL_TYPES,
} from '../../lab/aws-facts.js';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';
import { LAB_LIFECYCLE_HOOKS } from '../../lab/lifecycle-hooks.js';

/** The detail-types the observer reacts to (unsuccessful ones too: they are progress to report). */
export const SCALING_DETAIL_TYPES = Object.values(AUTO_SCALING_DETAIL_TYPES);

/** The lifecycle-action detail-types on-scaling-event takes part in. */
export const LIFECYCLE_DETAIL_TYPES = Object.values(LIFECYCLE_ACTION_DETAIL_TYPES);

/** The launch and terminate events (what happened) of the Auto Scaling group `groupName`. */
export function scalingActivityPattern(groupName: string) {
  return {
    source: [AUTO_SCALING_EVENT_SOURCE],
    'detail-type': [...SCALING_DETAIL_TYPES],
    detail: { AutoScalingGroupName: [groupName] },
  };
}

/**
 * The lifecycle-action events (an instance waits for someone to act) of the lab's hooks on the
 * group `groupName`: another hook on that group is someone else's to complete.
 */
export function lifecycleActionPattern(groupName: string) {
  return {
    source: [AUTO_SCALING_EVENT_SOURCE],
    'detail-type': [...LIFECYCLE_DETAIL_TYPES],
    detail: {
      AutoScalingGroupName: [groupName],
      LifecycleHookName: LAB_LIFECYCLE_HOOKS.map((hook) => hook.name),
    },
  };
}

/** The on-scaling-event rule's pattern for the group `groupName`: either of the two above. */
export function scalingEventPattern(groupName: string) {
  return { $or: [scalingActivityPattern(groupName), lifecycleActionPattern(groupName)] };
}

/** The pattern for the default configuration's group. */
export const SCALING_EVENT_PATTERN = scalingEventPattern(DEFAULT_LAB_CONFIG.section2.autoScalingGroupName);
