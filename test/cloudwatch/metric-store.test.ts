import { describe, expect, it } from 'vitest';
import { InvalidParameterValueError } from '../../local/cloudwatch/errors.js';
import { MetricStore } from '../../local/cloudwatch/metric-store.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const cpu = (store: MetricStore, dimensions: Record<string, string>, value: number, at: number) =>
  store.putMetricData('AWS/EC2', 'CPUUtilization', dimensions, value, at);

describe('MetricStore', () => {
  it('aggregates samples into periods aligned on the period, with every statistic', () => {
    // Prepare
    const store = new MetricStore();
    const group = { AutoScalingGroupName: 'scalelab-asg' };
    cpu(store, group, 10, t0 + 5_000);
    cpu(store, group, 30, t0 + 55_000);
    cpu(store, group, 80, t0 + minute); // the first instant of the next period
    // Act
    const { Label, Datapoints } = store.getMetricStatistics({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: group,
      startTime: t0,
      endTime: t0 + 2 * minute,
      period: 60,
      statistics: ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'],
    });
    // Assess
    expect(Label).toBe('CPUUtilization');
    expect(Datapoints).toEqual([
      { Timestamp: t0, Average: 20, Minimum: 10, Maximum: 30, Sum: 40, SampleCount: 2 },
      { Timestamp: t0 + minute, Average: 80, Minimum: 80, Maximum: 80, Sum: 80, SampleCount: 1 },
    ]);
  });

  it("weighs each source's samples of a minute as one datapoint, as detailed monitoring publishes", () => {
    // Prepare: one instance sampled three times in the minute, the other once.
    const store = new MetricStore();
    const group = { AutoScalingGroupName: 'scalelab-asg' };
    for (const [at, value] of [
      [5_000, 80],
      [25_000, 80],
      [45_000, 80],
    ] as const) {
      store.putMetricData('AWS/EC2', 'CPUUtilization', group, value, t0 + at, 'i-stressed');
    }
    store.putMetricData('AWS/EC2', 'CPUUtilization', group, 0, t0 + 50_000, 'i-warmed-up');
    const statistics = (period: number) =>
      store.getMetricStatistics({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: group,
        startTime: t0,
        endTime: t0 + minute,
        period,
        statistics: ['Average', 'SampleCount'],
      }).Datapoints;
    // Act + Assess: per minute, two datapoints of 80 and 0, not four samples averaging 60.
    expect(statistics(60)).toEqual([{ Timestamp: t0, Average: 40, SampleCount: 2 }]);
    // A high-resolution period reads the samples themselves.
    expect(statistics(30).map(({ Average }) => Average)).toEqual([80, 40]);
  });

  it('returns only the statistics asked for, and nothing for periods without data', () => {
    const store = new MetricStore();
    cpu(store, { InstanceId: 'i-1' }, 40, t0 + 1_000);
    cpu(store, { InstanceId: 'i-1' }, 60, t0 + 3 * minute);
    const { Datapoints } = store.getMetricStatistics({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { InstanceId: 'i-1' },
      startTime: t0,
      endTime: t0 + 5 * minute,
      period: 60,
      statistics: ['Maximum'],
    });
    expect(Datapoints).toEqual([
      { Timestamp: t0, Maximum: 40 },
      { Timestamp: t0 + 3 * minute, Maximum: 60 },
    ]);
  });

  it('keeps metrics apart by their exact dimensions, whatever the key order', () => {
    const store = new MetricStore();
    cpu(store, { InstanceId: 'i-1' }, 10, t0);
    cpu(store, { InstanceId: 'i-2' }, 90, t0);
    cpu(store, { AutoScalingGroupName: 'g', InstanceId: 'i-1' }, 50, t0);
    const get = (dimensions: Record<string, string>) =>
      store.getMetricStatistics({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions,
        startTime: t0,
        endTime: t0 + minute,
        period: 60,
        statistics: ['SampleCount', 'Average'],
      }).Datapoints;
    expect(get({ InstanceId: 'i-1' })).toEqual([{ Timestamp: t0, SampleCount: 1, Average: 10 }]);
    expect(get({ InstanceId: 'i-1', AutoScalingGroupName: 'g' })).toEqual([
      { Timestamp: t0, SampleCount: 1, Average: 50 },
    ]);
    expect(get({ InstanceId: 'i-3' })).toEqual([]);
    expect(store.listMetrics('AWS/EC2')).toHaveLength(3);
  });

  it('keeps every raw datapoint for reports', () => {
    const store = new MetricStore();
    cpu(store, { InstanceId: 'i-1' }, 12.5, t0);
    expect(store.samples()).toEqual([
      {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: { InstanceId: 'i-1' },
        value: 12.5,
        timestamp: t0,
      },
    ]);
  });

  it.each([0, 7, 45, 90, -60])('rejects period %s as CloudWatch does', (period) => {
    const store = new MetricStore();
    expect(() =>
      store.getMetricStatistics({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: {},
        startTime: t0,
        endTime: t0 + minute,
        period,
        statistics: ['Average'],
      }),
    ).toThrow(InvalidParameterValueError);
  });

  it('rejects an empty time range and non-finite values', () => {
    const store = new MetricStore();
    expect(() =>
      store.getMetricStatistics({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: {},
        startTime: t0,
        endTime: t0,
        period: 60,
        statistics: ['Average'],
      }),
    ).toThrow('StartTime must be less than');
    expect(() => cpu(store, {}, Number.NaN, t0)).toThrow(InvalidParameterValueError);
  });
});
