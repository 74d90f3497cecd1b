/**
 * The EventBridge rule that targets on-scaling-event: Auto Scaling launch and terminate events of
 * the lab's group. The CDK rule and the local bus both use this very object.
 */
import { AUTO_SCALING_DETAIL_TYPES, AUTO_SCALING_EVENT_SOURCE } from '../../lab/aws-facts.js';
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';

/** The detail-types the observer reacts to (unsuccessful ones too: they are progress to report). */
export const SCALING_DETAIL_TYPES = Object.values(AUTO_SCALING_DETAIL_TYPES);

/** The event pattern for the Auto Scaling group `groupName`. */
export function scalingEventPattern(groupName: string) {
  return {
    source: [AUTO_SCALING_EVENT_SOURCE],
    'detail-type': [...SCALING_DETAIL_TYPES],
    detail: { AutoScalingGroupName: [groupName] },
  };
}

/** The pattern for the default configuration's group. */
export const SCALING_EVENT_PATTERN = scalingEventPattern(DEFAULT_LAB_CONFIG.section2.autoScalingGroupName);
