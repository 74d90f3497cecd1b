/**
 * What on-scaling-event does for one instance, apart from the observers: it records the moments of
 * the instance's life (the verdict's timeline) and takes part in the lab's lifecycle hooks
 * (lab/lifecycle-hooks.ts). At launch the instance completes its own action, from its user data,
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

/** Target states in which an instance still is in the target group (all but `unused`). */
const IN_TARGET_GROUP = new Set(['initial', 'healthy', 'unhealthy', 'draining', 'unavailable']);

const LIFECYCLE_KINDS = {
  [LIFECYCLE_ACTION_DETAIL_TYPES.launch]: { kind: 'launch', transition: LIFECYCLE_TRANSITIONS.launching },
  [LIFECYCLE_ACTION_DETAIL_TYPES.terminate]: {
    kind: 'terminate',
    transition: LIFECYCLE_TRANSITIONS.terminating,
  },
} as const;

/** The moment an activity event marks (what happened to the instance). */
const ACTIVITY_MOMENTS: Readonly<Record<string, InstanceMoment>> = {
  [AUTO_SCALING_DETAIL_TYPES.launchSuccessful]: 'in-service',
  [AUTO_SCALING_DETAIL_TYPES.launchUnsuccessful]: 'launch-failed',
  [AUTO_SCALING_DETAIL_TYPES.terminateSuccessful]: 'terminated',
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
  event: EventSummary,
  action: LifecycleActionEvent | undefined,
): Promise<InstanceOutcome> {
  if (!action) {
    const moment = ACTIVITY_MOMENTS[event.detailType];
    if (!moment || !event.instanceId) return 'none';
    await cloud.recordInstanceMoment(event.instanceId, moment, eventTime(cloud, event));
    return 'recorded';
  }
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
