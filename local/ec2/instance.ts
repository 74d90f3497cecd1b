import type { AppName } from '../../node-app/instance-server.js';

/** EC2's instance states (the subset a lab goes through). */
export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'shutting-down'
  | 'terminated';

/** EC2's instance status check: `impaired` when the instance's app process died on its own. */
export type InstanceStatus = 'initializing' | 'ok' | 'impaired';

/** What DescribeInstances reports about one local instance. */
export interface Instance {
  instanceId: string;
  app: AppName;
  privateIpAddress: string;
  state: InstanceStateName;
  status: InstanceStatus;
  /** Why the instance is in its state (EC2's StateReason), e.g. a failed launch. */
  stateReason?: string;
  /** Simulated launch time, ISO-8601. */
  launchTime: string;
  /** One of the lab's instance types (INSTANCE_TYPES in lab/aws-facts.ts). */
  instanceType: string;
  /** The type's vCPUs: CPUUtilization is a share of all of them. */
  vcpus: number;
  /** Host cores those vCPUs stand for locally: vcpus × LOCAL_VCPU_CORE_SHARE. */
  hostCores: number;
  /** The app process, while there is one. */
  pid?: number;
  tags: Record<string, string>;
}

/** Passed to state-change listeners on every transition. */
export interface InstanceStateChange {
  instance: Instance;
  /** Unset for a launch: the instance did not exist before it was `pending`. */
  previous: InstanceStateName | undefined;
  current: InstanceStateName;
  /** Simulated time of the change, ISO-8601. */
  time: string;
}
