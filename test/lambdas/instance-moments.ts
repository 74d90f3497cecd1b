/** Instance moments as on-scaling-event would record them for one lab run, for verdict and view tests. */
import type { InstanceMoment } from '../../lambdas/cloud/cloud.js';
import type { FakeCloud } from './fake-cloud.js';

export const STRESS_START = Date.parse('2026-01-01T00:10:00.000Z');
export const at = (seconds: number) => STRESS_START + seconds * 1000;

/** The moments on-scaling-event would have recorded: a provisioned instance, a scale-out one, an abandoned launch. */
export async function recordLab(cloud: FakeCloud): Promise<void> {
  const first: [InstanceMoment, number][] = [
    ['launched', -130],
    ['launch-wait', -130],
    ['in-service', -70],
    ['healthy', -65],
    ['terminating', 1500],
    ['terminate-wait', 1531],
    ['drained', 1531],
    ['terminate-completed', 1532],
    ['terminated', 1535],
  ];
  for (const [moment, s] of first) await cloud.recordInstanceMoment('i-first', moment, at(s));
  const second: [InstanceMoment, number][] = [
    ['launched', 150],
    ['launch-wait', 150],
    ['in-service', 210.04],
    ['healthy', 214],
    ['terminating', 900],
    ['terminated', 990],
  ];
  for (const [moment, s] of second) await cloud.recordInstanceMoment('i-second', moment, at(s));
  await cloud.recordInstanceMoment('i-broken', 'launched', at(400));
  await cloud.recordInstanceMoment('i-broken', 'launch-wait', at(400));
  await cloud.recordInstanceMoment('i-broken', 'launch-failed', at(700));
}
