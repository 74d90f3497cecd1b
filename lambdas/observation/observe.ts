/**
 * Completing an armed observer: shared by arm-observer (checks at once, so an event that came
 * before the token was armed is not missed) and on-scaling-event (checks on every event).
 */
import type { ArmedObserver, Cloud } from '../cloud/cloud.js';
import { expectationHolds, type GroupSnapshot, takeSnapshot } from './group-snapshot.js';

/** What triggered the check that found the expectation held. */
export type ObservationTrigger = 'arming' | 'event' | 'health-poll';

/** The Auto Scaling event behind a check, as the observation reports it. */
export interface EventSummary {
  detailType: string;
  instanceId: string;
  cause: string;
  time: string;
}

/** The observe step's output: what the group looked like when the expectation held. */
export interface Observation extends GroupSnapshot {
  expectation: ArmedObserver['expectation'];
  held: true;
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
    held: true,
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
  await cloud.disarm(observer.observerId);
  return sent === 'sent' ? 'completed' : 'task-closed';
}
