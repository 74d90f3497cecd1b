/**
 * Scaling activity Cause texts, worded as AWS writes them
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-verify-scaling-activity.html).
 */

/** Why the desired capacity changed: the first sentence of a Cause. */
export function desiredChangeReason(
  time: string,
  trigger: { alarm: string; policy: string } | 'user' | 'create',
  from: number,
  to: number,
): string {
  const who =
    trigger === 'user'
      ? 'a user request explicitly set group desired capacity'
      : trigger === 'create'
        ? 'a user request created an AutoScalingGroup'
        : `a monitor alarm ${trigger.alarm} in state ALARM triggered policy ${trigger.policy}`;
  return `At ${time} ${who} changing the desired capacity from ${from} to ${to}.`;
}

export function launchCause(time: string, reason: string, from: number, to: number): string {
  return `${reason} At ${time} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`;
}

export function terminateCause(time: string, reason: string, from: number, to: number): string {
  return `${reason} At ${time} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.`;
}

export function unhealthyCause(time: string, check: 'EC2' | 'ELB'): string {
  return `At ${time} an instance was taken out of service in response to ${check === 'ELB' ? 'an ELB system health check failure' : 'an EC2 health check indicating it has been terminated or stopped'}.`;
}

export function replacementCause(time: string): string {
  return `At ${time} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from the replaced instance.`;
}

/**
 * Why an abandoned launch ended, as the tail of its StatusMessage. AWS documents the first two
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-verify-scaling-activity.html,
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/troubleshooting-auto-scaling.html); the
 * others are the local cloud's wording (assumption).
 */
export const ABANDON_REASONS = {
  completed: 'Lifecycle Action Completed with ABANDON Result',
  'heartbeat-timeout': 'Heartbeat Timeout',
  'global-timeout': 'Global Timeout',
  'hook-deleted': 'Lifecycle Hook Deleted',
  cancelled: 'Lifecycle Action Cancelled',
} as const;

/** The StatusMessage of a launch whose lifecycle action was abandoned, worded as AWS writes it. */
export function abandonedLaunchMessage(token: string, end: keyof typeof ABANDON_REASONS): string {
  return `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: ${ABANDON_REASONS[end]}`;
}
