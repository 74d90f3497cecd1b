import type { Activity } from '@aws-sdk/client-auto-scaling';
import type { LifecycleTransition } from '../../lab/aws-facts.js';
import type { AppName } from '../../node-app/instance-server.js';
import type { PutLifecycleHookInput } from './lifecycle-hooks.js';

export type HealthCheckType = 'EC2' | 'ELB';

/** LaunchTemplateSpecification: a template by id or name, and its version ("1", "$Default" or "$Latest"). */
export interface LaunchTemplateSpecification {
  launchTemplateId?: string;
  launchTemplateName?: string;
  /** Default "$Default", as AWS's. */
  version?: string;
}

/**
 * Where a group's instances come from: a launch template of the local EC2 (as the lab's stack
 * gives one), or, as a local shortcut, the app and instance type a template would hold.
 */
export type GroupLaunchSource =
  | { launchTemplate: LaunchTemplateSpecification; app?: never; instanceType?: never }
  | {
      /** The launch template's user data, locally: which app the instances run. */
      app: AppName;
      /** The launch template's instance type (one of INSTANCE_TYPES in lab/aws-facts.ts). */
      instanceType: string;
      launchTemplate?: never;
    };

/** What CreateAutoScalingGroup takes: where instances come from, and the group's settings. */
export type CreateAutoScalingGroupInput = GroupLaunchSource & CreateAutoScalingGroupSettings;

export interface CreateAutoScalingGroupSettings {
  autoScalingGroupName: string;
  minSize: number;
  maxSize: number;
  desiredCapacity?: number;
  healthCheckType?: HealthCheckType;
  healthCheckGracePeriod?: number;
  /** Seconds a new instance is left out of the metric and blocks scale-in. */
  defaultInstanceWarmup?: number;
  defaultCooldown?: number;
  targetGroupArns?: string[];
  /** Hooks in place before the group's first launch (LifecycleHookSpecificationList). */
  lifecycleHookSpecificationList?: LifecycleHookSpecification[];
}

/** A hook given at group creation: PutLifecycleHook's fields, the transition required. */
export type LifecycleHookSpecification = Omit<PutLifecycleHookInput, 'autoScalingGroupName'> & {
  lifecycleTransition: LifecycleTransition;
};

/**
 * The Auto Scaling instance states the local group uses. With a lifecycle hook a launch goes
 * Pending → Pending:Wait → Pending:Proceed → InService and a termination Terminating →
 * Terminating:Wait → Terminating:Proceed → Terminated
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html).
 */
export type LifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated';

/** Launching and not yet in service: counts toward desired capacity, not in the metric nor the target group. */
export function isPending(state: LifecycleState): boolean {
  return state === 'Pending' || state === 'Pending:Wait' || state === 'Pending:Proceed';
}

/** On its way out, not yet terminated. */
export function isTerminating(state: LifecycleState): boolean {
  return state === 'Terminating' || state === 'Terminating:Wait' || state === 'Terminating:Proceed';
}

/** One instance as the group sees it. */
export interface GroupMember {
  instanceId: string;
  privateIp: string;
  lifecycleState: LifecycleState;
  healthStatus: 'Healthy' | 'Unhealthy';
  /** Simulated epoch ms at launch and when the instance went in service. */
  launchedAt: number;
  inServiceAt?: number;
  /** Cause of the launch activity, carried to the Launch Successful event. */
  activity: Activity;
}

/** What putScalingPolicy takes for a target-tracking policy on average CPU. */
export interface TargetTrackingPolicyInput {
  autoScalingGroupName: string;
  policyName: string;
  targetValue: number;
  /** Overrides the group's DefaultInstanceWarmup for this policy. */
  estimatedInstanceWarmup?: number;
  disableScaleIn?: boolean;
}
