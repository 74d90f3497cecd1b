import type { LabConfig } from '../lab/config.js';
import { LAB_LIFECYCLE_HOOKS, LAUNCH_HOOK } from '../lab/lifecycle-hooks.js';
import { LAB_STACK_NAME, section1Tags } from '../lambdas/cloud/lab-tags.js';
import type { LoadBalancerRef, TargetGroupRef } from '../local/elb/index.js';
import type { LocalAws } from '../local/local-aws.js';
import { InstanceUserData, type UserDataOutcome } from './instance-user-data.js';

/**
 * Assumption: the group's health check grace period. The AWS console's default is 300 s (the API's
 * is 0); it covers boot and the first health checks, so a slow start is not taken for a failure.
 */
export const LAB_HEALTH_CHECK_GRACE_SECONDS = 300;

/**
 * The section-2 launch template's name. The lab stack lets CloudFormation name its template; the
 * local one is named after the group, so `aws ec2 describe-launch-templates` finds it by name.
 */
export function launchTemplateNameOf(autoScalingGroupName: string): string {
  return `${autoScalingGroupName}-template`;
}

/** The name of the lab's target-tracking policy, as it appears in scaling activity causes. */
export const LAB_POLICY_NAME = 'cpu-target-tracking';

export interface LocalLabOptions {
  /** Start section 1 and the group's desired capacity now (`scalelab up`), or leave both at zero
   * cost for a workflow's provision step to start (`scalelab run`). */
  running: boolean;
  /** Listener ports of load balancers web and scaling; 0 picks free ones. */
  ports?: { web: number; scaling: number };
  /** What each section-2 instance's user data did with its launch action. */
  onUserData?: (outcome: UserDataOutcome) => void;
  /** A launch action completion Auto Scaling refused (console.error by default). */
  onError?: (error: unknown) => void;
}

export interface LocalLab {
  web: LoadBalancerRef;
  scaling: LoadBalancerRef;
  webTargets: TargetGroupRef;
  scalingTargets: TargetGroupRef;
  section1InstanceIds: string[];
  /**
   * The section-2 instances' user data, which completes their launch actions: close it before
   * the cloud (closing the cloud also ends it, as it terminates every instance).
   */
  userData: InstanceUserData;
}

function targetGroupProps(config: LabConfig, name: string, port: number) {
  const { path, intervalSeconds, timeoutSeconds, healthyThresholdCount, unhealthyThresholdCount, matcher } =
    config.healthCheck;
  return {
    name,
    port,
    healthCheck: {
      path,
      intervalSeconds,
      timeoutSeconds,
      healthyThresholdCount,
      unhealthyThresholdCount,
      matcher,
    },
    deregistrationDelaySeconds: config.deregistrationDelaySeconds,
  };
}

/** A section's load balancer, listening on `listenerPort`, forwarding to its target group. */
async function createFrontEnd(
  cloud: LocalAws,
  config: LabConfig,
  section: { loadBalancerName: string; targetGroupName: string; port: number },
  listenerPort: number,
): Promise<[LoadBalancerRef, TargetGroupRef]> {
  const loadBalancer = await cloud.elb.createLoadBalancer({
    name: section.loadBalancerName,
    port: listenerPort,
  });
  const targetGroup = cloud.elb.createTargetGroup(
    targetGroupProps(config, section.targetGroupName, section.port),
  );
  cloud.elb.createListener(loadBalancer, targetGroup);
  return [loadBalancer, targetGroup];
}

/**
 * Section 1: two seed-app instances registered with target group `web-targets` behind load
 * balancer `web`. The instances are not in an Auto Scaling group, so registration follows their
 * state here: registered when running, deregistered when they stop (on AWS a stopped instance
 * stays registered as `unused`; no traffic reaches it either way).
 */
