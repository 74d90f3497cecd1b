/**
 * What on-scaling-event does for one instance, apart from the observers: it records the moments of
 * the instance's life (the verdict's timeline) and takes part in the lab's lifecycle hooks
 * (lab/lifecycle-hooks.ts). After a successful launch it looks, for a bounded time, for the instance
 * to turn healthy in the target group (ELB emits no event for that), so the timeline shows when it
 * could take traffic. At launch the instance completes its own action, from its user data,
 * once its app answers (stacks/constructs/instance-app.ts): only it can tell, and the handler just
 * records the wait. At termination the handler completes the action once the instance is out of
 * the target group. Events repeat and come late, so every step is safe to do twice: a moment keeps
 * its first record, and an action that is no longer waiting is `not-waiting`, not an error.
 */
import {
  AUTO_SCALING_DETAIL_TYPES,
  LIFECYCLE_ACTION_DETAIL_TYPES,
  LIFECYCLE_TRANSITIONS,
} from '../../lab/aws-facts.js';
import { LAUNCH_HOOK, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { InvalidHandlerInput } from '../../lab/workflow-errors.js';
import type { Cloud, InstanceMoment } from '../cloud/cloud.js';
import { type JsonRecord, readString } from '../middy/input.js';
import type { EventSummary } from '../observation/observe.js';

/** What actOnInstance reads of an event (ScalingEventInput is one). */
export interface InstanceEvent {
  event: EventSummary;
  /** Set for a lifecycle-action event. */
  lifecycleAction?: LifecycleActionEvent;
  /** An activity event's StartTime (ISO). */
  activityStartTime?: string;
  /** An activity event's EndTime (ISO). */
  activityEndTime?: string;
}

/** A lifecycle-action event's detail: which wait of which instance. */
export interface LifecycleActionEvent {
  kind: 'launch' | 'terminate';
  hookName: string;
  /** LifecycleActionToken: names this very wait. */
  token: string;
  instanceId: string;
}

/**
 * What the handler did for the event's instance:
 * - `recorded`: a moment, nothing else to do (launch actions are the instance's to complete);
 * - `completed`: it completed the terminate action with CONTINUE;
 * - `not-waiting`: the action had already ended (a duplicate event, or the hook's timeout);
 * - `not-drained`: the instance was still in the target group when the wait ran out; the hook's
 *   default result (CONTINUE) will end the action;
 * - `not-ours`: a hook the lab did not put on its group;
 * - `none`: the event names no instance.
 */
export type InstanceOutcome = 'recorded' | 'completed' | 'not-waiting' | 'not-drained' | 'not-ours' | 'none';

/**
 * Simulated seconds the handler waits for a terminating instance to leave the target group: short
 * of the terminate hook's timeout, after which Auto Scaling applies the default result itself and
 * waiting longer would be of no use. Auto Scaling drains an instance before its terminate hook's
 * wait (documented), so the first look normally settles it.
 */
export const DRAIN_WAIT_SECONDS = TERMINATE_HOOK.heartbeatTimeoutSeconds - 10;
/** Simulated seconds between two looks at the target group while an instance drains. */
export const DRAIN_POLL_STEP_SECONDS = 2;
/**
 * Simulated seconds the handler looks for a launched instance to turn healthy, every
 * {@link DRAIN_POLL_STEP_SECONDS}: as long as the drain wait, so the function's timeout
 * (stacks/function-timeouts.ts) covers it too; the default health check (2 × 10 s + 5 s) takes
 * less. An instance not healthy by then simply has no `healthy` moment.
 */
export const HEALTHY_WAIT_SECONDS = DRAIN_WAIT_SECONDS;

/** Target states in which an instance still is in the target group (all but `unused`). */
const IN_TARGET_GROUP = new Set(['initial', 'healthy', 'unhealthy', 'draining', 'unavailable']);

const LIFECYCLE_KINDS = {
  [LIFECYCLE_ACTION_DETAIL_TYPES.launch]: { kind: 'launch', transition: LIFECYCLE_TRANSITIONS.launching },
  [LIFECYCLE_ACTION_DETAIL_TYPES.terminate]: {
    kind: 'terminate',
    transition: LIFECYCLE_TRANSITIONS.terminating,
  },
} as const;

/**
 * The moments an activity event marks: what happened to the instance at the activity's EndTime
 * (the event's `time` when it has none: that is to the second only), and what began at its
 * StartTime. A lifecycle-action event has only its `time`, so a wait's moment is to the second.
 */
const ACTIVITY_MOMENTS: Readonly<Record<string, { ended: InstanceMoment; began: InstanceMoment }>> = {
  [AUTO_SCALING_DETAIL_TYPES.launchSuccessful]: { ended: 'in-service', began: 'launched' },
  [AUTO_SCALING_DETAIL_TYPES.launchUnsuccessful]: { ended: 'launch-failed', began: 'launched' },
  [AUTO_SCALING_DETAIL_TYPES.terminateSuccessful]: { ended: 'terminated', began: 'terminating' },
};

/**
 * The lifecycle action of a lifecycle-action event, undefined for any other event. A detail that
 * lacks a field or whose transition contradicts its detail-type is refused, naming the field.
 */
export function parseLifecycleAction(
  detailType: string,
  detail: JsonRecord,
): LifecycleActionEvent | undefined {
  const expected = LIFECYCLE_KINDS[detailType as keyof typeof LIFECYCLE_KINDS];
  if (!expected) return undefined;
  const transition = readString(detail, 'LifecycleTransition');
  if (transition !== expected.transition) {
    throw new InvalidHandlerInput(
      `LifecycleTransition must be ${expected.transition} in a "${detailType}" event, got ${JSON.stringify(transition)}`,
    );
  }
  return {
    kind: expected.kind,
    hookName: readString(detail, 'LifecycleHookName'),
    token: readString(detail, 'LifecycleActionToken'),
    instanceId: readString(detail, 'EC2InstanceId'),
  };
}

/** When the event happened (epoch ms): its `time`, or now when it has none. */
function eventTime(cloud: Cloud, event: EventSummary): number {
  const at = Date.parse(event.time);
  return Number.isNaN(at) ? cloud.now() : at;
}

/** Whether `instanceId` is out of the scaling target group: not listed, or `unused`. */
async function outOfTargetGroup(cloud: Cloud, instanceId: string): Promise<boolean> {
  const targets = await cloud.describeTargetHealth('scaling');
  return !targets.some((t) => t.targetId === instanceId && IN_TARGET_GROUP.has(t.state));
}

/** Epoch ms of an ISO time, undefined when it is none. */
function timeOf(iso: string | undefined): number | undefined {
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Looks, at most {@link HEALTHY_WAIT_SECONDS}, for `instanceId` to be healthy in the target group
 * and records when it first is.
 */
async function recordHealthy(cloud: Cloud, instanceId: string): Promise<void> {
  const deadline = cloud.now() + HEALTHY_WAIT_SECONDS * 1000;
  for (;;) {
    const targets = await cloud.describeTargetHealth('scaling');
    if (targets.some((t) => t.targetId === instanceId && t.state === 'healthy')) {
      await cloud.recordInstanceMoment(instanceId, 'healthy', cloud.now());
      return;
    }
    if (cloud.now() >= deadline) return;
    await cloud.sleep(DRAIN_POLL_STEP_SECONDS);
  }
}

/** Records the moments an activity event marks; after a successful launch, also when it is healthy. */
async function recordActivity(
  cloud: Cloud,
  { event, activityStartTime, activityEndTime }: InstanceEvent,
): Promise<boolean> {
  const moments = ACTIVITY_MOMENTS[event.detailType];
  if (!moments || !event.instanceId) return false;
  const began = timeOf(activityStartTime);
  if (began !== undefined) await cloud.recordInstanceMoment(event.instanceId, moments.began, began);
  const ended = timeOf(activityEndTime) ?? eventTime(cloud, event);
  await cloud.recordInstanceMoment(event.instanceId, moments.ended, ended);
  if (moments.ended === 'in-service') await recordHealthy(cloud, event.instanceId);
  return true;
}

/** Waits, at most {@link DRAIN_WAIT_SECONDS}, until `instanceId` is out of the target group. */
async function waitUntilDrained(cloud: Cloud, instanceId: string): Promise<boolean> {
  const deadline = cloud.now() + DRAIN_WAIT_SECONDS * 1000;
  for (;;) {
    if (await outOfTargetGroup(cloud, instanceId)) return true;
    if (cloud.now() >= deadline) return false;
    await cloud.sleep(DRAIN_POLL_STEP_SECONDS);
  }
}

async function completeTermination(
  cloud: Cloud,
  groupName: string,
  action: LifecycleActionEvent,
): Promise<InstanceOutcome> {
  if (!(await waitUntilDrained(cloud, action.instanceId))) return 'not-drained';
  await cloud.recordInstanceMoment(action.instanceId, 'drained', cloud.now());
  const outcome = await cloud.completeLifecycleAction({
    groupName,
    hookName: action.hookName,
    token: action.token,
    instanceId: action.instanceId,
    result: 'CONTINUE',
  });
  if (outcome === 'completed') {
    await cloud.recordInstanceMoment(action.instanceId, 'terminate-completed', cloud.now());
  }
  return outcome;
}

/**
 * Records the moment `event` marks for its instance and, for the lab's terminate hook, completes
 * the action once the instance has drained.
 */
export async function actOnInstance(
  cloud: Cloud,
  groupName: string,
  input: InstanceEvent,
): Promise<InstanceOutcome> {
  const { event, lifecycleAction: action } = input;
  if (!action) return (await recordActivity(cloud, input)) ? 'recorded' : 'none';
  // A hook of the right transition but another name is someone else's to complete.
  const ours = action.kind === 'launch' ? LAUNCH_HOOK : TERMINATE_HOOK;
  if (action.hookName !== ours.name) return 'not-ours';
  if (action.kind === 'launch') {
    await cloud.recordInstanceMoment(action.instanceId, 'launch-wait', eventTime(cloud, event));
    return 'recorded';
  }
  await cloud.recordInstanceMoment(action.instanceId, 'terminate-wait', eventTime(cloud, event));
  return completeTermination(cloud, groupName, action);
}
