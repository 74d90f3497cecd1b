import type { LifecycleHook } from '@aws-sdk/client-auto-scaling';
import {
  LIFECYCLE_TRANSITIONS,
  type LifecycleActionResult,
  type LifecycleTransition,
} from '../../lab/aws-facts.js';
import {
  DEFAULT_LIFECYCLE_HEARTBEAT_SECONDS,
  DEFAULT_LIFECYCLE_RESULT,
  LIFECYCLE_GLOBAL_TIMEOUT_HEARTBEATS,
  LIFECYCLE_GLOBAL_TIMEOUT_MAX_SECONDS,
  LIFECYCLE_HEARTBEAT_MAX_SECONDS,
  LIFECYCLE_HEARTBEAT_MIN_SECONDS,
  LIFECYCLE_HOOKS_PER_GROUP,
  NOTIFICATION_METADATA_MAX_LENGTH,
} from './constants.js';
import { LimitExceededFault, ValidationError } from './errors.js';

/**
 * A group's lifecycle hooks: PutLifecycleHook, DescribeLifecycleHooks and DeleteLifecycleHook
 * with the service model's constraints
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html).
 */

/** What PutLifecycleHook takes; the notification target and role are EventBridge's job locally. */
export interface PutLifecycleHookInput {
  autoScalingGroupName: string;
  lifecycleHookName: string;
  /** Required for a new hook, optional when updating one (documented). */
  lifecycleTransition?: LifecycleTransition;
  /** Seconds, 30–7200; 3600 by default. */
  heartbeatTimeout?: number;
  /** ABANDON by default. */
  defaultResult?: LifecycleActionResult;
  notificationMetadata?: string;
}

/** One hook as the group keeps it. */
export interface HookSettings {
  name: string;
  transition: LifecycleTransition;
  heartbeatTimeout: number;
  defaultResult: LifecycleActionResult;
  notificationMetadata?: string;
}

/** The documented GlobalTimeout of a hook with this heartbeat timeout, in seconds. */
export function globalTimeoutSeconds(heartbeatTimeout: number): number {
  return Math.min(
    LIFECYCLE_GLOBAL_TIMEOUT_MAX_SECONDS,
    LIFECYCLE_GLOBAL_TIMEOUT_HEARTBEATS * heartbeatTimeout,
  );
}

const HOOK_NAME = /^[A-Za-z0-9\-_/]{1,255}$/;
const METADATA = /^[\t\n\r\u0020-\u007e]+$/;
const TRANSITIONS: readonly string[] = Object.values(LIFECYCLE_TRANSITIONS);
const RESULTS: readonly string[] = ['CONTINUE', 'ABANDON'] satisfies LifecycleActionResult[];

/** Throws AWS's ValidationError unless `name` is a valid LifecycleHookName. */
export function assertHookName(name: string): void {
  if (!HOOK_NAME.test(name)) {
    throw new ValidationError(
      `LifecycleHookName must be 1-255 letters, digits, '-', '_' or '/', got '${name}'`,
    );
  }
}

/** Throws AWS's ValidationError unless `result` is CONTINUE or ABANDON. */
export function assertResult(field: string, result: string): asserts result is LifecycleActionResult {
  if (!RESULTS.includes(result)) {
    throw new ValidationError(`${field} must be CONTINUE or ABANDON, got '${result}'`);
  }
}

