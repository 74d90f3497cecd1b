/**
 * The EventBridge rule that feeds the notifier: the lab workflow's status changes, the lab's
 * phase, verdict and torn-down events and the lab group's Auto Scaling events. The CDK rule and the local
 * bus use this very object.
 */

import { STATUS_CHANGE_DETAIL_TYPE, STEP_FUNCTIONS_EVENT_SOURCE } from '../../../lab/aws-facts.js';
import { DEFAULT_LAB_CONFIG } from '../../../lab/config.js';
import {
  LAB_EVENT_SOURCE,
  LAB_TORN_DOWN_EVENT_TYPE,
  PHASE_EVENT_TYPE,
  VERDICT_EVENT_TYPE,
} from '../../../lab/events.js';
import { scalingActivityPattern } from '../../on-scaling-event/pattern.js';

/**
 * The statuses worth a message. SUCCEEDED is left out on purpose: the lab's verdict event has
 * already said how it went (and with more), so a second "succeeded" message would be noise.
 */
export const NOTIFIED_STATUSES = ['RUNNING', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface NotifyPatternOptions {
  /** Only this state machine's executions (a CDK token works); every one when omitted. */
  stateMachineArn?: string;
  /** The lab's Auto Scaling group. */
  autoScalingGroupName?: string;
}

/** The pattern for the notifier's rule: three sub-patterns ORed with `$or`. */
export function notifyEventPattern(options: NotifyPatternOptions = {}) {
  const groupName = options.autoScalingGroupName ?? DEFAULT_LAB_CONFIG.section2.autoScalingGroupName;
  return {
    $or: [
      {
        source: [STEP_FUNCTIONS_EVENT_SOURCE],
        'detail-type': [STATUS_CHANGE_DETAIL_TYPE],
        detail: {
          status: [...NOTIFIED_STATUSES],
          ...(options.stateMachineArn ? { stateMachineArn: [options.stateMachineArn] } : {}),
        },
      },
      {
        source: [LAB_EVENT_SOURCE],
        'detail-type': [PHASE_EVENT_TYPE, VERDICT_EVENT_TYPE, LAB_TORN_DOWN_EVENT_TYPE],
      },
      // The scaling events the lab judges by (not the lifecycle actions: nothing to tell a person).
      scalingActivityPattern(groupName),
    ],
  };
}

/** The pattern for the default configuration's group, any state machine. */
export const NOTIFY_EVENT_PATTERN = notifyEventPattern();
