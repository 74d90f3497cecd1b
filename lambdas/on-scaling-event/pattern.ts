/**
 * The EventBridge rule that targets on-scaling-event: Auto Scaling launch and terminate events of
 * the lab's group. The CDK rule and the local bus both use this very object.
 */
import { DEFAULT_LAB_CONFIG } from '../../lab/config.js';

/** The detail-types the observer reacts to (unsuccessful ones too: they are progress to report). */
export const SCALING_DETAIL_TYPES = [
  'EC2 Instance Launch Successful',
  'EC2 Instance Launch Unsuccessful',
  'EC2 Instance Terminate Successful',
  'EC2 Instance Terminate Unsuccessful',
] as const;

/** The event pattern for the Auto Scaling group `groupName`. */
export function scalingEventPattern(groupName: string) {
  return {
    source: ['aws.autoscaling'],
    'detail-type': [...SCALING_DETAIL_TYPES],
    detail: { AutoScalingGroupName: [groupName] },
  };
}

/** The pattern for the default configuration's group. */
export const SCALING_EVENT_PATTERN = scalingEventPattern(DEFAULT_LAB_CONFIG.section2.autoScalingGroupName);
