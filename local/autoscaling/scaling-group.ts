import type { Activity, AutoScalingGroup, LaunchTemplateSpecification } from '@aws-sdk/client-auto-scaling';
import {
  AUTO_SCALING_DETAIL_TYPES,
  type AutoScalingDetailType,
  LIFECYCLE_TRANSITIONS,
} from '../../lab/aws-facts.js';
import type { Clock } from '../clock.js';
import type { CpuSampler } from '../cloudwatch/index.js';
import {
  APP_CPU_PER_SIMULATED_SECOND,
  type Instance,
  type InstanceStateChange,
  type LocalEc2,
} from '../ec2/index.js';
import type { LocalElb, TargetGroupRef } from '../elb/index.js';
import type { LocalEventBus } from '../eventbridge/index.js';
import { ActivityLog } from './activity-log.js';
import {
  abandonedLaunchMessage,
  desiredChangeReason,
  launchCause,
  terminateCause,
  unhealthyCause,
} from './causes.js';
import { DEFAULT_COOLDOWN_SECONDS, LAUNCH_RETRY_SECONDS } from './constants.js';
import { activityEvent } from './events.js';
import { type GroupMember, type HealthCheckType, isPending, isTerminating } from './group.js';
import { describeGroup } from './group-description.js';
import { drainTarget, failedHealthCheck } from './instance-health.js';
import { type LifecycleAction, LifecycleActions, type LifecycleOutcome } from './lifecycle-actions.js';
import { lifecycleActionEvent } from './lifecycle-events.js';
import { type HookSettings, LifecycleHooks } from './lifecycle-hooks.js';

export interface ScalingGroupDeps {
  clock: Clock;
  ec2: LocalEc2;
  elb: LocalElb;
  sampler: CpuSampler;
  bus: LocalEventBus;
  onError: (error: unknown) => void;
}

export interface ScalingGroupSettings {
  name: string;
  arn: string;
  app: Instance['app'];
  instanceType: string;
  /** The launch template the app and instance type came from, when the group was given one. */
  launchTemplate?: LaunchTemplateSpecification;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  healthCheckType: HealthCheckType;
  healthCheckGracePeriod: number;
  defaultInstanceWarmup?: number;
  defaultCooldown: number;
  targetGroups: TargetGroupRef[];
}

/**
 * One Auto Scaling group's loop: launches and terminates instances toward desired capacity (one
 * change at a time, in order), holds them in its lifecycle hooks' wait states, registers them with
 * the target groups, replaces unhealthy ones, records activities with AWS's Cause texts and emits
 * the `aws.autoscaling` events.
 */
export class ScalingGroup {
  readonly members = new Map<string, GroupMember>();
  readonly hooks: LifecycleHooks;
  readonly actions: LifecycleActions;
  readonly createdAt: number;
  private readonly log: ActivityLog;
  private queue: Promise<void> = Promise.resolve();
  private reason: string;
  private closed = false;

  constructor(
    readonly settings: ScalingGroupSettings,
    private readonly deps: ScalingGroupDeps,
  ) {
    this.createdAt = deps.clock.now();
    this.reason = desiredChangeReason(deps.clock.isoNow(), 'create', 0, settings.desiredCapacity);
    this.hooks = new LifecycleHooks(settings.name);
    this.actions = new LifecycleActions({ clock: deps.clock, onWait: (action) => this.announce(action) });
    this.log = new ActivityLog(settings, deps.clock);
  }

  get activities(): readonly Activity[] {
    return this.log.activities;
  }

  get desired(): number {
    return this.settings.desiredCapacity;
  }

  /** Seconds a new instance is left out of the metric (warm-up, falling back to the cooldown). */
  warmupSeconds(policyWarmup?: number): number {
    return (
      policyWarmup ??
      this.settings.defaultInstanceWarmup ??
      this.settings.defaultCooldown ??
      DEFAULT_COOLDOWN_SECONDS
    );
  }

  isWarming(member: GroupMember, warmupSeconds: number): boolean {
    if (isPending(member.lifecycleState)) return true;
    return (
      member.lifecycleState === 'InService' &&
      this.deps.clock.now() < (member.inServiceAt ?? 0) + warmupSeconds * 1000
    );
  }

  /** Changes desired capacity with the reason that becomes the first sentence of the Causes. */
  setDesired(desired: number, trigger: Parameters<typeof desiredChangeReason>[1]): void {
    this.reason = desiredChangeReason(this.deps.clock.isoNow(), trigger, this.desired, desired);
    this.settings.desiredCapacity = desired;
    this.reconcile();
  }

  /** Queues one pass toward desired capacity; passes never overlap. */
  reconcile(): Promise<void> {
    this.queue = this.queue.then(() => this.reconcileNow()).catch(this.deps.onError);
    return this.queue;
  }

