import { afterEach, describe, expect, it } from 'vitest';
import {
  TARGET_TRACKING_HIGH_DATAPOINTS,
  TARGET_TRACKING_LOW_DATAPOINTS,
  TARGET_TRACKING_LOW_RATIO,
} from '../../lab/aws-facts.js';
import { Clock, type ClockTimer } from '../../local/clock.js';
import { type AlarmEvaluation, MetricAlarm, type MetricAlarmProps } from '../../local/cloudwatch/alarm.js';
import { InvalidParameterValueError } from '../../local/cloudwatch/errors.js';
import { MetricStore } from '../../local/cloudwatch/metric-store.js';
import { targetTrackingAlarms } from '../../local/cloudwatch/target-tracking.js';
import { waitFor } from '../helpers/wait-for.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const group = 'scalelab-asg';
const specs = targetTrackingAlarms({ autoScalingGroupName: group, targetValue: 50, suffix: 'test' });

/** Puts one group datapoint in the period starting at t0 + index minutes. */
function putPeriod(store: MetricStore, index: number, value: number): void {
  store.putMetricData(
    'AWS/EC2',
    'CPUUtilization',
    { AutoScalingGroupName: group },
    value,
    t0 + index * minute + 30_000,
  );
}

/** Feeds `values` one period each and evaluates at the end of every period, like the timer does. */
function run(
  alarm: MetricAlarm,
  store: MetricStore,
  values: (number | undefined)[],
  from = 0,
): AlarmEvaluation[] {
  return values.map((value, offset) => {
    if (value !== undefined) putPeriod(store, from + offset, value);
    return alarm.evaluateAt(t0 + (from + offset + 1) * minute);
  });
}

describe('target-tracking alarm specs', () => {
  it('match the alarms AWS creates for a policy (observed on real accounts)', () => {
    expect(TARGET_TRACKING_HIGH_DATAPOINTS).toBe(3);
    expect(TARGET_TRACKING_LOW_DATAPOINTS).toBe(15);
    expect(TARGET_TRACKING_LOW_RATIO).toBe(0.9);
    expect(specs.high).toMatchObject({
      alarmName: 'TargetTracking-scalelab-asg-AlarmHigh-test',
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: group },
      statistic: 'Average',
      period: 60,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 50,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    });
    expect(specs.low).toMatchObject({
      alarmName: 'TargetTracking-scalelab-asg-AlarmLow-test',
      comparisonOperator: 'LessThanThreshold',
      threshold: 45,
      evaluationPeriods: 15,
      datapointsToAlarm: 15,
    });
  });
});

