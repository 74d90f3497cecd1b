import type { Activity } from '@aws-sdk/client-auto-scaling';
import type { AppName } from '../../node-app/instance-server.js';

export type HealthCheckType = 'EC2' | 'ELB';

/** What CreateAutoScalingGroup takes, with a launch template reduced to the app it runs. */
export interface CreateAutoScalingGroupInput {
  autoScalingGroupName: string;
  /** The launch template's user data, locally: which app the instances run. */
  app: AppName;
  /** The launch template's instance type (one of INSTANCE_TYPES in lab/aws-facts.ts). */
  instanceType: string;
  minSize: number;
  maxSize: number;
  desiredCapacity?: number;
  healthCheckType?: HealthCheckType;
  healthCheckGracePeriod?: number;
  /** Seconds a new instance is left out of the metric and blocks scale-in. */
  defaultInstanceWarmup?: number;
  defaultCooldown?: number;
  targetGroupArns?: string[];
}

export type LifecycleState = 'Pending' | 'InService' | 'Terminating' | 'Terminated';

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