  /** Called for every EC2 state change; the group acts on its own members only. */
  onInstanceState(change: InstanceStateChange): void {
    const member = this.members.get(change.instance.instanceId);
    if (!member) return;
    const state = member.lifecycleState;
    // In Pending:Wait the instance waits for its hooks; in Pending:Proceed only for EC2.
    if (change.current === 'running' && (state === 'Pending' || state === 'Pending:Proceed'))
      this.putInService(member, change.instance);
    if (change.current === 'terminated' && isPending(state)) this.launchFailed(member, change.instance);
  }

  /** Replaces members whose EC2 or ELB health check failed, after the grace period. */
  sweepHealth(): void {
    for (const member of this.members.values()) {
      if (member.lifecycleState !== 'InService' || member.healthStatus === 'Unhealthy') continue;
      if (this.deps.clock.now() < member.launchedAt + this.settings.healthCheckGracePeriod * 1000) continue;
      const failed = failedHealthCheck(this.deps, this.settings, member.instanceId);
      if (!failed) continue;
      member.healthStatus = 'Unhealthy';
      const cause = unhealthyCause(this.deps.clock.isoNow(), failed);
      this.queue = this.queue
        .then(() => this.terminate(member, cause))
        .then(() => this.reconcileNow())
        .catch(this.deps.onError);
    }
  }

  describe(): AutoScalingGroup {
    return describeGroup(this.settings, [...this.members.values()], this.createdAt);
  }

  /** Stops acting and terminates every member (what deleting with ForceDelete does). */
  async close(): Promise<void> {
    this.closed = true;
    this.actions.closeAll(); // a termination waiting on its hooks would hold the queue
    await this.queue;
    const ids = [...this.members.keys()];
    for (const id of ids) this.deps.sampler.untrack(id);
    await this.deps.ec2.terminateInstances(ids).catch(this.deps.onError);
    this.members.clear();
  }

  private active(): GroupMember[] {
    return [...this.members.values()].filter(
      ({ lifecycleState }) => isPending(lifecycleState) || lifecycleState === 'InService',
    );
  }

  private async reconcileNow(): Promise<void> {
    if (this.closed) return;
    const active = this.active();
    const desired = this.settings.desiredCapacity;
    for (let count = active.length; count < desired; count++) await this.launch(count, count + 1);
    if (active.length <= desired) return;
    // Newest first (TERMINATE_NEWEST_FIRST): the longest-running instances stay.
    const victims = [...active].sort((a, b) => b.launchedAt - a.launchedAt).slice(0, active.length - desired);
    const time = this.deps.clock.isoNow();
    await Promise.all(
      victims.map((victim, i) =>
        this.terminate(victim, terminateCause(time, this.reason, active.length - i, active.length - i - 1)),
      ),
    );
  }

  private async launch(from: number, to: number): Promise<void> {
    const [instance] = await this.deps.ec2.runInstances({
      app: this.settings.app,
      instanceType: this.settings.instanceType,
      tags: { 'aws:autoscaling:groupName': this.settings.name },
    });
    if (!instance) return;
    const activity = this.log.start(
      `Launching a new EC2 instance: ${instance.instanceId}`,
      launchCause(this.deps.clock.isoNow(), this.reason, from, to),
    );
    const member: GroupMember = {
      instanceId: instance.instanceId,
      privateIp: instance.privateIpAddress,
      lifecycleState: 'Pending',
      healthStatus: 'Healthy',
      launchedAt: this.deps.clock.now(),
      activity,
    };
    this.members.set(instance.instanceId, member);
    const hooks = this.hooks.on(LIFECYCLE_TRANSITIONS.launching);
    if (hooks.length > 0) this.holdLaunch(member, hooks);
  }

  /**
   * Pending:Wait from the moment EC2 accepts the launch, while the instance boots (assumption:
   * AWS runs user data during the wait, so the wait cannot begin later), until every launch hook
   * is completed or timed out. CONTINUE → Pending:Proceed, then in service once EC2 reports the
   * instance running; ABANDON → the instance is terminated and the launch fails.
   */
  private holdLaunch(member: GroupMember, hooks: HookSettings[]): void {
    member.lifecycleState = 'Pending:Wait';
    member.activity.StatusCode = 'MidLifecycleAction';
    this.actions.wait(member.instanceId, LIFECYCLE_TRANSITIONS.launching, hooks, (outcome) => {
      if (member.activity.StatusCode === 'MidLifecycleAction') member.activity.StatusCode = 'InProgress';
      if (member.lifecycleState !== 'Pending:Wait' || this.closed) return; // failed or taken out meanwhile
      if (outcome.result === 'ABANDON') {
        this.abandonLaunch(member, outcome).catch(this.deps.onError);
        return;
      }
      member.lifecycleState = 'Pending:Proceed';
      const [instance] = this.deps.ec2.describeInstances([member.instanceId]);
      if (instance?.state === 'running') this.putInService(member, instance);
    });
  }

