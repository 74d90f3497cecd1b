/**
 * The two alarms AWS creates for a target-tracking scaling policy, as specs the Auto Scaling
 * module turns into {@link MetricAlarm}s. The numbers are not documented by AWS; they are what
 * real accounts show (see docs/aws-behaviour.md, "EC2 Auto Scaling: target tracking").
 */

import { randomUUID } from 'node:crypto';
import {
  TARGET_TRACKING_HIGH_DATAPOINTS,
  TARGET_TRACKING_LOW_DATAPOINTS,
  TARGET_TRACKING_LOW_RATIO,
  TARGET_TRACKING_PERIOD_SECONDS,
} from '../../lab/aws-facts.js';
import type { MetricAlarmProps } from './alarm.js';
import type { Statistic } from './metric-store.js';

export interface TargetTrackingAlarmOptions {
  autoScalingGroupName: string;
  /** The policy's target, e.g. 50 for ASGAverageCPUUtilization = 50 %. */
  targetValue: number;
  namespace?: string;
  metricName?: string;
  statistic?: Statistic;
  period?: number;
  /** See MetricAlarmProps.evaluationDelaySeconds. */
  evaluationDelaySeconds?: number;
  /** The suffix AWS puts after AlarmHigh-/AlarmLow- (a UUID); fixed in tests. */
  suffix?: string;
}

/**
 * AlarmHigh: metric > target for 3 of 3 datapoints; AlarmLow: metric < 0.9 × target for 15 of
 * 15. Both treat missing data as missing (no datapoints → INSUFFICIENT_DATA → no scaling) and
 * repeat their action every period they stay in ALARM, as target tracking re-evaluates.
 */
export function targetTrackingAlarms(options: TargetTrackingAlarmOptions): {
  high: MetricAlarmProps;
  low: MetricAlarmProps;
} {
  const suffix = options.suffix ?? randomUUID();
  const base = {
    namespace: options.namespace ?? 'AWS/EC2',
    metricName: options.metricName ?? 'CPUUtilization',
    dimensions: { AutoScalingGroupName: options.autoScalingGroupName },
    statistic: options.statistic ?? 'Average',
    period: options.period ?? TARGET_TRACKING_PERIOD_SECONDS,
    treatMissingData: 'missing',
    repeatAlarmActions: true,
    evaluationDelaySeconds: options.evaluationDelaySeconds,
  } as const;
  const name = (kind: 'High' | 'Low') =>
    `TargetTracking-${options.autoScalingGroupName}-Alarm${kind}-${suffix}`;
  return {
    high: {
      ...base,
      alarmName: name('High'),
      comparisonOperator: 'GreaterThanThreshold',
      threshold: options.targetValue,
      evaluationPeriods: TARGET_TRACKING_HIGH_DATAPOINTS,
      datapointsToAlarm: TARGET_TRACKING_HIGH_DATAPOINTS,
    },
    low: {
      ...base,
      alarmName: name('Low'),
      comparisonOperator: 'LessThanThreshold',
      threshold: options.targetValue * TARGET_TRACKING_LOW_RATIO,
      evaluationPeriods: TARGET_TRACKING_LOW_DATAPOINTS,
      datapointsToAlarm: TARGET_TRACKING_LOW_DATAPOINTS,
    },
  };
}
