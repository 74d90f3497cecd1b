/**
 * A local cloud with one load-balanced group and lifecycle hooks, for the lifecycle hook tests:
 * every Auto Scaling event on the bus is recorded, and every cloud made is closed by
 * {@link closeHookedGroups}.
 */
import {
  AUTO_SCALING_DETAIL_TYPES,
  AUTO_SCALING_EVENT_SOURCE,
  LIFECYCLE_ACTION_DETAIL_TYPES,
} from '../../lab/aws-facts.js';
import type {
  AutoScalingEventDetail,
  LifecycleActionEventDetail,
  LifecycleHookSpecification,
} from '../../local/autoscaling/index.js';
import type { TargetGroupRef } from '../../local/elb/index.js';
import type { EventBridgeEvent } from '../../local/eventbridge/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

export const GROUP = 'hooked-asg';
/** Seconds a drained target lingers; long enough to tell "after draining" from "at once". */
export const DEREGISTRATION_DELAY_SECONDS = 20;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface HookedGroup {
  cloud: LocalAws;
  targets: TargetGroupRef;
  /** `EC2 Instance-launch / -terminate Lifecycle Action` events, in arrival order. */
  actions: EventBridgeEvent<string, LifecycleActionEventDetail>[];
  /** `EC2 Instance Launch / Terminate Successful / Unsuccessful` events, in arrival order. */
  activities: EventBridgeEvent<string, AutoScalingEventDetail>[];
}

const open = new Set<LocalAws>();

/** Closes every cloud {@link hookedGroup} made; call from afterEach. */
export async function closeHookedGroups(): Promise<void> {
  const clouds = [...open];
  open.clear();
  await Promise.all(clouds.map((cloud) => cloud.close()));
}

/**
 * A group of serve-app instances behind a load balancer, its hooks in place before its first
 * launch. 100 simulated seconds per real second: a 30 s heartbeat timeout is 0.3 s real.
 */
export async function hookedGroup(options: {
  hooks: LifecycleHookSpecification[];
  desiredCapacity: number;
  bootSeconds?: number;
}): Promise<HookedGroup> {
  const cloud = new LocalAws({
    timeScale: 100,
    subnet: testSubnet(),
    bootSeconds: options.bootSeconds ?? 10,
  });
  open.add(cloud);
  const lb = await cloud.elb.createLoadBalancer({ name: 'hooked' });
  const targets = cloud.elb.createTargetGroup({
    name: 'hooked-targets',
    port: 5000,
    healthCheck: { intervalSeconds: 10, healthyThresholdCount: 2 },
    deregistrationDelaySeconds: DEREGISTRATION_DELAY_SECONDS,
  });
  cloud.elb.createListener(lb, targets);
  const actions: HookedGroup['actions'] = [];
  const activities: HookedGroup['activities'] = [];
  const record = (name: string, detailTypes: string[], into: unknown[]): void => {
    cloud.bus.putRule({
      name,
      eventPattern: { source: [AUTO_SCALING_EVENT_SOURCE], 'detail-type': detailTypes },
    });
    cloud.bus.putTargets(name, [{ id: 'record', handler: (event) => void into.push(event) }]);
  };
  record('lifecycle-actions', Object.values(LIFECYCLE_ACTION_DETAIL_TYPES), actions);
  record('activities', Object.values(AUTO_SCALING_DETAIL_TYPES), activities);
  cloud.autoscaling.createAutoScalingGroup({
    autoScalingGroupName: GROUP,
    app: 'serve',
    instanceType: 't3.micro',
    minSize: 0,
    maxSize: 3,
    desiredCapacity: options.desiredCapacity,
    targetGroups: [targets],
    lifecycleHookSpecificationList: options.hooks,
  });
  return { cloud, targets, actions, activities };
}

/** The instance's Auto Scaling lifecycle state, undefined once the group no longer lists it. */
export function lifecycleStateOf({ cloud }: HookedGroup, instanceId: string): string | undefined {
  const [group] = cloud.autoscaling.describeAutoScalingGroups([GROUP]);
  return group?.Instances?.find(({ InstanceId }) => InstanceId === instanceId)?.LifecycleState;
}

/** The instance's state in the target group (`unused` when not registered). */
export function targetStateOf({ cloud, targets }: HookedGroup, instanceId: string): string | undefined {
  return cloud.elb.describeTargetHealth(targets, [{ id: instanceId }])[0]?.targetHealth.state;
}

/** The EC2 state of the instance (pending, running, shutting-down, terminated). */
export function ec2StateOf({ cloud }: HookedGroup, instanceId: string): string | undefined {
  return cloud.ec2.describeInstances([instanceId])[0]?.state;
}

/** Waits for the `n`-th (1-based) lifecycle action event of `detailType`. */
export function nthAction(
  h: HookedGroup,
  detailType: string,
  n = 1,
): Promise<EventBridgeEvent<string, LifecycleActionEventDetail>> {
  return waitFor(() => h.actions.filter((event) => event['detail-type'] === detailType)[n - 1], {
    what: `lifecycle action event ${n} of ${detailType}`,
  });
}

/** Waits for the activity event of `detailType` about `instanceId`. */
export function activityEventOf(
  h: HookedGroup,
  detailType: string,
  instanceId: string,
): Promise<EventBridgeEvent<string, AutoScalingEventDetail>> {
  return waitFor(
    () =>
      h.activities.find(
        (event) => event['detail-type'] === detailType && event.detail.EC2InstanceId === instanceId,
      ),
    { what: `${detailType} for ${instanceId}` },
  );
}
