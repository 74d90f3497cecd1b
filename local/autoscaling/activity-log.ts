import { randomUUID } from 'node:crypto';
import type { Activity, ScalingActivityStatusCode } from '@aws-sdk/client-auto-scaling';
import { LOCAL_AVAILABILITY_ZONE } from '../arn.js';
import type { Clock } from '../clock.js';
import { LOCAL_SUBNET_ID } from './constants.js';

/** A group's scaling activities, newest first, as DescribeScalingActivities lists them. */
export class ActivityLog {
  readonly activities: Activity[] = [];

  constructor(
    private readonly group: { name: string; arn: string },
    private readonly clock: Clock,
  ) {}

  start(description: string, cause: string): Activity {
    const activity: Activity = {
      ActivityId: randomUUID(),
      AutoScalingGroupName: this.group.name,
      AutoScalingGroupARN: this.group.arn,
      Description: description,
      Cause: cause,
      StartTime: new Date(this.clock.now()),
      StatusCode: 'InProgress',
      Progress: 0,
      Details: JSON.stringify({ 'Subnet ID': LOCAL_SUBNET_ID, 'Availability Zone': LOCAL_AVAILABILITY_ZONE }),
    };
    this.activities.unshift(activity);
    return activity;
  }

  finish(activity: Activity, status: ScalingActivityStatusCode, message?: string): void {
    activity.StatusCode = status;
    activity.Progress = 100;
    activity.EndTime = new Date(this.clock.now());
    if (message !== undefined) activity.StatusMessage = message;
  }
}
