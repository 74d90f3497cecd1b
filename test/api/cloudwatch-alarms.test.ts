import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { createPolicyGroup, LAB_GROUP, putGroupCpu } from './policy-group.js';

const MINUTE = 60_000;

describe('CloudWatch DescribeAlarms through the SDK', () => {
  let e: CloudEndpoint;
  let high: string;
  let low: string;
  beforeEach(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
    [high, low] = createPolicyGroup(e.cloud, { maxSize: 2 });
  });
  afterEach(async () => {
    await e.close();
  });

  /** Three minutes at 90 % CPU, then the high alarm evaluated at their end: ALARM. */
  function breachHighAlarm(): number {
    const start = Math.floor(e.cloud.clock.now() / MINUTE) * MINUTE - 3 * MINUTE;
    for (let minute = 0; minute < 3; minute++) {
      putGroupCpu(e.cloud, 90, start + minute * MINUTE + 1_000);
    }
    const alarm = e.cloud.autoscaling.alarmsOf(LAB_GROUP).find((a) => a.props.alarmName === high);
    alarm?.evaluateAt(start + 3 * MINUTE);
    return start + 3 * MINUTE;
  }

  it("describes the group's target-tracking alarms with their state and settings", async () => {
    const changedAt = breachHighAlarm();

    const out = await e.cloudWatch.send(new DescribeAlarmsCommand({}));

    expect(out.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([high, low].sort());
    expect(out.CompositeAlarms).toEqual([]);
    expect(out.MetricAlarms?.find((alarm) => alarm.AlarmName === high)).toMatchObject({
      AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${high}`,
      StateValue: 'ALARM',
      StateReason: expect.stringMatching(/^Threshold Crossed: 3 out of the last 3 datapoints/),
      StateUpdatedTimestamp: new Date(changedAt),
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: LAB_GROUP }],
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
    });
    expect(out.MetricAlarms?.find((alarm) => alarm.AlarmName === low)).toMatchObject({
      StateValue: 'INSUFFICIENT_DATA',
      Threshold: 45,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 15,
    });
  });

  it('filters by state, name and prefix, and pages with MaxRecords', async () => {
    breachHighAlarm();

    const inAlarm = await e.cloudWatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    const byName = await e.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [low] }));
    const byPrefix = await e.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${LAB_GROUP}-AlarmHigh-` }),
    );
    const first = await e.cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    const second = await e.cloudWatch.send(
      new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: first.NextToken }),
    );
    const composite = await e.cloudWatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));

    expect(inAlarm.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([high]);
    expect(byName.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([low]);
    expect(byPrefix.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([high]);
    expect(first.NextToken).toEqual(expect.any(String));
    expect([...(first.MetricAlarms ?? []), ...(second.MetricAlarms ?? [])].map((a) => a.AlarmName)).toEqual(
      [high, low].sort(),
    );
    expect(second.NextToken).toBeUndefined();
    expect(composite.MetricAlarms).toEqual([]);
  });
});
