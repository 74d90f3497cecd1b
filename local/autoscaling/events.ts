import type { Activity } from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING_EVENT_SOURCE, type AutoScalingDetailType } from '../../lab/aws-facts.js';
import { arn, LOCAL_AVAILABILITY_ZONE } from '../arn.js';
import type { AlarmEvaluation } from '../cloudwatch/index.js';
import type { PutEventsRequestEntry } from '../eventbridge/index.js';
import { LOCAL_SUBNET_ID } from './constants.js';

/** The event detail as AWS documents it for instance launch and terminate events. */
export interface AutoScalingEventDetail {
  StatusCode: 'InProgress' | 'Failed';
  Description?: string;
  AutoScalingGroupName: string;
  ActivityId: string;
  Details: { 'Availability Zone': string; 'Subnet ID': string };
  RequestId: string;
  StatusMessage: string;
  EndTime: string;
  EC2InstanceId: string;
  StartTime: string;
  Cause: string;
}

/**
 * Builds a PutEvents entry shaped exactly like AWS's Auto Scaling events, from the activity it
 * reports: successful ones carry `StatusCode: "InProgress"` and a Description; unsuccessful ones
 * `"Failed"`, a StatusMessage and no Description
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html).
 */
export function activityEvent(
  detailType: AutoScalingDetailType,
  group: { name: string; arn: string },
  instanceId: string,
  activity: Activity,
): PutEventsRequestEntry {
  const failed = detailType.endsWith('Unsuccessful');
  const endTime = (activity.EndTime ?? new Date()).toISOString();
  const detail: AutoScalingEventDetail = {
    StatusCode: failed ? 'Failed' : 'InProgress',
    ...(failed ? {} : { Description: activity.Description ?? '' }),
    AutoScalingGroupName: group.name,
    ActivityId: activity.ActivityId ?? '',
    Details: { 'Availability Zone': LOCAL_AVAILABILITY_ZONE, 'Subnet ID': LOCAL_SUBNET_ID },
    RequestId: activity.ActivityId ?? '',
    StatusMessage: failed ? (activity.StatusMessage ?? '') : '',
    EndTime: endTime,
    EC2InstanceId: instanceId,
    StartTime: (activity.StartTime ?? new Date()).toISOString(),
    Cause: activity.Cause ?? '',
  };
  return {
    Source: AUTO_SCALING_EVENT_SOURCE,
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    Resources: [group.arn, arn('ec2', `instance/${instanceId}`)],
    Time: endTime,
  };
}

/**
 * CloudWatch's "CloudWatch Alarm State Change" event (source `aws.cloudwatch`) for a target
 * tracking alarm, so a person watching the bus sees why the group is about to scale.
 */
export function alarmStateChangeEvent(evaluation: AlarmEvaluation): PutEventsRequestEntry {
  const timestamp = new Date(evaluation.timestamp).toISOString();
  return {
    Source: 'aws.cloudwatch',
    DetailType: 'CloudWatch Alarm State Change',
    Resources: [arn('cloudwatch', `alarm:${evaluation.alarmName}`)],
    Time: timestamp,
    Detail: JSON.stringify({
      alarmName: evaluation.alarmName,
      state: { value: evaluation.state, reason: evaluation.reason, timestamp },
      previousState: { value: evaluation.previousState },
      datapoints: evaluation.datapoints,
    }),
  };
}
