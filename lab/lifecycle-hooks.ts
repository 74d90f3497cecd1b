/**
 * The lab's two lifecycle hooks on the section-2 group: what the CDK puts on the group, what
 * on-scaling-event acts on, and what the budgets allow for. One place, so the three agree.
 * Background: docs/aws-behaviour.md, "EC2 Auto Scaling: lifecycle hooks".
 */
import { LIFECYCLE_TRANSITIONS, type LifecycleActionResult, type LifecycleTransition } from './aws-facts.js';

/** One hook as PutLifecycleHook takes it. */
export interface LabLifecycleHook {
  /** LifecycleHookName: letters, digits, `-`, `_`, `/`; 1–255 characters. */
  name: string;
  transition: LifecycleTransition;
  /** What Auto Scaling does when nobody completes the action in time. */
  defaultResult: LifecycleActionResult;
  /** Seconds the instance waits for CompleteLifecycleAction (30–7200; AWS's default 3600). */
  heartbeatTimeoutSeconds: number;
}

/**
 * The launch hook holds a new instance in `Pending:Wait` until its own user data has seen the app
 * answer on localhost and completed the action (CONTINUE; ABANDON if the app never came up). So
 * "in service" means "the app answers", and the instance joins the target group only then.
 *
 * HeartbeatTimeout 300 s: the wait starts when the instance launches, before its user data runs,
 * so it must outlast the boot (TIMING_ASSUMPTIONS.aws.instanceBootUpper, 180 s) with room to
 * spare; AWS's default hour would hold a broken instance, and the lab's capacity, that long.
 * ABANDON by default: an instance whose user data never said "ready" must not take traffic.
 */
export const LAUNCH_HOOK: Readonly<LabLifecycleHook> = Object.freeze({
  name: 'scalelab-wait-for-app',
  transition: LIFECYCLE_TRANSITIONS.launching,
  defaultResult: 'ABANDON',
  heartbeatTimeoutSeconds: 300,
});

/**
 * The terminate hook holds a leaving instance in `Terminating:Wait` until on-scaling-event has
 * seen it out of the target group (Auto Scaling deregisters and drains it before this wait, as
 * documented; the handler checks rather than trusts) and completed the action, recording when.
 *
 * HeartbeatTimeout 60 s: the handler needs seconds (an event, one look at the target group, one
 * call), and a lost event (they are best effort) costs the scale-in exactly this long before the
 * default result applies. CONTINUE by default: at termination either result terminates the
 * instance, and the lab's measurement must not stall because one event was lost.
 */
export const TERMINATE_HOOK: Readonly<LabLifecycleHook> = Object.freeze({
  name: 'scalelab-wait-for-drain',
  transition: LIFECYCLE_TRANSITIONS.terminating,
  defaultResult: 'CONTINUE',
  heartbeatTimeoutSeconds: 60,
});

/** Both hooks, launch first. */
export const LAB_LIFECYCLE_HOOKS: readonly Readonly<LabLifecycleHook>[] = [LAUNCH_HOOK, TERMINATE_HOOK];

/** The lab's hook named `name`, or undefined for a hook the lab did not put on its group. */
export function labLifecycleHook(name: string): Readonly<LabLifecycleHook> | undefined {
  return LAB_LIFECYCLE_HOOKS.find((hook) => hook.name === name);
}