function validatePut(input: PutLifecycleHookInput): void {
  assertHookName(input.lifecycleHookName);
  const { lifecycleTransition, heartbeatTimeout, defaultResult, notificationMetadata } = input;
  if (lifecycleTransition !== undefined && !TRANSITIONS.includes(lifecycleTransition)) {
    throw new ValidationError(
      `LifecycleTransition must be ${TRANSITIONS.join(' or ')}, got '${lifecycleTransition}'`,
    );
  }
  if (
    heartbeatTimeout !== undefined &&
    !(
      Number.isInteger(heartbeatTimeout) &&
      heartbeatTimeout >= LIFECYCLE_HEARTBEAT_MIN_SECONDS &&
      heartbeatTimeout <= LIFECYCLE_HEARTBEAT_MAX_SECONDS
    )
  ) {
    throw new ValidationError(
      `HeartbeatTimeout must be an integer from ${LIFECYCLE_HEARTBEAT_MIN_SECONDS} to ${LIFECYCLE_HEARTBEAT_MAX_SECONDS} seconds, got ${heartbeatTimeout}`,
    );
  }
  if (defaultResult !== undefined) assertResult('DefaultResult', defaultResult);
  if (
    notificationMetadata !== undefined &&
    (notificationMetadata.length > NOTIFICATION_METADATA_MAX_LENGTH || !METADATA.test(notificationMetadata))
  ) {
    throw new ValidationError(
      `NotificationMetadata must be 1-${NOTIFICATION_METADATA_MAX_LENGTH} printable ASCII characters, got ${notificationMetadata.length} characters`,
    );
  }
}

/** The lifecycle hooks of one group, by name. */
export class LifecycleHooks {
  private readonly hooks = new Map<string, HookSettings>();

  constructor(private readonly groupName: string) {}

  /** PutLifecycleHook: creates the hook, or updates the fields given of an existing one. */
  put(input: PutLifecycleHookInput): void {
    const existing = this.hooks.get(input.lifecycleHookName);
    validatePut(input);
    const transition = input.lifecycleTransition ?? existing?.transition;
    if (transition === undefined) {
      throw new ValidationError(
        `LifecycleTransition is required for the new lifecycle hook ${input.lifecycleHookName}`,
      );
    }
    if (!existing && this.hooks.size >= LIFECYCLE_HOOKS_PER_GROUP) {
      throw new LimitExceededFault(
        `Max lifecycle hooks reached - AutoScalingGroup ${this.groupName} already has ${LIFECYCLE_HOOKS_PER_GROUP} lifecycle hooks`,
      );
    }
    const notificationMetadata = input.notificationMetadata ?? existing?.notificationMetadata;
    this.hooks.set(input.lifecycleHookName, {
      name: input.lifecycleHookName,
      transition,
      heartbeatTimeout:
        input.heartbeatTimeout ?? existing?.heartbeatTimeout ?? DEFAULT_LIFECYCLE_HEARTBEAT_SECONDS,
      defaultResult: input.defaultResult ?? existing?.defaultResult ?? DEFAULT_LIFECYCLE_RESULT,
      ...(notificationMetadata === undefined ? {} : { notificationMetadata }),
    });
  }

  /** The hook named `name`; AWS's ValidationError naming it when the group has none by that name. */
  get(name: string): HookSettings {
    assertHookName(name);
    const hook = this.hooks.get(name);
    if (!hook) {
      throw new ValidationError(
        `No Lifecycle Hook found with name ${name} for AutoScalingGroup ${this.groupName}`,
      );
    }
    return hook;
  }

  /** Removes the hook and returns it (its outstanding actions are the caller's to complete). */
  delete(name: string): HookSettings {
    const hook = this.get(name);
    this.hooks.delete(name);
    return hook;
  }

  /** DescribeLifecycleHooks: the named hooks that exist, or all of them. */
  describe(names?: readonly string[]): LifecycleHook[] {
    const wanted = names ?? [...this.hooks.keys()];
    return wanted.flatMap((name) => {
      const hook = this.hooks.get(name);
      if (!hook) return [];
      return [
        {
          LifecycleHookName: hook.name,
          AutoScalingGroupName: this.groupName,
          LifecycleTransition: hook.transition,
          HeartbeatTimeout: hook.heartbeatTimeout,
          GlobalTimeout: globalTimeoutSeconds(hook.heartbeatTimeout),
          DefaultResult: hook.defaultResult,
          ...(hook.notificationMetadata === undefined
            ? {}
            : { NotificationMetadata: hook.notificationMetadata }),
        },
      ];
    });
  }

  /** Copies of the hooks on `transition`, as they are when an instance reaches it. */
  on(transition: LifecycleTransition): HookSettings[] {
    return [...this.hooks.values()].filter((hook) => hook.transition === transition).map((h) => ({ ...h }));
  }
}
