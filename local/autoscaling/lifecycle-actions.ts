import { randomUUID } from 'node:crypto';
import type { LifecycleActionResult, LifecycleTransition } from '../../lab/aws-facts.js';
import type { Clock, ClockTimer } from '../clock.js';
import { ValidationError } from './errors.js';
import { globalTimeoutSeconds, type HookSettings } from './lifecycle-hooks.js';

/** Why a lifecycle action ended. */
export type ActionEnd = 'completed' | 'heartbeat-timeout' | 'global-timeout' | 'hook-deleted' | 'cancelled';

/** One hook's action on one instance in a wait state: what its lifecycle event announces. */
export interface LifecycleAction {
  /** A UUID, as AWS's LifecycleActionToken. */
  token: string;
  hook: HookSettings;
  instanceId: string;
  transition: LifecycleTransition;
  /** Simulated epoch ms at which the instance entered the wait state. */
  startedAt: number;
}

/** How an instance's wait ended: the result, and the action that decided it. */
export interface LifecycleOutcome {
  result: LifecycleActionResult;
  end: ActionEnd;
  token: string;
}

/** Which action CompleteLifecycleAction / RecordLifecycleActionHeartbeat mean. */
export interface ActionRef {
  lifecycleHookName: string;
  lifecycleActionToken?: string;
  instanceId?: string;
}

const TOKEN_LENGTH = 36; // LifecycleActionToken: exactly 36 characters in the service model
const INSTANCE_ID_MAX_LENGTH = 19;

/** Throws AWS's ValidationError unless `ref` names an action by a well-formed token or instance id. */
export function assertActionRef({ lifecycleActionToken, instanceId }: ActionRef): void {
  if (lifecycleActionToken === undefined && instanceId === undefined) {
    throw new ValidationError('Either LifecycleActionToken or InstanceId must be specified');
  }
  if (lifecycleActionToken !== undefined && lifecycleActionToken.length !== TOKEN_LENGTH) {
    throw new ValidationError(
      `LifecycleActionToken must be ${TOKEN_LENGTH} characters, got '${lifecycleActionToken}'`,
    );
  }
  if (instanceId !== undefined && (instanceId.length === 0 || instanceId.length > INSTANCE_ID_MAX_LENGTH)) {
    throw new ValidationError(
      `InstanceId must be 1-${INSTANCE_ID_MAX_LENGTH} characters, got '${instanceId}'`,
    );
  }
}

interface OpenAction extends LifecycleAction {
  globalDeadline: number;
  timer: ClockTimer;
  settle(result: LifecycleActionResult, end: ActionEnd): void;
}

/**
 * The lifecycle actions open in one group, each with its heartbeat timer on the simulated clock.
 * An instance waits on every hook of its transition at once (assumption: AWS documents that
 * ABANDON "stops any remaining actions, such as other lifecycle hooks" and CONTINUE "allows any
 * other lifecycle hooks to complete", not whether they run together or in turn); the wait ends
 * CONTINUE when all have continued, ABANDON at the first that abandons
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/adding-lifecycle-hooks.html).
 */
export class LifecycleActions {
  private readonly open = new Map<string, OpenAction>();

  constructor(private readonly deps: { clock: Clock; onWait: (action: LifecycleAction) => void }) {}

  /**
   * Puts the instance in wait for every hook in `hooks` and calls `onEnd` once, synchronously
   * with whatever ends the wait (a CompleteLifecycleAction call, a timer), so the instance's next
   * state is visible as soon as that call returns.
   */
  wait(
    instanceId: string,
    transition: LifecycleTransition,
    hooks: HookSettings[],
    onEnd: (outcome: LifecycleOutcome) => void,
  ): void {
    const pending = new Set<OpenAction>();
    const startedAt = this.deps.clock.now();
    const finish = (outcome: LifecycleOutcome): void => {
      for (const action of pending) this.close(action);
      pending.clear();
      onEnd(outcome);
    };
    for (const hook of hooks) {
      const action: OpenAction = {
        token: randomUUID(),
        hook,
        instanceId,
        transition,
        startedAt,
        globalDeadline: startedAt + globalTimeoutSeconds(hook.heartbeatTimeout) * 1000,
        timer: { cancel: () => undefined },
        settle: (result, end) => {
          if (!pending.delete(action)) return;
          this.close(action);
          if (result === 'ABANDON' || pending.size === 0) finish({ result, end, token: action.token });
        },
      };
      pending.add(action);
      this.open.set(action.token, action);
      this.arm(action);
    }
    if (pending.size === 0) finish({ result: 'CONTINUE', end: 'completed', token: '' });
    for (const action of [...pending]) this.deps.onWait(publicView(action));
  }

  /** CompleteLifecycleAction: ends the action with `result`. */
  complete(ref: ActionRef, result: LifecycleActionResult): void {
    this.find(ref).settle(result, 'completed');
  }

  /** RecordLifecycleActionHeartbeat: restarts the heartbeat timeout, never past the global one. */
  heartbeat(ref: ActionRef): void {
    this.arm(this.find(ref));
  }

  /** Completes every open action of a deleted hook with `result` (what DeleteLifecycleHook does). */
  completeHook(hookName: string, result: LifecycleActionResult): void {
    for (const action of [...this.open.values()]) {
      if (action.hook.name === hookName) action.settle(result, 'hook-deleted');
    }
  }

  /** Ends the waits of an instance that is gone or being taken out of service otherwise. */
  cancel(instanceId: string): void {
    for (const action of [...this.open.values()]) {
      if (action.instanceId === instanceId) action.settle('ABANDON', 'cancelled');
    }
  }

  /** Ends every wait and stops every timer (the group is being deleted). */
  closeAll(): void {
    for (const action of [...this.open.values()]) action.settle('ABANDON', 'cancelled');
  }

  private arm(action: OpenAction): void {
    action.timer.cancel();
    const globalLeft = (action.globalDeadline - this.deps.clock.now()) / 1000;
    const seconds = Math.max(0, Math.min(action.hook.heartbeatTimeout, globalLeft));
    const end: ActionEnd = seconds < action.hook.heartbeatTimeout ? 'global-timeout' : 'heartbeat-timeout';
    action.timer = this.deps.clock.setTimeout(() => action.settle(action.hook.defaultResult, end), seconds);
  }

  private close(action: OpenAction): void {
    action.timer.cancel();
    this.open.delete(action.token);
  }

  /** The open action `ref` names; AWS's ValidationError when there is none. */
  private find({ lifecycleHookName, lifecycleActionToken, instanceId }: ActionRef): OpenAction {
    const action = [...this.open.values()].find(
      (candidate) =>
        candidate.hook.name === lifecycleHookName &&
        (lifecycleActionToken === undefined || candidate.token === lifecycleActionToken) &&
        (instanceId === undefined || candidate.instanceId === instanceId),
    );
    if (action) return action;
    // AWS's wording (observed): "No active Lifecycle Action found with token …" / "… with instance ID …".
    throw new ValidationError(
      lifecycleActionToken === undefined
        ? `No active Lifecycle Action found with instance ID ${instanceId}`
        : `No active Lifecycle Action found with token ${lifecycleActionToken}`,
    );
  }
}

function publicView({ token, hook, instanceId, transition, startedAt }: OpenAction): LifecycleAction {
  return { token, hook, instanceId, transition, startedAt };
}
