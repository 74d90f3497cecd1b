import type { Activity, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING_DETAIL_TYPES, type AutoScalingDetailType } from '../../lab/aws-facts.js';
import type { Clock } from '../clock.js';
import type { CpuSampler } from '../cloudwatch/index.js';
import type { Instance, InstanceStateChange, LocalEc2 } from '../ec2/index.js';
import type { LocalElb, TargetGroupRef } from '../elb/index.js';
import type { LocalEventBus } from '../eventbridge/index.js';
import { ActivityLog } from './activity-log.js';
import { desiredChangeReason, launchCause, terminateCause, unhealthyCause } from './causes.js';
import { DEFAULT_COOLDOWN_SECONDS, LAUNCH_RETRY_SECONDS } from './constants.js';
import { activityEvent } from './events.js';
import type { GroupMember, HealthCheckType } from './group.js';
import { describeGroup } from './group-description.js';
import { drainTarget, failedHealthCheck } from './instance-health.js';

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
 * change at a time, in order), registers them with the target groups, replaces unhealthy ones,
 * records activities with AWS's Cause texts and emits the `aws.autoscaling` events.
 */
export class ScalingGroup {
  readonly members = new Map<string, GroupMember>();
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
    if (member.lifecycleState === 'Pending') return true;
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
    if (change.current === 'running' && member.lifecycleState === 'Pending')
      this.putInService(member, change.instance);
    if (change.current === 'terminated' && member.lifecycleState === 'Pending')
      this.launchFailed(member, change.instance);
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
    await this.queue;
    const ids = [...this.members.keys()];
    for (const id of ids) this.deps.sampler.untrack(id);
    await this.deps.ec2.terminateInstances(ids).catch(this.deps.onError);
    this.members.clear();
  }

  private active(): GroupMember[] {
    return [...this.members.values()].filter(
      ({ lifecycleState }) => lifecycleState === 'Pending' || lifecycleState === 'InService',
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
    this.members.set(instance.instanceId, {
      instanceId: instance.instanceId,
      privateIp: instance.privateIpAddress,
      lifecycleState: 'Pending',
      healthStatus: 'Healthy',
      launchedAt: this.deps.clock.now(),
      activity,
    });
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
      });
    }
    this.log.finish(member.activity, 'Successful');
    this.emit(AUTO_SCALING_DETAIL_TYPES.launchSuccessful, member.instanceId, member.activity);
  }

  private launchFailed(member: GroupMember, instance: Instance): void {
    member.lifecycleState = 'Terminated';
    this.members.delete(member.instanceId);
    this.log.finish(member.activity, 'Failed', instance.stateReason ?? 'instance failed to launch');
    this.emit(AUTO_SCALING_DETAIL_TYPES.launchUnsuccessful, member.instanceId, member.activity);
    this.deps.clock.setTimeout(() => void this.reconcile(), LAUNCH_RETRY_SECONDS);
  }

  private async terminate(member: GroupMember, cause: string): Promise<void> {
    if (member.lifecycleState === 'Terminating' || member.lifecycleState === 'Terminated') return;
    member.lifecycleState = 'Terminating';
    const activity = this.log.start(`Terminating EC2 instance: ${member.instanceId}`, cause);
    this.deps.sampler.untrack(member.instanceId);
    await Promise.all(
      this.settings.targetGroups.map((group) => drainTarget(this.deps, group, member.instanceId)),
    );
    await this.deps.ec2.terminateInstances([member.instanceId]);
    member.lifecycleState = 'Terminated';
    this.members.delete(member.instanceId);
    this.log.finish(activity, 'Successful');
    this.emit(AUTO_SCALING_DETAIL_TYPES.terminateSuccessful, member.instanceId, activity);
  }

  private emit(detailType: AutoScalingDetailType, instanceId: string, activity: Activity): void {
    if (!this.closed)
      this.deps.bus.putEvents([activityEvent(detailType, this.settings, instanceId, activity)]);
  }
}
