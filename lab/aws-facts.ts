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
/**
 * With detailed monitoring an instance publishes one CPUUtilization datapoint per minute
 * (documented: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html),
 * so a group's Average weighs every instance equally in each minute.
 */
export const INSTANCE_DATAPOINT_SECONDS = 60;

// EC2 instance types (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html)

/** What the lab needs to know of an instance type. */
export interface InstanceTypeFacts {
  /**
   * Default vCPUs. CloudWatch's CPUUtilization is a share of all of them, so one busy core of a
   * 2-vCPU instance reads 50 %.
   */
  vcpus: number;
  /** The AMI architecture the type runs. */
  architecture: 'x86_64' | 'arm64';
}

/**
 * The instance types the lab allows: small burstable ones. T2 launches in standard credit mode
 * with 30 launch credits per vCPU, T3 / T3a / T4g in unlimited mode (documented); either covers
 * the lab's stress of a few minutes.
 */
export const INSTANCE_TYPES = {
  't2.micro': { vcpus: 1, architecture: 'x86_64' },
  't3.micro': { vcpus: 2, architecture: 'x86_64' },
  't3.small': { vcpus: 2, architecture: 'x86_64' },
  't3a.micro': { vcpus: 2, architecture: 'x86_64' },
  't4g.micro': { vcpus: 2, architecture: 'arm64' },
} as const satisfies Record<string, InstanceTypeFacts>;

/** One of {@link INSTANCE_TYPES}. */
export type InstanceTypeName = keyof typeof INSTANCE_TYPES;

/** The names of {@link INSTANCE_TYPES}, in the table's order. */
export const INSTANCE_TYPE_NAMES = Object.keys(INSTANCE_TYPES) as [InstanceTypeName, ...InstanceTypeName[]];

/** The facts of `name`, or undefined for a type the lab does not allow. */
export function instanceTypeFacts(name: string): InstanceTypeFacts | undefined {
  return Object.hasOwn(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name as InstanceTypeName] : undefined;
}

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

/**
 * detail-types of the events Auto Scaling sends when an instance enters a lifecycle hook's wait
 * state (`Pending:Wait`, `Terminating:Wait`). Kept apart from {@link AUTO_SCALING_DETAIL_TYPES}:
 * those tell what happened, these ask someone to act (lambdas/on-scaling-event/pattern.ts).
 */
export const LIFECYCLE_ACTION_DETAIL_TYPES = {
  launch: 'EC2 Instance-launch Lifecycle Action',
  terminate: 'EC2 Instance-terminate Lifecycle Action',
} as const;

/** One of {@link LIFECYCLE_ACTION_DETAIL_TYPES}. */
export type LifecycleActionDetailType =
  (typeof LIFECYCLE_ACTION_DETAIL_TYPES)[keyof typeof LIFECYCLE_ACTION_DETAIL_TYPES];

// Lifecycle hooks (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html)

/** The two lifecycle transitions a hook can wait on (PutLifecycleHook's LifecycleTransition). */
export const LIFECYCLE_TRANSITIONS = {
  launching: 'autoscaling:EC2_INSTANCE_LAUNCHING',
  terminating: 'autoscaling:EC2_INSTANCE_TERMINATING',
} as const;

/** One of {@link LIFECYCLE_TRANSITIONS}. */
export type LifecycleTransition = (typeof LIFECYCLE_TRANSITIONS)[keyof typeof LIFECYCLE_TRANSITIONS];

/** What CompleteLifecycleAction and a hook's DefaultResult take. */
export type LifecycleActionResult = 'CONTINUE' | 'ABANDON';

/**
 * How Auto Scaling answers CompleteLifecycleAction (a `ValidationError`) for an action that is not
 * waiting: already completed, timed out, or never was. Wording observed: "No active Lifecycle
 * Action found with token …" / "… with instance ID …". A duplicate event meets it: "already done".
 */
export const NO_ACTIVE_LIFECYCLE_ACTION = /^No active Lifecycle Action found/;

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
