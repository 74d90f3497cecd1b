import type { ScalingPolicy } from '@aws-sdk/client-auto-scaling';
import { arn } from '../arn.js';
import type { TargetTrackingPolicy } from './target-tracking-policy.js';

/** DescribePolicies' view of one target-tracking policy on average CPU. */
export function describePolicy(policy: TargetTrackingPolicy, policyArn: string): ScalingPolicy {
  const { input } = policy;
  return {
    AutoScalingGroupName: input.autoScalingGroupName,
    PolicyName: input.policyName,
    PolicyARN: policyArn,
    PolicyType: 'TargetTrackingScaling',
    EstimatedInstanceWarmup: input.estimatedInstanceWarmup,
    Alarms: policy.alarms.map(({ props }) => ({
      AlarmName: props.alarmName,
      AlarmARN: arn('cloudwatch', `alarm:${props.alarmName}`),
    })),
    TargetTrackingConfiguration: {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
      TargetValue: input.targetValue,
      DisableScaleIn: input.disableScaleIn ?? false,
    },
    Enabled: true,
  };
}
