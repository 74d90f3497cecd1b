/**
 * The AWS facts the lab relies on, in one place: what the workflow, the emulator, the stacks and
 * the CLI all assume about AWS. Each names its source; "observed" means AWS does not document it
 * and the figure is what real accounts show (docs/aws-behaviour.md has the details).
 */

// Target tracking (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html)

/** AlarmHigh needs this many consecutive breaching 1-period datapoints (observed on real accounts). */
export const TARGET_TRACKING_HIGH_DATAPOINTS = 3;
/** AlarmLow needs this many consecutive datapoints below the low threshold (observed on real accounts). */
export const TARGET_TRACKING_LOW_DATAPOINTS = 15;
/** AlarmLow's threshold is this fraction of the target (observed on real accounts). */
export const TARGET_TRACKING_LOW_RATIO = 0.9;
/** Both alarms use 1-minute periods (detailed monitoring), in seconds. */
export const TARGET_TRACKING_PERIOD_SECONDS = 60;

// Auto Scaling events on EventBridge
// (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html)

/** The source of every Auto Scaling event. */
export const AUTO_SCALING_EVENT_SOURCE = 'aws.autoscaling';

/** detail-types of the Auto Scaling instance launch and terminate events (AWS's exact strings). */
export const AUTO_SCALING_DETAIL_TYPES = {
  launchSuccessful: 'EC2 Instance Launch Successful',
  launchUnsuccessful: 'EC2 Instance Launch Unsuccessful',
  terminateSuccessful: 'EC2 Instance Terminate Successful',
  terminateUnsuccessful: 'EC2 Instance Terminate Unsuccessful',
} as const;

/** One of {@link AUTO_SCALING_DETAIL_TYPES}. */
export type AutoScalingDetailType =
  (typeof AUTO_SCALING_DETAIL_TYPES)[keyof typeof AUTO_SCALING_DETAIL_TYPES];

// Step Functions (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html)

/** The source of Step Functions' own events. */
export const STEP_FUNCTIONS_EVENT_SOURCE = 'aws.states';

/** The detail-type of the event Step Functions puts on the default bus when an execution changes status. */
export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/**
 * Errors SendTaskSuccess / Failure / Heartbeat answer for a task that is already closed (finished,
 * timed out, or its execution ended): "too late", not "the call went wrong".
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html)
 */
export const CLOSED_TASK_ERROR_NAMES: ReadonlySet<string> = new Set(['TaskDoesNotExist', 'TaskTimedOut']);
