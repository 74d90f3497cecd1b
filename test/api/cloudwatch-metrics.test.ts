import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';

const GROUP = 'lab-asg';
const MINUTE = 60_000;
/** A whole simulated minute, so datapoints fall in predictable periods. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('CloudWatch metrics through the SDK', () => {
  let e: CloudEndpoint;
  beforeEach(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
    const put = (dims: Record<string, string>, value: number, at: number) =>
      e.cloud.metrics.putMetricData('AWS/EC2', 'CPUUtilization', dims, value, at);
    put({ AutoScalingGroupName: GROUP }, 20, T0 + 10_000);
    put({ AutoScalingGroupName: GROUP }, 40, T0 + 30_000);
    put({ AutoScalingGroupName: GROUP }, 90, T0 + MINUTE + 5_000);
    put({ InstanceId: 'i-0123456789abcdef0' }, 55, T0 + 15_000);
  });
  afterEach(async () => {
    await e.close();
  });

  it('answers GetMetricStatistics as the adapter calls it, by group', async () => {
    const out = await e.cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: GROUP }],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 5 * MINUTE),
        Period: 60,
        Statistics: ['Average', 'Maximum', 'SampleCount'],
      }),
    );

    expect(out.Label).toBe('CPUUtilization');
    expect(out.Datapoints).toEqual([
      { Timestamp: new Date(T0), Average: 30, Maximum: 40, SampleCount: 2, Unit: 'Percent' },
      { Timestamp: new Date(T0 + MINUTE), Average: 90, Maximum: 90, SampleCount: 1, Unit: 'Percent' },
    ]);
  });

  it('answers GetMetricStatistics by instance, and nothing for a metric without samples', async () => {
    const query = (value: string) =>
      e.cloudWatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'InstanceId', Value: value }],
          StartTime: new Date(T0),
          EndTime: new Date(T0 + MINUTE),
          Period: 60,
          Statistics: ['Average'],
        }),
      );

    expect((await query('i-0123456789abcdef0')).Datapoints).toEqual([
      { Timestamp: new Date(T0), Average: 55, Unit: 'Percent' },
    ]);
    expect((await query('i-ffffffffffffffff0')).Datapoints).toEqual([]);
  });

  it('answers GetMetricData for MetricStat queries, newest first unless asked otherwise', async () => {
    const metric = {
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: GROUP }],
    };
    const out = await e.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 5 * MINUTE),
        MetricDataQueries: [
          { Id: 'avg', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' } },
          { Id: 'peak', Label: 'peak', MetricStat: { Metric: metric, Period: 300, Stat: 'Maximum' } },
          { Id: 'hidden', ReturnData: false, MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    const ascending = await e.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 5 * MINUTE),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ Id: 'avg', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' } }],
      }),
    );

    expect(out.MetricDataResults).toEqual([
      {
        Id: 'avg',
        Label: 'CPUUtilization',
        Timestamps: [new Date(T0 + MINUTE), new Date(T0)],
        Values: [90, 30],
        StatusCode: 'Complete',
      },
      { Id: 'peak', Label: 'peak', Timestamps: [new Date(T0)], Values: [90], StatusCode: 'Complete' },
    ]);
    expect(ascending.MetricDataResults?.[0]?.Values).toEqual([30, 90]);
  });

  it('answers GetMetricStatistics for the load balancers, by LoadBalancer, in Count', async () => {
    // Prepare: RequestCount as the local ELB publishes it, every 10 s (local/elb/metrics.ts).
    const LoadBalancer = 'app/scaling/0123456789abcdef';
    for (const [at, requests] of [
      [0, 3],
      [10_000, 5],
      [MINUTE, 7],
    ] as const)
      e.cloud.metrics.putMetricData(
        'AWS/ApplicationELB',
        'RequestCount',
        { LoadBalancer },
        requests,
        T0 + at,
      );

    // Act
    const out = await e.cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [{ Name: 'LoadBalancer', Value: LoadBalancer }],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 5 * MINUTE),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );

    // Assess
    expect(out.Datapoints).toEqual([
      { Timestamp: new Date(T0), Sum: 8, Unit: 'Count' },
      { Timestamp: new Date(T0 + MINUTE), Sum: 7, Unit: 'Count' },
    ]);
  });

  it('lists the metrics with samples, filtered by dimension', async () => {
    e.cloud.metrics.putMetricData('Custom/App', 'Requests', {}, 1, T0);

    const all = await e.cloudWatch.send(new ListMetricsCommand({}));
    const byGroup = await e.cloudWatch.send(
      new ListMetricsCommand({ Namespace: 'AWS/EC2', Dimensions: [{ Name: 'AutoScalingGroupName' }] }),
    );

    expect(all.Metrics).toHaveLength(3);
    expect(all.NextToken).toBeUndefined();
    expect(byGroup.Metrics).toEqual([
      {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: GROUP }],
      },
    ]);
  });
});
