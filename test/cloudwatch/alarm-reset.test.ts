import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { type AlarmEvaluation, MetricAlarm } from '../../local/cloudwatch/alarm.js';
import { MetricStore } from '../../local/cloudwatch/metric-store.js';
import { targetTrackingAlarms } from '../../local/cloudwatch/target-tracking.js';

const minute = 60_000;
const group = 'scalelab-asg';
const specs = targetTrackingAlarms({ autoScalingGroupName: group, targetValue: 50, suffix: 'test' });

/** `scalelab reset`'s part in CloudWatch: an alarm back to the state of a new one, with no history. */
describe('MetricAlarm.reset', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = new Clock({ scale: 1 });
  });
  afterEach(() => clock.close());

  function putPeriod(store: MetricStore, periodStart: number, value: number): void {
    store.putMetricData('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: group }, value, periodStart + 1);
  }

  it('goes to INSUFFICIENT_DATA, says so, and no longer counts datapoints from before it', () => {
    // Prepare: an alarm in ALARM on three high periods ending at the current minute.
    const store = new MetricStore();
    const changes: AlarmEvaluation[] = [];
    const alarm = new MetricAlarm(specs.high, { store, clock }, { onStateChange: (e) => changes.push(e) });
    const boundary = Math.floor(clock.now() / minute) * minute;
    for (const back of [3, 2, 1]) putPeriod(store, boundary - back * minute, 90);
    expect(alarm.evaluateAt(boundary).state).toBe('ALARM');

    // Act
    alarm.reset('Unchecked: reset');

    // Assess: the state, its reason, the change announced, and the old periods now missing.
    expect(alarm.state).toBe('INSUFFICIENT_DATA');
    expect(alarm.stateReason).toBe('Unchecked: reset');
    expect(changes.map(({ previousState, state }) => `${previousState}→${state}`)).toEqual([
      'INSUFFICIENT_DATA→ALARM',
      'ALARM→INSUFFICIENT_DATA',
    ]);
    expect(alarm.evaluateAt(boundary)).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      datapoints: [undefined, undefined, undefined],
    });
  });

  it('counts the periods after it as a new alarm would', () => {
    const store = new MetricStore();
    const alarm = new MetricAlarm(specs.high, { store, clock });
    const before = Math.floor(clock.now() / minute) * minute - minute;
    putPeriod(store, before, 90);
    alarm.reset('Unchecked: reset');

    // The first whole period after the reset, and the two after it, all high: ALARM again.
    const first = Math.ceil(clock.now() / minute) * minute;
    for (const i of [0, 1, 2]) putPeriod(store, first + i * minute, 90);
    expect(alarm.evaluateAt(first + 3 * minute)).toMatchObject({ state: 'ALARM', datapoints: [90, 90, 90] });
  });
});
