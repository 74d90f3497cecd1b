import type {
  Activity,
  AutoScalingGroup,
  LifecycleHook,
  ScalingPolicy,
  LaunchTemplateSpecification as SdkLaunchTemplateSpecification,
} from '@aws-sdk/client-auto-scaling';
import {
  INSTANCE_TYPE_NAMES,
  instanceTypeFacts,
  LIFECYCLE_TRANSITIONS,
  type LifecycleActionResult,
} from '../../lab/aws-facts.js';
import type { AppName } from '../../node-app/instance-server.js';
import { arn } from '../arn.js';
import type { Clock } from '../clock.js';
import type { CpuSample, CpuSampler, MetricStore } from '../cloudwatch/index.js';
import type { LocalEc2 } from '../ec2/index.js';
import type { LocalElb, TargetGroupRef } from '../elb/index.js';
import type { LocalEventBus } from '../eventbridge/index.js';
import {
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_HEALTH_CHECK_GRACE_SECONDS,
  HEALTH_SWEEP_SECONDS,
} from './constants.js';
import { AlreadyExistsFault, ValidationError } from './errors.js';
import { alarmStateChangeEvent } from './events.js';
import type {
  CreateAutoScalingGroupInput,
  CreateAutoScalingGroupSettings,
  LaunchTemplateSpecification,
  TargetTrackingPolicyInput,
} from './group.js';
import { type ActionRef, assertActionRef } from './lifecycle-actions.js';
import { assertResult, type PutLifecycleHookInput } from './lifecycle-hooks.js';
import { describePolicy } from './policy-description.js';
import { ScalingGroup } from './scaling-group.js';
import { TargetTrackingPolicy } from './target-tracking-policy.js';

export interface LocalAutoScalingDeps {
  clock: Clock;
  ec2: LocalEc2;
  elb: LocalElb;
  store: MetricStore;
  sampler: CpuSampler;
  bus: LocalEventBus;
  onError?: (error: unknown) => void;
}

/** Which group's lifecycle action CompleteLifecycleAction / RecordLifecycleActionHeartbeat mean. */
export interface LifecycleActionInput extends ActionRef {
  autoScalingGroupName: string;
}

interface GroupEntry {
  group: ScalingGroup;
  policies: TargetTrackingPolicy[];
  /** Each policy's ARN, as PutScalingPolicy returned it. */
  policyArns: Map<TargetTrackingPolicy, string>;
}

/** The versions a one-version template answers to. */
const TEMPLATE_VERSIONS: ReadonlySet<string> = new Set(['1', '$Default', '$Latest']);

/** What a group launches: the app, the instance type, and the template they came from. */
interface GroupLaunch {
  app: AppName;
  instanceType: string;
  launchTemplate?: SdkLaunchTemplateSpecification;
}

function validate(input: CreateAutoScalingGroupSettings & { instanceType: string }, desired: number): void {
  const { minSize, maxSize } = input;
  if (!/^[\w.-]{1,255}$/.test(input.autoScalingGroupName)) {
    throw new ValidationError(
      `AutoScalingGroupName must be 1-255 letters, digits, '.', '_' or '-', got '${input.autoScalingGroupName}'`,
    );
  }
  for (const [field, value] of Object.entries({
    MinSize: minSize,
    MaxSize: maxSize,
    DesiredCapacity: desired,
  })) {
    if (!Number.isInteger(value) || value < 0)
      throw new ValidationError(`${field} must be a non-negative integer, got ${value}`);
  }
  if (maxSize < minSize)
    throw new ValidationError(`MaxSize:${maxSize} must be greater than or equal to MinSize:${minSize}`);
  if (desired < minSize || desired > maxSize) {
    throw new ValidationError(
      `Desired capacity:${desired} must be between the specified min size:${minSize} and max size:${maxSize}`,
    );
  }
  if (!instanceTypeFacts(input.instanceType)) {
    throw new ValidationError(
      `Invalid value '${input.instanceType}' for InstanceType; the local cloud runs ${INSTANCE_TYPE_NAMES.join(', ')}`,
    );
  }
  if (input.healthCheckType === 'ELB' && (input.targetGroupArns?.length ?? 0) === 0) {
    throw new ValidationError('HealthCheckType ELB needs at least one target group');
  }
}

