/** The CloudWatch tests' setup: an Auto Scaling group with a target-tracking policy and its alarms. */
import type { LocalAws } from '../../local/local-aws.js';

/** The group the CloudWatch tests watch. */
export const LAB_GROUP = 'lab-asg';

/**
 * An empty group (no instance to wait for) with a target-tracking policy at 50 % average CPU,
 * whose alarms exist at once. Returns the alarms' names: the high one, then the low one.
 */
export function createPolicyGroup(cloud: LocalAws, { maxSize = 1 } = {}): [high: string, low: string] {
  cloud.autoscaling.createAutoScalingGroup({
    autoScalingGroupName: LAB_GROUP,
    app: 'serve',
    instanceType: 't3.micro',
    minSize: 0,
    maxSize,
    desiredCapacity: 0,
  });
  const { Alarms } = cloud.autoscaling.putScalingPolicy({
    autoScalingGroupName: LAB_GROUP,
    policyName: 'cpu50',
    targetValue: 50,
  });
  return Alarms.map((alarm) => alarm.AlarmName) as [string, string];
}

/** One CPU datapoint of the group's metric (AWS/EC2 CPUUtilization by AutoScalingGroupName). */
export function putGroupCpu(cloud: LocalAws, percent: number, at: number): void {
  cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: LAB_GROUP }, percent, at);
}
