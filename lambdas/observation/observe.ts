/**
 * Completing an armed observer: shared by arm-observer (checks at once, so an event that came
 * before the token was armed is not missed) and on-scaling-event (checks on every event).
 */
import type { ArmedObserver, Cloud } from '../cloud/cloud.js';
import { expectationHolds, type GroupSnapshot, takeSnapshot } from './group-snapshot.js';

/**
 * What decided the observation: the check at the first arming, the check at a later round's
 * arming (the re-check path, which needs no event), an Auto Scaling event or the target-health
 * poll after a launch event (the event path), or the observation's deadline passing (not held).
 */
export type ObservationTrigger = 'arming' | 're-check' | 'event' | 'health-poll' | 'deadline';

/** The Auto Scaling event behind a check, as the observation reports it. */
export interface EventSummary {
  detailType: string;
  instanceId: string;
  cause: string;
  time: string;
}

/** The observe step's output: what the group looked like when the expectation held, or at the deadline. */
export interface Observation extends GroupSnapshot {
  expectation: ArmedObserver['expectation'];
  /** False only for `deadline`: the expectation was never seen. */
  held: boolean;
  target: number;
  trigger: ObservationTrigger;
  observedAt: string;
  /** Simulated seconds from the observer's `since` (stress start or end) to the observation. */
  elapsedSeconds: number;
  /** Whole seconds the workflow waits before the next observation (the rest of the stress). */
  coolDownSeconds: number;
  event?: EventSummary;
}

export type CheckOutcome = 'completed' | 'task-closed' | 'pending';

export function observationOf(
  observer: ArmedObserver,
  snapshot: GroupSnapshot,
  trigger: ObservationTrigger,
  event?: EventSummary,
): Observation {
  return {
    ...snapshot,
    expectation: observer.expectation,
    held: trigger !== 'deadline',
    target: observer.target,
    trigger,
    observedAt: new Date(snapshot.at).toISOString(),
    elapsedSeconds: Math.round(snapshot.at - observer.since) / 1000,
    coolDownSeconds: Math.max(0, Math.ceil((observer.coolDownUntil - snapshot.at) / 1000)),
    ...(event ? { event } : {}),
  };
}

/**
 * Looks at the group now; when the expectation holds, sends task success with the observation
 * and disarms. A token someone else already completed (a duplicate event) is `task-closed`.
 */
export async function completeIfHeld(
  cloud: Cloud,
  observer: ArmedObserver,
  trigger: ObservationTrigger,
  event?: EventSummary,
): Promise<CheckOutcome> {
  const snapshot = await takeSnapshot(cloud);
  if (!expectationHolds(observer.expectation, observer.target, snapshot)) return 'pending';
  const sent = await cloud.sendTaskSuccess(observer.token, observationOf(observer, snapshot, trigger, event));
  await cloud.disarm(observer);
  return sent === 'sent' ? 'completed' : 'task-closed';
}

/**
 * Ends an observation that ran out of time: sends task success with what the group looks like
 * now and `held: false`, so the workflow goes on to tear down and the verdict says "never seen".
 */
export async function completeNotObserved(cloud: Cloud, observer: ArmedObserver): Promise<CheckOutcome> {
  const snapshot = await takeSnapshot(cloud);
  const sent = await cloud.sendTaskSuccess(observer.token, observationOf(observer, snapshot, 'deadline'));
  await cloud.disarm(observer);
  return sent === 'sent' ? 'completed' : 'task-closed';
}