/**
 * The local EC2 Auto Scaling service: groups of real instances kept at desired capacity, health
 * replacement, and target-tracking policies on average CPU, with AWS's API names and shapes.
 */
export class LocalAutoScaling {
  private readonly groups = new Map<string, GroupEntry>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly sweep;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly deps: LocalAutoScalingDeps) {
    this.onError = deps.onError ?? ((error) => console.error(error));
    this.unsubscribe.push(
      deps.ec2.onStateChange((change) => this.eachGroup((g) => g.onInstanceState(change))),
    );
    this.unsubscribe.push(deps.elb.onTargetHealthChange(() => this.eachGroup((g) => g.sweepHealth())));
    this.sweep = deps.clock.setInterval(() => this.eachGroup((g) => g.sweepHealth()), HEALTH_SWEEP_SECONDS);
  }

  /** Creates a group and launches its desired capacity; target groups are passed as objects. */
  createAutoScalingGroup(
    input: CreateAutoScalingGroupInput & { targetGroups?: TargetGroupRef[] },
  ): AutoScalingGroup {
    if (this.groups.has(input.autoScalingGroupName)) {
      throw new AlreadyExistsFault(
        `AutoScalingGroup by this name already exists - A group with the name ${input.autoScalingGroupName} already exists`,
      );
    }
    const desired = input.desiredCapacity ?? input.minSize;
    const targetGroups = input.targetGroups ?? [];
    const launch = input.launchTemplate ? this.templateLaunch(input.launchTemplate) : input;
    validate({ ...input, ...launch, targetGroupArns: targetGroups.map(({ arn }) => arn) }, desired);
    const group = new ScalingGroup(
      {
        name: input.autoScalingGroupName,
        arn: arn(
          'autoscaling',
          `autoScalingGroup:${crypto.randomUUID()}:autoScalingGroupName/${input.autoScalingGroupName}`,
        ),
        app: launch.app,
        instanceType: launch.instanceType,
        launchTemplate: launch.launchTemplate,
        minSize: input.minSize,
        maxSize: input.maxSize,
        desiredCapacity: desired,
        healthCheckType: input.healthCheckType ?? 'EC2',
        healthCheckGracePeriod: input.healthCheckGracePeriod ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS,
        defaultInstanceWarmup: input.defaultInstanceWarmup,
        defaultCooldown: input.defaultCooldown ?? DEFAULT_COOLDOWN_SECONDS,
        targetGroups,
      },
      { ...this.deps, onError: this.onError },
    );
    for (const hook of input.lifecycleHookSpecificationList ?? [])
      group.hooks.put({ ...hook, autoScalingGroupName: input.autoScalingGroupName });
    this.groups.set(input.autoScalingGroupName, { group, policies: [], policyArns: new Map() });
    void group.reconcile();
    return group.describe();
  }

  /**
   * A group's launch from an EC2 launch template, which is read once: locally a template has one
   * version and does not change. Errors are CreateAutoScalingGroup's ValidationError.
   */
  private templateLaunch(spec: LaunchTemplateSpecification): GroupLaunch {
    const { launchTemplateId, launchTemplateName, version = '$Default' } = spec;
    if ((launchTemplateId === undefined) === (launchTemplateName === undefined)) {
      throw new ValidationError('Valid requests must contain either LaunchTemplateId or LaunchTemplateName');
    }
    let template: ReturnType<LocalEc2['launchTemplate']>;
    try {
      template = this.deps.ec2.launchTemplate({ launchTemplateId, launchTemplateName });
    } catch (error) {
      throw new ValidationError(
        `You must use a valid fully-formed launch template. ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!TEMPLATE_VERSIONS.has(version)) {
      throw new ValidationError(
        `You must use a valid fully-formed launch template. The launch template version ${version} does not exist: the local template has version 1 only`,
      );
    }
    return {
      app: template.app,
      instanceType: template.instanceType,
      launchTemplate: {
        LaunchTemplateId: template.launchTemplateId,
        LaunchTemplateName: template.launchTemplateName,
        Version: version,
      },
    };
  }

  setDesiredCapacity({
    autoScalingGroupName,
    desiredCapacity,
  }: {
    autoScalingGroupName: string;
    desiredCapacity: number;
  }): void {
    const { group } = this.entry(autoScalingGroupName);
    const { minSize, maxSize } = group.settings;
    if (!Number.isInteger(desiredCapacity) || desiredCapacity < minSize || desiredCapacity > maxSize) {
      throw new ValidationError(
        `New SetDesiredCapacity value ${desiredCapacity} is outside the bounds of min size ${minSize} and max size ${maxSize}`,
      );
    }
    group.setDesired(desiredCapacity, 'user');
  }

  /** UpdateAutoScalingGroup: new size bounds and desired capacity, validated together. */
  updateAutoScalingGroup(input: {
    autoScalingGroupName: string;
    minSize?: number;
    maxSize?: number;
    desiredCapacity?: number;
  }): void {
    const { group } = this.entry(input.autoScalingGroupName);
    const minSize = input.minSize ?? group.settings.minSize;
    const maxSize = input.maxSize ?? group.settings.maxSize;
    const desired = Math.min(maxSize, Math.max(minSize, input.desiredCapacity ?? group.desired));
    validate(
      {
        ...group.settings,
        autoScalingGroupName: input.autoScalingGroupName,
        minSize,
        maxSize,
        targetGroupArns: group.settings.targetGroups.map(({ arn }) => arn),
      },
      desired,
    );
    group.settings.minSize = minSize;
    group.settings.maxSize = maxSize;
    if (desired !== group.desired) group.setDesired(desired, 'user');
  }

  describeAutoScalingGroups(names?: readonly string[]): AutoScalingGroup[] {
    const wanted = names ?? [...this.groups.keys()];
    return wanted.flatMap((name) => {
      const entry = this.groups.get(name);
      return entry ? [entry.group.describe()] : [];
    });
  }

  /** Newest first, as AWS lists them. */
  describeScalingActivities(autoScalingGroupName: string): Activity[] {
    return this.entry(autoScalingGroupName).group.activities.map((activity) => ({ ...activity }));
  }

  /** Adds a target-tracking policy on average CPU; returns its alarms' names like AWS. */
  putScalingPolicy(input: TargetTrackingPolicyInput): { PolicyARN: string; Alarms: { AlarmName: string }[] } {
    const entry = this.entry(input.autoScalingGroupName);
    if (!(input.targetValue > 0 && input.targetValue <= 100)) {
      throw new ValidationError(
        `TargetValue must be greater than 0 and at most 100 for CPU utilization, got ${input.targetValue}`,
      );
    }
    const policy = new TargetTrackingPolicy(input, entry.group, {
      clock: this.deps.clock,
      store: this.deps.store,
      evaluationDelaySeconds: this.deps.sampler.effectiveIntervalSeconds,
      onError: this.onError,
      onAlarmStateChange: (evaluation) => this.deps.bus.putEvents([alarmStateChangeEvent(evaluation)]),
    });
    entry.policies.push(policy);
    const policyArn = arn(
      'autoscaling',
      `scalingPolicy:${crypto.randomUUID()}:autoScalingGroupName/${input.autoScalingGroupName}:policyName/${input.policyName}`,
    );
    entry.policyArns.set(policy, policyArn);
    return {
      PolicyARN: policyArn,
      Alarms: policy.alarms.map((alarm) => ({ AlarmName: alarm.props.alarmName })),
    };
  }

  /** DescribePolicies: the group's policies (every group's without a name), oldest first. */
  describePolicies(autoScalingGroupName?: string): ScalingPolicy[] {
    const entries =
      autoScalingGroupName === undefined ? [...this.groups.values()] : [this.entry(autoScalingGroupName)];
    return entries.flatMap(({ policies, policyArns }) =>
      policies.map((policy) => describePolicy(policy, policyArns.get(policy) ?? '')),
    );
  }

  /** The policies' alarms, for reports and tests. */
  alarmsOf(autoScalingGroupName: string) {
    return this.entry(autoScalingGroupName).policies.flatMap(({ alarms }) => alarms);
  }

  /**
   * Feeds one CPU sample into the group metric (AWS/EC2 CPUUtilization by AutoScalingGroupName)
   * when the instance counts: in service and past its warm-up for every policy of its group. Its
   * source is the instance: the store averages an instance's samples of a minute into the one
   * datapoint detailed monitoring would publish, so the group's Average weighs instances equally.
   */
  recordCpuSample(sample: CpuSample): void {
    for (const [name, { group, policies }] of this.groups) {
      if (!group.members.has(sample.instanceId)) continue;
      const counts = policies.length === 0 || policies.every((policy) => policy.counts(sample.instanceId));
      if (!counts) return;
      this.deps.store.putMetricData(
        'AWS/EC2',
        'CPUUtilization',
        { AutoScalingGroupName: name },
        sample.cpuUtilization,
        sample.timestamp,
        sample.instanceId,
      );
      return;
    }
  }

  /** PutLifecycleHook: the hook holds the instances that reach its transition from now on. */
  putLifecycleHook(input: PutLifecycleHookInput): void {
    this.entry(input.autoScalingGroupName).group.hooks.put(input);
  }

  describeLifecycleHooks(input: {
    autoScalingGroupName: string;
    lifecycleHookNames?: readonly string[];
  }): LifecycleHook[] {
    return this.entry(input.autoScalingGroupName).group.hooks.describe(input.lifecycleHookNames);
  }

  /**
   * DeleteLifecycleHook: "If there are any outstanding lifecycle actions, they are completed first
   * (ABANDON for launching instances, CONTINUE for terminating instances)" (documented).
   */
  deleteLifecycleHook(input: { autoScalingGroupName: string; lifecycleHookName: string }): void {
    const { group } = this.entry(input.autoScalingGroupName);
    const hook = group.hooks.delete(input.lifecycleHookName);
    group.actions.completeHook(
      hook.name,
      hook.transition === LIFECYCLE_TRANSITIONS.launching ? 'ABANDON' : 'CONTINUE',
    );
  }

  /** CompleteLifecycleAction by token or by instance id (both must match when both are given). */
  completeLifecycleAction(
    input: LifecycleActionInput & { lifecycleActionResult: LifecycleActionResult },
  ): void {
    const { group } = this.entry(input.autoScalingGroupName);
    assertResult('LifecycleActionResult', input.lifecycleActionResult);
    group.hooks.get(input.lifecycleHookName);
    assertActionRef(input);
    group.actions.complete(input, input.lifecycleActionResult);
  }

  /** RecordLifecycleActionHeartbeat: the heartbeat timeout starts again from now. */
  recordLifecycleActionHeartbeat(input: LifecycleActionInput): void {
    const { group } = this.entry(input.autoScalingGroupName);
    group.hooks.get(input.lifecycleHookName);
    assertActionRef(input);
    group.actions.heartbeat(input);
  }

  /** DeleteAutoScalingGroup with ForceDelete: terminates every instance. */
  async deleteAutoScalingGroup(autoScalingGroupName: string): Promise<void> {
    const entry = this.entry(autoScalingGroupName);
    for (const policy of entry.policies) policy.stop();
    this.groups.delete(autoScalingGroupName);
    await entry.group.close();
  }

  async close(): Promise<void> {
    this.sweep.cancel();
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await Promise.all([...this.groups.keys()].map((name) => this.deleteAutoScalingGroup(name)));
  }

  private entry(name: string): GroupEntry {
    const entry = this.groups.get(name);
    if (!entry)
      throw new ValidationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
    return entry;
  }

  private eachGroup(action: (group: ScalingGroup) => void): void {
    for (const { group } of this.groups.values()) {
      try {
        action(group);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