  /**
   * An abandoned launch: the activity ends Cancelled with AWS's status message, the instance is
   * terminated without terminate hooks (assumption) and the group launches a replacement.
   */
  private async abandonLaunch(member: GroupMember, { token, end }: LifecycleOutcome): Promise<void> {
    member.lifecycleState = 'Terminating';
    this.log.finish(member.activity, 'Cancelled', abandonedLaunchMessage(token, end));
    this.emit(AUTO_SCALING_DETAIL_TYPES.launchUnsuccessful, member.instanceId, member.activity);
    await this.deps.ec2.terminateInstances([member.instanceId]);
    member.lifecycleState = 'Terminated';
    this.members.delete(member.instanceId);
    void this.reconcile();
  }

  private putInService(member: GroupMember, instance: Instance): void {
    for (const group of this.settings.targetGroups) {
      this.deps.elb.registerTargets(group, [{ id: member.instanceId, ip: instance.privateIpAddress }]);
    }
    member.lifecycleState = 'InService';
    member.inServiceAt = this.deps.clock.now();
    if (instance.pid !== undefined) {
      this.deps.sampler.track({
        instanceId: member.instanceId,
        pid: instance.pid,
        vcpus: instance.vcpus,
        hostCores: instance.hostCores,
        rootPerSimulatedSecond: APP_CPU_PER_SIMULATED_SECOND,
      });
    }
    this.log.finish(member.activity, 'Successful');
    this.emit(AUTO_SCALING_DETAIL_TYPES.launchSuccessful, member.instanceId, member.activity);
  }

  private launchFailed(member: GroupMember, instance: Instance): void {
    member.lifecycleState = 'Terminated';
    this.members.delete(member.instanceId);
    this.actions.cancel(member.instanceId);
    this.log.finish(member.activity, 'Failed', instance.stateReason ?? 'instance failed to launch');
    this.emit(AUTO_SCALING_DETAIL_TYPES.launchUnsuccessful, member.instanceId, member.activity);
    this.deps.clock.setTimeout(() => void this.reconcile(), LAUNCH_RETRY_SECONDS);
  }

  private async terminate(member: GroupMember, cause: string): Promise<void> {
    if (isTerminating(member.lifecycleState) || member.lifecycleState === 'Terminated') return;
    member.lifecycleState = 'Terminating';
    this.actions.cancel(member.instanceId); // a launch still in Pending:Wait ends here
    const activity = this.log.start(`Terminating EC2 instance: ${member.instanceId}`, cause);
    this.deps.sampler.untrack(member.instanceId);
    await Promise.all(
      this.settings.targetGroups.map((group) => drainTarget(this.deps, group, member.instanceId)),
    );
    await this.holdTermination(member, activity);
    await this.deps.ec2.terminateInstances([member.instanceId]);
    member.lifecycleState = 'Terminated';
    this.members.delete(member.instanceId);
    this.log.finish(activity, 'Successful');
    this.emit(AUTO_SCALING_DETAIL_TYPES.terminateSuccessful, member.instanceId, activity);
  }

  /**
   * Terminating:Wait once the instance is deregistered and drained ("deregisters the terminating
   * instance from the load balancer before running lifecycle hooks", documented), until every
   * terminate hook is completed or timed out; CONTINUE and ABANDON both go on to terminate it.
   */
  private async holdTermination(member: GroupMember, activity: Activity): Promise<void> {
    const hooks = this.hooks.on(LIFECYCLE_TRANSITIONS.terminating);
    if (hooks.length === 0 || this.closed) return;
    member.lifecycleState = 'Terminating:Wait';
    activity.StatusCode = 'MidLifecycleAction';
    await new Promise<void>((resolve) =>
      this.actions.wait(member.instanceId, LIFECYCLE_TRANSITIONS.terminating, hooks, () => {
        member.lifecycleState = 'Terminating:Proceed';
        activity.StatusCode = 'InProgress';
        resolve();
      }),
    );
  }

  private emit(detailType: AutoScalingDetailType, instanceId: string, activity: Activity): void {
    if (!this.closed)
      this.deps.bus.putEvents([activityEvent(detailType, this.settings, instanceId, activity)]);
  }

  /** The lifecycle action event of an instance entering a wait state. */
  private announce(action: LifecycleAction): void {
    if (!this.closed) this.deps.bus.putEvents([lifecycleActionEvent(this.settings, action)]);
  }
}
