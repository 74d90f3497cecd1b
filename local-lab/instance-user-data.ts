/**
 * The section-2 instances' user data, locally: what stacks/constructs/instance-app.ts makes each
 * instance do on AWS once its app is installed. Once an instance of the lab's group is `running`
 * it asks its own app (GET http://<private ip>:5000/) until the app answers, then completes its
 * launch lifecycle action by instance id: CONTINUE, or ABANDON when the app never answered while
 * the hook could still be completed. Only the instance can tell its app is up before it is in the
 * target group, which is why the lab gives the launch action to it and not to the operator.
 */
import http from 'node:http';
import { type LifecycleActionResult, NO_ACTIVE_LIFECYCLE_ACTION } from '../lab/aws-facts.js';
import type { LabLifecycleHook } from '../lab/lifecycle-hooks.js';
import type { LifecycleActionInput } from '../local/autoscaling/index.js';
import type { Clock } from '../local/clock.js';
import { INSTANCE_PORT, type Instance, type InstanceStateChange } from '../local/ec2/index.js';

/** Simulated seconds one ask may take: as the ALB's default health check timeout. */
export const USER_DATA_ASK_TIMEOUT_SECONDS = 5;
/**
 * Simulated seconds between two asks: the clock's step (local/clock.ts), so an app that comes up
 * late costs the launch at most this much more.
 */
export const USER_DATA_RETRY_SECONDS = 2;

/** What one instance's user data did: the result it sent and whether the action was still waiting. */
export interface UserDataOutcome {
  instanceId: string;
  result: LifecycleActionResult;
  action: 'completed' | 'not-waiting';
  /** How many times it asked its app. */
  asks: number;
}

export interface InstanceUserDataOptions {
  clock: Clock;
  ec2: { onStateChange(listener: (change: InstanceStateChange) => void): () => void };
  autoscaling: {
    completeLifecycleAction(
      input: LifecycleActionInput & { lifecycleActionResult: LifecycleActionResult },
    ): void;
  };
  /** The group whose instances run this user data (their `aws:autoscaling:groupName` tag). */
  groupName: string;
  /** The launch hook the instances wait in. */
  hook: Readonly<LabLifecycleHook>;
  /** The app's port (INSTANCE_PORT; tests give their own server's). */
  port?: number;
  /** Each instance's outcome, once it completed (or found nothing to complete). */
  onOutcome?: (outcome: UserDataOutcome) => void;
  /** A completion Auto Scaling refused for another reason than "not waiting" (console.error by default). */
  onError?: (error: unknown) => void;
}

/** The tag Auto Scaling puts on the instances it launches. */
const GROUP_TAG = 'aws:autoscaling:groupName';

/** One GET of the app, bounded by the simulated clock: true for an answer below 400 (curl -f). */
function askApp(clock: Clock, host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answered: boolean): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      request.destroy();
      signal.removeEventListener('abort', onAbort);
      resolve(answered);
    };
    const onAbort = (): void => settle(false);
    const request = http.request({
      host,
      port,
      path: '/',
      method: 'GET',
      agent: false,
      headers: { connection: 'close' },
    });
    const timer = clock.setTimeout(() => settle(false), USER_DATA_ASK_TIMEOUT_SECONDS);
    request.on('response', function judgeAnswer(response) {
      response.resume();
      settle((response.statusCode ?? 0) < 400);
    });
    request.on('error', () => settle(false));
    request.end();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `seconds` of simulated time, or at once (false) when `signal` aborts. */
async function pause(clock: Clock, seconds: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(seconds, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the user data of every instance of `options.groupName` that reaches `running` from now on,
 * until {@link InstanceUserData.close}. An instance that stops or terminates meanwhile ends its
 * own run, so closing the cloud (which terminates every instance) leaves nothing behind either.
 */
export class InstanceUserData {
  private readonly runs = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly options: InstanceUserDataOptions) {
    const least = USER_DATA_ASK_TIMEOUT_SECONDS + USER_DATA_RETRY_SECONDS;
    if (!(options.hook.heartbeatTimeoutSeconds > least)) {
      throw new Error(
        `InstanceUserData: hook ${options.hook.name}'s heartbeatTimeoutSeconds must exceed one ask and one pause (${least} s), got ${options.hook.heartbeatTimeoutSeconds}`,
      );
    }
    this.unsubscribe = options.ec2.onStateChange((change) => this.onStateChange(change));
  }

  /** Stops listening, ends every run (asks, pauses) and resolves once they have ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    const runs = [...this.runs.values()];
    for (const { abort } of runs) abort.abort();
    await Promise.all(runs.map(({ done }) => done));
  }

  private onStateChange({ instance, current }: InstanceStateChange): void {
    if (instance.tags[GROUP_TAG] !== this.options.groupName) return;
    if (current === 'running' && !this.closed && !this.runs.has(instance.instanceId)) {
      const abort = new AbortController();
      const done = this.run(instance, abort.signal)
        .catch((error: unknown) => (this.options.onError ?? console.error)(error))
        .finally(() => this.runs.delete(instance.instanceId));
      this.runs.set(instance.instanceId, { abort, done });
    } else if (current !== 'running') {
      this.runs.get(instance.instanceId)?.abort.abort();
    }
  }

  /**
   * Asks until the app answers or the last ask that could still end before the hook times out;
   * the wait began at the launch (local/autoscaling/scaling-group.ts, holdLaunch).
   */
  private async run(instance: Instance, signal: AbortSignal): Promise<void> {
    const { clock, hook } = this.options;
    const port = this.options.port ?? INSTANCE_PORT;
    const launchedAt = Date.parse(instance.launchTime);
    if (Number.isNaN(launchedAt)) {
      throw new Error(
        `instance ${instance.instanceId} has no valid launchTime (got '${instance.launchTime}')`,
      );
    }
    const lastAskAt =
      launchedAt +
      (hook.heartbeatTimeoutSeconds - USER_DATA_ASK_TIMEOUT_SECONDS - USER_DATA_RETRY_SECONDS) * 1000;
    let asks = 0;
    for (;;) {
      asks += 1;
      if (await askApp(clock, instance.privateIpAddress, port, signal)) break;
      if (signal.aborted) return;
      if (clock.now() >= lastAskAt) return this.complete(instance.instanceId, 'ABANDON', asks);
      if (!(await pause(clock, USER_DATA_RETRY_SECONDS, signal))) return;
    }
    if (signal.aborted) return;
    this.complete(instance.instanceId, 'CONTINUE', asks);
  }

  private complete(instanceId: string, result: LifecycleActionResult, asks: number): void {
    let action: UserDataOutcome['action'] = 'completed';
    try {
      this.options.autoscaling.completeLifecycleAction({
        autoScalingGroupName: this.options.groupName,
        lifecycleHookName: this.options.hook.name,
        instanceId,
        lifecycleActionResult: result,
      });
    } catch (error) {
      // Completed already, or ended by the hook's timeout: as on AWS, nothing left to do.
      const { name, message } = error as Error;
      if (name !== 'ValidationError' || !NO_ACTIVE_LIFECYCLE_ACTION.test(message)) throw error;
      action = 'not-waiting';
    }
    this.options.onOutcome?.({ instanceId, result, action, asks });
  }
}
