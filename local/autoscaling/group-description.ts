import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { LOCAL_AVAILABILITY_ZONE } from '../arn.js';
import type { GroupMember } from './group.js';
import type { ScalingGroupSettings } from './scaling-group.js';

/** DescribeAutoScalingGroups' view of one group: its settings and every instance not yet terminated. */
export function describeGroup(
  s: ScalingGroupSettings,
  members: readonly GroupMember[],
  createdAt: number,
): AutoScalingGroup {
  return {
    AutoScalingGroupName: s.name,
    AutoScalingGroupARN: s.arn,
    MinSize: s.minSize,
    MaxSize: s.maxSize,
    DesiredCapacity: s.desiredCapacity,
    DefaultCooldown: s.defaultCooldown,
    DefaultInstanceWarmup: s.defaultInstanceWarmup,
    AvailabilityZones: [LOCAL_AVAILABILITY_ZONE],
    HealthCheckType: s.healthCheckType,
    HealthCheckGracePeriod: s.healthCheckGracePeriod,
    TargetGroupARNs: s.targetGroups.map(({ arn }) => arn),
    LaunchTemplate: s.launchTemplate,
    CreatedTime: new Date(createdAt),
    Instances: members
      .filter(({ lifecycleState }) => lifecycleState !== 'Terminated')
      .map((member) => ({
        InstanceId: member.instanceId,
        InstanceType: s.instanceType,
        LaunchTemplate: s.launchTemplate,
        AvailabilityZone: LOCAL_AVAILABILITY_ZONE,
        LifecycleState: member.lifecycleState,
        HealthStatus: member.healthStatus,
        ProtectedFromScaleIn: false,
      })),
  };
}
