/**
 * DescribeAutoScalingGroups' group, as the Cloud port's GroupState: one mapping for the AWS
 * adapter and its local twin, which answer with the same SDK shape.
 */
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { GroupState } from './cloud.js';

/** The group named `name` as the handlers see it; a missing field reads as AWS's default. */
export function groupStateOf(name: string, group: AutoScalingGroup): GroupState {
  return {
    name,
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    desiredCapacity: group.DesiredCapacity ?? 0,
    instances: (group.Instances ?? []).map((instance) => ({
      instanceId: instance.InstanceId ?? '',
      lifecycleState: instance.LifecycleState ?? 'Pending',
      healthStatus: instance.HealthStatus ?? 'Healthy',
    })),
  };
}