async function createSection1(cloud: LocalAws, config: LabConfig, port: number, running: boolean) {
  const { section1 } = config;
  const [web, webTargets] = await createFrontEnd(cloud, config, section1, port);
  const instances = await cloud.ec2.runInstances({
    app: section1.app,
    instanceType: config.instanceType,
    count: section1.instanceCount,
    // As the lab stack tags them: the aws adapter finds them by these tags (lab-tags.ts).
    tags: { ...section1Tags(LAB_STACK_NAME) },
    stopped: !running,
  });
  const ids = new Set(instances.map(({ instanceId }) => instanceId));
  cloud.ec2.onStateChange(({ instance, current }) => {
    if (!ids.has(instance.instanceId)) return;
    if (current === 'running')
      cloud.elb.registerTargets(webTargets, [{ id: instance.instanceId, ip: instance.privateIpAddress }]);
    if (current === 'stopping' || current === 'shutting-down')
      cloud.elb.deregisterTargets(webTargets, [{ id: instance.instanceId }]);
  });
  return { web, webTargets, section1InstanceIds: [...ids] };
}

/**
 * Section 2: the serve-app Auto Scaling group behind load balancer `scaling`, with its policy and
 * the lab's lifecycle hooks (as the CDK puts them, lab/lifecycle-hooks.ts), and the instances'
 * user data that completes the launch hook's actions, listening before the first launch.
 */
async function createSection2(cloud: LocalAws, config: LabConfig, port: number, options: LocalLabOptions) {
  const { section2 } = config;
  const [scaling, scalingTargets] = await createFrontEnd(cloud, config, section2, port);
  const userData = new InstanceUserData({
    clock: cloud.clock,
    ec2: cloud.ec2,
    autoscaling: cloud.autoscaling,
    groupName: section2.autoScalingGroupName,
    hook: LAUNCH_HOOK,
    ...(options.onUserData && { onOutcome: options.onUserData }),
    ...(options.onError && { onError: options.onError }),
  });
  const template = cloud.ec2.createLaunchTemplate({
    launchTemplateName: launchTemplateNameOf(section2.autoScalingGroupName),
    app: section2.app,
    instanceType: config.instanceType,
  });
  cloud.autoscaling.createAutoScalingGroup({
    autoScalingGroupName: section2.autoScalingGroupName,
    // As the lab stack passes its template: by id, at the version it has.
    launchTemplate: { launchTemplateId: template.launchTemplateId, version: String(template.versionNumber) },
    minSize: section2.minSize,
    maxSize: section2.maxSize,
    desiredCapacity: options.running ? section2.desiredCapacity : section2.minSize,
    healthCheckType: 'ELB',
    healthCheckGracePeriod: LAB_HEALTH_CHECK_GRACE_SECONDS,
    defaultInstanceWarmup: section2.instanceWarmupSeconds,
    defaultCooldown: section2.cooldownSeconds,
    targetGroups: [scalingTargets],
    lifecycleHookSpecificationList: LAB_LIFECYCLE_HOOKS.map((hook) => ({
      lifecycleHookName: hook.name,
      lifecycleTransition: hook.transition,
      heartbeatTimeout: hook.heartbeatTimeoutSeconds,
      defaultResult: hook.defaultResult,
    })),
  });
  cloud.autoscaling.putScalingPolicy({
    autoScalingGroupName: section2.autoScalingGroupName,
    policyName: LAB_POLICY_NAME,
    targetValue: section2.targetCpuPercent,
    estimatedInstanceWarmup: section2.instanceWarmupSeconds,
  });
  return { scaling, scalingTargets, userData };
}

/** Creates both sections of the lab in a local cloud, from the one lab configuration. */
export async function createLocalLab(
  cloud: LocalAws,
  config: LabConfig,
  options: LocalLabOptions,
): Promise<LocalLab> {
  const ports = options.ports ?? { web: 0, scaling: 0 };
  const section1 = await createSection1(cloud, config, ports.web, options.running);
  const section2 = await createSection2(cloud, config, ports.scaling, options);
  return { ...section1, ...section2 };
}
