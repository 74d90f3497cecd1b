/**
 * The EventBridge rule that targets on-execution-end: the lab workflow's executions reaching an
 * end. The CDK rule and the local bus both use this very object.
 */
import { STATUS_CHANGE_DETAIL_TYPE, STEP_FUNCTIONS_EVENT_SOURCE } from '../../lab/aws-facts.js';

/**
 * Every end, not only ABORTED and TIMED_OUT: an execution whose own tear-down failed (FAILED)
 * still holds the lab, and the handler does nothing for one that released it.
 */
export const ENDED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** The pattern for the executions of state machine `stateMachineArn` (a CDK token works). */
export function executionEndPattern(stateMachineArn: string) {
  return {
    source: [STEP_FUNCTIONS_EVENT_SOURCE],
    'detail-type': [STATUS_CHANGE_DETAIL_TYPE],
    detail: { status: [...ENDED_STATUSES], stateMachineArn: [stateMachineArn] },
  };
}
