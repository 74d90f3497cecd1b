/**
 * The Cloud port: everything a handler needs from outside itself. The lab's resources exist at
 * zero cost between runs; provisioning starts them (section 1) and scales the group up
 * (section 2), tear-down stops them and scales to zero. The `aws` adapter (aws-cloud.ts)
 * implements this with AWS SDK v3 clients; the `local` adapter with the local cloud.
 */

import type { LifecycleActionResult } from '../../lab/aws-facts.js';

/** The two load balancers of the lab, by the names of the seed lab. */
export type LoadBalancerName = 'web' | 'scaling';

/** An EC2 instance's state as DescribeInstances reports it. */
export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** A section-1 instance. */
export interface Section1Instance {
  instanceId: string;
  state: InstanceState;
  /** EC2's StateReason message, e.g. why a start failed; absent when EC2 gives none. */
  stateReason?: string;
}

/** An instance of the Auto Scaling group as DescribeAutoScalingGroups reports it. */
export interface GroupInstance {
  instanceId: string;
  /** Auto Scaling lifecycle state: Pending, InService, Terminating, Terminated, … */
  lifecycleState: string;
  /** Auto Scaling health: Healthy or Unhealthy. */
  healthStatus: string;
}

export interface GroupState {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instances: GroupInstance[];
}

/** A target of a target group as DescribeTargetHealth reports it. */
export interface TargetHealth {
  targetId: string;
  port: number;
  /** initial | healthy | unhealthy | unused | draining | unavailable */
  state: string;
  reason?: string;
}

export interface GroupSize {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

/** An event the lab puts on its bus (source `scalelab`): phase changes, the verdict. */
export interface LabEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** The two expectations an observer can wait for. */
export type Expectation = 'scale-out' | 'scale-in';

/** A task token parked until the group reaches an expectation (see arm-observer). */
export interface ArmedObserver {
  /** `${executionId}#${expectation}`: one observer per expectation per execution. */
  observerId: string;
  executionId: string;
  expectation: Expectation;
  token: string;
  /** Epoch ms (simulated locally) when it was armed. */
  armedAt: number;
  /** Epoch ms the measured time counts from (the stress start or end). */
  since: number;
  /** Instances that must be in service and healthy (scale-out) or at most remain (scale-in). */
  target: number;
  /** Epoch ms until which the workflow cools down after this observation (0: none). */
  coolDownUntil: number;
  /** Simulated seconds the event handler may poll target health after a launch event. */
  healthPollSeconds: number;
}

/** Which observer, armed with which token. */
export type ObserverRef = Pick<ArmedObserver, 'observerId' | 'token'>;

/**
 * The execution that holds the lab. The lab's resources are one set per deployment, so one
 * execution at a time may use them (lambdas/lab-guard/): it claims the lab at Validate and releases
 * it once torn down.
 */
export interface LabHolder {
  /** The execution's ARN (`$$.Execution.Id`). */
  executionId: string;
  executionName: string;
  /** Epoch ms (simulated locally) when it claimed the lab. */
  since: number;
}

/** A claim's answer: the lab is the caller's now (or already was), or who holds it. */
export type LabClaim = { claimed: true } | { claimed: false; holder: LabHolder };

/** An execution's status as DescribeExecution reports it; `missing` when there is no such execution. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE'
  | 'missing';

/** What DescribeExecution says of an execution: its status and, once ended, when (epoch ms). */
export interface ExecutionInfo {
  status: ExecutionStatus;
  stopDate?: number;
}

/** Whether a Send* call reached an open task, or the task was already closed (done, timed out, stopped). */
export type TaskResponseOutcome = 'sent' | 'task-closed';

/**
 * One lifecycle action of hook `hookName` on group `groupName`: by its token (what the lifecycle
 * event carries: it names this very wait, so a stale duplicate cannot complete a later one), by
 * the instance it holds, or by both (then both must match).
 */
export type LifecycleActionRef = { groupName: string; hookName: string } & (
  | { token: string; instanceId?: string }
  | { instanceId: string; token?: string }
);

/** CompleteLifecycleAction's input. */
export type CompleteLifecycleActionInput = LifecycleActionRef & { result: LifecycleActionResult };

/**
 * `completed`, or `not-waiting`: Auto Scaling has no such action waiting (completed already, by a
 * duplicate event or by its timeout, or never was). An answer, not an error: events repeat.
 */
export type LifecycleActionOutcome = 'completed' | 'not-waiting';

/**
 * The moments of one instance's life the verdict's timeline shows, each recorded once, in the
 * order they happen:
 * - `launched`: Auto Scaling began its launch (the launch activity's StartTime);
 * - `launch-wait`: Auto Scaling holds it in `Pending:Wait` (the launch lifecycle event);
 * - `in-service`: its launch succeeded (on AWS after its user data saw the app answer and
 *   completed the launch action);
 * - `healthy`: first seen healthy in the scaling target group after its launch;
 * - `launch-failed`: its launch did not succeed (e.g. the launch action was abandoned);
 * - `terminating`: Auto Scaling began its termination, deregistering and draining it first (the
 *   terminate activity's StartTime);
 * - `terminate-wait`: Auto Scaling holds it in `Terminating:Wait` (the terminate lifecycle event);
 * - `drained`: first seen out of the target group (neither registered nor draining);
 * - `terminate-completed`: on-scaling-event completed its terminate action;
 * - `terminated`: its termination succeeded.
 */
export const INSTANCE_MOMENTS = [
  'launched',
  'launch-wait',
  'in-service',
  'healthy',
  'launch-failed',
  'terminating',
  'terminate-wait',
  'drained',
  'terminate-completed',
  'terminated',
] as const;
export type InstanceMoment = (typeof INSTANCE_MOMENTS)[number];

/** What was recorded of one instance: epoch ms (simulated locally) by moment. */
export interface InstanceTimeline {
  instanceId: string;
  moments: Partial<Record<InstanceMoment, number>>;
}

export interface Cloud {
  /** Epoch milliseconds: simulated time locally, the real clock on AWS. */
  now(): number;
  /** Sleeps `seconds` of (simulated) time. */
  sleep(seconds: number): Promise<void>;

