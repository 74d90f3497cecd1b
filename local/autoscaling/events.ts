import { AUTO_SCALING_EVENT_SOURCE, type AutoScalingDetailType } from '../../lab/aws-facts.js';
import { arn } from '../arn.js';
import type { AlarmEvaluation } from '../cloudwatch/index.js';
import type { PutEventsRequestEntry } from '../eventbridge/index.js';

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

export interface ActivityEventInput {
  detailType: AutoScalingDetailType;
  groupArn: string;
  groupName: string;
  instanceArn: string;
  instanceId: string;
  activityId: string;
  description: string;
  cause: string;
  statusMessage?: string;
  startTime: string;
  endTime: string;
  availabilityZone: string;
  subnetId: string;
}

/**
 * Builds a PutEvents entry shaped exactly like AWS's Auto Scaling events: successful ones carry
 * `StatusCode: "InProgress"` and a Description; unsuccessful ones `"Failed"`, a StatusMessage and
 * no Description (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html).
 */
export function autoScalingEvent(input: ActivityEventInput): PutEventsRequestEntry {
  const failed = input.detailType.endsWith('Unsuccessful');
  const detail: AutoScalingEventDetail = {
    StatusCode: failed ? 'Failed' : 'InProgress',
    ...(failed ? {} : { Description: input.description }),
    AutoScalingGroupName: input.groupName,
    ActivityId: input.activityId,
    Details: { 'Availability Zone': input.availabilityZone, 'Subnet ID': input.subnetId },
    RequestId: input.activityId,
    StatusMessage: failed ? (input.statusMessage ?? '') : '',
    EndTime: input.endTime,
    EC2InstanceId: input.instanceId,
    StartTime: input.startTime,
    Cause: input.cause,
  };
  return {
    Source: AUTO_SCALING_EVENT_SOURCE,
    DetailType: input.detailType,
    Detail: JSON.stringify(detail),
    Resources: [input.groupArn, input.instanceArn],
    Time: input.endTime,
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