describe('MetricAlarm evaluation (synthetic datapoints)', () => {
  const clock = new Clock({ scale: 1000 });

  it('AlarmHigh goes to ALARM on exactly the third consecutive datapoint above target', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm(specs.high, { store, clock });
    expect(alarm.state).toBe('INSUFFICIENT_DATA');
    const states = run(alarm, store, [20, 60, 70, 80]).map((e) => e.state);
    // [20] [20,60] [20,60,70] are not 3 breaching; [60,70,80] is.
    expect(states).toEqual(['OK', 'OK', 'OK', 'ALARM']);
  });

  it('a datapoint equal to the target does not breach GreaterThanThreshold', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm(specs.high, { store, clock });
    expect(run(alarm, store, [60, 60, 50]).at(-1)?.state).toBe('OK');
  });

  it('AlarmLow goes to ALARM on exactly the fifteenth datapoint below 0.9 × target', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm(specs.low, { store, clock });
    const evaluations = run(alarm, store, [...Array(14).fill(10), 44.9, 45]);
    expect(evaluations.slice(0, 14).every((e) => e.state === 'OK')).toBe(true);
    expect(evaluations[14]?.state).toBe('ALARM');
    expect(evaluations[14]?.breaching).toBe(15);
    // 45 is not below 45: one non-breaching datapoint in the window brings it back to OK.
    expect(evaluations[15]?.state).toBe('OK');
  });

  it('goes to INSUFFICIENT_DATA when every datapoint is missing (no scaling)', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm(specs.high, { store, clock });
    const states = run(alarm, store, [60, 60, 60, undefined, undefined, undefined]).map((e) => e.state);
    expect(states).toEqual(['OK', 'OK', 'ALARM', 'OK', 'OK', 'INSUFFICIENT_DATA']);
    expect(alarm.stateReason).toContain('Insufficient Data');
  });

  it.each([
    ['breaching', 'ALARM'],
    ['notBreaching', 'OK'],
    ['ignore', 'INSUFFICIENT_DATA'],
  ] as const)('treatMissingData %s turns three missing datapoints into %s', (treatMissingData, expected) => {
    const store = new MetricStore();
    const alarm = new MetricAlarm({ ...specs.high, treatMissingData }, { store, clock });
    expect(run(alarm, store, [undefined, undefined, undefined]).at(-1)?.state).toBe(expected);
  });

  it('honours M out of N (2 of 3)', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm({ ...specs.high, datapointsToAlarm: 2 }, { store, clock });
    expect(run(alarm, store, [60, 10, 70]).map((e) => e.state)).toEqual(['OK', 'OK', 'ALARM']);
  });

  it('calls onStateChange on transitions only, and repeats alarm actions every period in ALARM', () => {
    const store = new MetricStore();
    const changes: string[] = [];
    const actions: number[] = [];
    const alarm = new MetricAlarm(
      specs.high,
      { store, clock },
      {
        onStateChange: (e) => void changes.push(`${e.previousState}->${e.state}`),
        alarmActions: [(e) => void actions.push(e.timestamp)],
      },
    );
    run(alarm, store, [60, 60, 60, 60, 60, 10]);
    expect(changes).toEqual(['INSUFFICIENT_DATA->OK', 'OK->ALARM', 'ALARM->OK']);
    expect(actions).toEqual([t0 + 3 * minute, t0 + 4 * minute, t0 + 5 * minute]);
  });

  it('fires alarm actions only on the transition when repeatAlarmActions is off', () => {
    const store = new MetricStore();
    const actions: number[] = [];
    const alarm = new MetricAlarm(
      { ...specs.high, repeatAlarmActions: false },
      { store, clock },
      {
        alarmActions: [(e) => void actions.push(e.timestamp)],
      },
    );
    run(alarm, store, [60, 60, 60, 60, 60]);
    expect(actions).toEqual([t0 + 3 * minute]);
  });

  it('keeps evaluating when an action throws, and reports the error', () => {
    const store = new MetricStore();
    const errors: unknown[] = [];
    const alarm = new MetricAlarm(
      specs.high,
      { store, clock },
      {
        alarmActions: [
          () => {
            throw new Error('scaling failed');
          },
        ],
        onError: (error) => void errors.push(error),
      },
    );
    expect(run(alarm, store, [60, 60, 60, 60]).map((e) => e.state)).toEqual(['OK', 'OK', 'ALARM', 'ALARM']);
    expect(errors).toHaveLength(2);
  });

  it.each<[string, Partial<MetricAlarmProps>, string]>([
    ['period 45', { period: 45 }, 'Period'],
    ['datapointsToAlarm above evaluationPeriods', { datapointsToAlarm: 4 }, 'DatapointsToAlarm'],
    ['a range over one day', { period: 3600, evaluationPeriods: 25 }, '86400'],
    [
      'an unsupported operator',
      { comparisonOperator: 'LessThanLowerThreshold' as never },
      'ComparisonOperator',
    ],
  ])('rejects %s', (_name, change, mentions) => {
    const make = () => new MetricAlarm({ ...specs.high, ...change }, { store: new MetricStore(), clock });
    expect(make).toThrow(InvalidParameterValueError);
    expect(make).toThrow(mentions);
  });
});

describe('MetricAlarm on the clock', () => {
  let alarm: MetricAlarm | undefined;
  let feeder: ClockTimer | undefined;
  afterEach(() => {
    alarm?.stop();
    feeder?.cancel();
  });

  it('evaluates at the end of each period and alarms after exactly three breaching periods', async () => {
    // Scale 600: a 60-second period lasts 100 ms.
    const clock = new Clock({ scale: 600 });
    const store = new MetricStore();
    const feed = () =>
      store.putMetricData('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: group }, 90, clock.now());
    // A datapoint right away, so the period the alarm starts in is never empty.
    feed();
    feeder = clock.setInterval(feed, 5);
    alarm = new MetricAlarm({ ...specs.high, evaluationDelaySeconds: 2 }, { store, clock });
    alarm.start();
    await waitFor(() => alarm?.state === 'ALARM', { timeoutMs: 5_000, what: 'AlarmHigh to fire' });
    const evaluations = alarm.evaluations();
    // Boundaries are whole simulated minutes, consecutive, and the third one fired the alarm.
    expect(evaluations.every((e) => e.timestamp % minute === 0)).toBe(true);
    expect(evaluations.map((e) => e.state)).toEqual(['OK', 'OK', 'ALARM']);
    expect(evaluations[2]?.breaching).toBe(3);
    expect(evaluations[1]!.timestamp - evaluations[0]!.timestamp).toBe(minute);
  });
});