  startSection1Instances(): Promise<Section1Instance[]>;
  stopSection1Instances(): Promise<void>;
  describeSection1Instances(): Promise<Section1Instance[]>;

  /** UpdateAutoScalingGroup: sets the group's size (provision up, tear down to zero). */
  updateGroupSize(size: GroupSize): Promise<void>;
  describeGroup(): Promise<GroupState>;
  /** The targets of the target group behind load balancer `name`. */
  describeTargetHealth(name: LoadBalancerName): Promise<TargetHealth[]>;
  /** The base URL (scheme, host, port) of load balancer `name`'s listener. */
  loadBalancerUrl(name: LoadBalancerName): Promise<string>;
  /** Average CPUUtilization of the group over the last period, undefined without datapoints. */
  getGroupCpu(): Promise<number | undefined>;

  putEvents(events: LabEvent[]): Promise<void>;

  sendTaskSuccess(token: string, output: unknown): Promise<TaskResponseOutcome>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<TaskResponseOutcome>;
  sendTaskHeartbeat(token: string): Promise<TaskResponseOutcome>;

  /**
   * Stores (or replaces) an observer; replacing is right: each round of an observe step (and a
   * retried arm step) mints a new token. `rearmed` tells whether one was already armed.
   */
  armObserver(observer: ArmedObserver): Promise<{ rearmed: boolean }>;
  getArmedObservers(): Promise<ArmedObserver[]>;
  /**
   * Removes the observer, but only while it still holds `token`: a late handler that finished with
   * an old round's token must not disarm the round armed after it.
   */
  disarm(observer: ObserverRef): Promise<void>;

  /** Claims the lab for `holder` when nobody holds it or `holder`'s execution already does (a retry). */
  claimLab(holder: LabHolder): Promise<LabClaim>;
  /** Replaces `stale` by `holder`, but only while `stale` still holds the lab; tells whether it did. */
  takeOverLab(stale: LabHolder, holder: LabHolder): Promise<boolean>;
  /** Who holds the lab, if anyone. */
  labHolder(): Promise<LabHolder | undefined>;
  /** Releases the lab, but only while execution `executionId` holds it; tells whether it did. */
  releaseLab(executionId: string): Promise<boolean>;
  /** DescribeExecution's status (and stop date) of execution `executionId` (an ARN). */
  executionStatus(executionId: string): Promise<ExecutionInfo>;

  /** CompleteLifecycleAction; an action that is not waiting is `not-waiting`, not an error. */
  completeLifecycleAction(input: CompleteLifecycleActionInput): Promise<LifecycleActionOutcome>;
  /**
   * Records that `instanceId` reached `moment` at `at` (epoch ms). The first record of a moment
   * stays: a duplicate or late event must not move it.
   */
  recordInstanceMoment(instanceId: string, moment: InstanceMoment, at: number): Promise<void>;
  /** Every instance's recorded moments. */
  getInstanceTimelines(): Promise<InstanceTimeline[]>;
}

/** The id of the observer of `expectation` in execution `executionId`. */
export function observerId(executionId: string, expectation: Expectation): string {
  return `${executionId}#${expectation}`;
}
