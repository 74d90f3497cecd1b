/**
 * On scaling event: the target of the Auto Scaling rule. Events arrive at least once and out of
 * order, so an event is only a reason to look: each armed observer is decided from the group's
 * current state. Held → task success (a duplicate finds the task closed); not yet → heartbeat;
 * after a launch, the new instance still has to pass health checks and ELB emits no event for
 * that, so the handler polls target health for a bounded time. Beside the observers, the event's
 * instance gets its moment recorded and, at termination, its lifecycle action completed
 * (lifecycle.ts).
 */
import { AUTO_SCALING_DETAIL_TYPES } from '../../lab/aws-facts.js';
import type { ArmedObserver, Cloud } from '../cloud/cloud.js';
import { readRecord, readString } from '../middy/input.js';
import { type CheckOutcome, completeIfHeld, type EventSummary } from '../observation/observe.js';
import { defineStep, type StepDeps } from '../step.js';
import {
  actOnInstance,
  type InstanceOutcome,
  type LifecycleActionEvent,
  parseLifecycleAction,
} from './lifecycle.js';

/**
 * Simulated seconds between two target-health looks after a launch event. The step bounds how
 * late a scale-out is seen once the new instance is healthy; at one second the handler makes at
 * most `healthPollSeconds` DescribeTargetHealth calls per launch (10 by default), a trifle.
 */
export const HEALTH_POLL_STEP_SECONDS = 1;

export interface ScalingEventInput {
  groupName: string;
  event: EventSummary;
  /** Set for a lifecycle-action event: the wait it announces. */
  lifecycleAction?: LifecycleActionEvent;
  /** An activity event's StartTime (ISO): when Auto Scaling began the launch or termination. */
  activityStartTime?: string;
  /** Its EndTime (ISO, to the millisecond; the event's own `time` is to the second). */
  activityEndTime?: string;
}

export type ObserverAction = CheckOutcome | 'heartbeat' | 'ignored';

export interface OnScalingEventOutput {
  actions: Record<string, ObserverAction>;
  /** What was done for the event's instance; `ignored` for another group's event. */
  instance: InstanceOutcome | 'ignored';
}

export function parseScalingEvent(event: unknown): ScalingEventInput {
  const envelope = readRecord(event, 'event');
  const detail = readRecord(envelope.detail, 'detail');
  const instanceId = detail.EC2InstanceId;
  const cause = detail.Cause ?? detail.StatusMessage;
  const detailType = readString(envelope, 'detail-type');
  const lifecycleAction = parseLifecycleAction(detailType, detail);
  const { StartTime: startTime, EndTime: endTime } = detail;
  return {
    groupName: readString(detail, 'AutoScalingGroupName'),
    event: {
      detailType,
      instanceId: typeof instanceId === 'string' ? instanceId : '',
      cause: typeof cause === 'string' ? cause : '',
      time: typeof envelope.time === 'string' ? envelope.time : '',
    },
    ...(lifecycleAction && { lifecycleAction }),
    ...(typeof startTime === 'string' && startTime !== '' && { activityStartTime: startTime }),
    ...(typeof endTime === 'string' && endTime !== '' && { activityEndTime: endTime }),
  };
}

/** The observer as armed now: a later round of its step may have re-armed it with a new token. */
async function armedNow(cloud: Cloud, observerId: string): Promise<ArmedObserver | undefined> {
  return (await cloud.getArmedObservers()).find((o) => o.observerId === observerId);
}

/**
 * Looks at target health until the expectation holds. Each look takes the observer as armed at
 * that moment: a round of the observe step lasts 30 s whatever the heartbeats, so a poll outlives
 * the round it began in, and a success sent with that round's token would find the task closed
 * while the next round waited on, unseen until its own end.
 */
async function pollHealth(cloud: Cloud, observer: ArmedObserver, event: EventSummary): Promise<CheckOutcome> {
  const deadline = cloud.now() + observer.healthPollSeconds * 1000;
  while (cloud.now() < deadline) {
    await cloud.sleep(HEALTH_POLL_STEP_SECONDS);
    const current = await armedNow(cloud, observer.observerId);
    if (!current) return 'task-closed';
    const outcome = await completeIfHeld(cloud, current, 'health-poll', event);
    if (outcome !== 'pending') return outcome;
  }
  return 'pending';
}

async function handleObserver(
  cloud: Cloud,
  observer: ArmedObserver,
  event: EventSummary,
): Promise<ObserverAction> {
  const outcome = await completeIfHeld(cloud, observer, 'event', event);
  if (outcome !== 'pending') return outcome;
  if ((await cloud.sendTaskHeartbeat(observer.token)) === 'task-closed') {
    // The step timed out or the execution ended: nothing will ever wait on this token again.
    await cloud.disarm(observer);
    return 'task-closed';
  }
  if (
    observer.expectation === 'scale-out' &&
    event.detailType === AUTO_SCALING_DETAIL_TYPES.launchSuccessful
  ) {
    const polled = await pollHealth(cloud, observer, event);
    return polled === 'pending' ? 'heartbeat' : polled;
  }
  return 'heartbeat';
}

export async function run(
  input: ScalingEventInput,
  { cloud }: Pick<StepDeps, 'cloud'>,
): Promise<OnScalingEventOutput> {
  const [group, observers] = await Promise.all([cloud.describeGroup(), cloud.getArmedObservers()]);
  const actions: Record<string, ObserverAction> = {};
  if (group.name !== input.groupName) {
    for (const observer of observers) actions[observer.observerId] = 'ignored';
    return { actions, instance: 'ignored' };
  }
  // Side by side: a terminating instance's drain wait must not hold up an observer, nor the reverse.
  const [instance, results] = await Promise.all([
    actOnInstance(cloud, group.name, input),
    Promise.all(observers.map((o) => handleObserver(cloud, o, input.event))),
  ]);
  observers.forEach((o, i) => {
    actions[o.observerId] = results[i] ?? 'ignored';
  });
  return { actions, instance };
}

/** The on-scaling-event step as the shared handler wraps it. */
export const onScalingEventStep = defineStep({
  step: 'on-scaling-event',
  parse: parseScalingEvent,
  run,
  announcesPhase: false,
});
