import { Duration, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { LabConfig } from '../../lab/config.js';
import { LAUNCH_HOOK, type LabLifecycleHook, TERMINATE_HOOK } from '../../lab/lifecycle-hooks.js';
import { grantOnGroup } from '../cloud-grants.js';
import type { InstanceApp } from './instance-app.js';
import { LabLoadBalancer } from './lab-load-balancer.js';
import { encryptedRootVolume, labMachineImage } from './machine.js';

export interface ScalingSectionProps {
  vpc: ec2.IVpc;
  config: LabConfig;
  app: InstanceApp;
  instanceType: ec2.InstanceType;
  /** The IPv4 CIDR its load balancer accepts HTTP from. @default anyone */
  ingressCidr?: string;
}

/**
 * ELB health checks start counting after this grace: boot, package install and the first
 * passing checks fit well inside it (the console's default).
 */
const HEALTH_CHECK_GRACE_SECONDS = 300;

/** PutLifecycleHook's transitions as the CDK names them. */
const CDK_TRANSITIONS = {
  'autoscaling:EC2_INSTANCE_LAUNCHING': autoscaling.LifecycleTransition.INSTANCE_LAUNCHING,
  'autoscaling:EC2_INSTANCE_TERMINATING': autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
} as const;

/**
 * Section 2 (auto scaling): a launch template of serve-app instances, an Auto Scaling group
 * behind its own ALB, and target tracking on average CPU. The template leaves the desired
 * capacity unset, so the group starts (and idles) at its minimum, 0: the workflow's provision
 * step sets the configured size and its tear-down sets 0 again, and a redeploy never resets it.
 * Two lifecycle hooks (lab/lifecycle-hooks.ts): a new instance waits until its own user data has
 * seen the app answer; a leaving one until on-scaling-event has seen it drained.
 */
export class ScalingSection extends Construct {
  readonly loadBalancer: LabLoadBalancer;
  readonly group: autoscaling.AutoScalingGroup;
  readonly launchTemplate: ec2.LaunchTemplate;

  constructor(scope: Construct, id: string, props: ScalingSectionProps) {
    super(scope, id);
    const { config, vpc } = props;
    const section = config.section2;
    this.loadBalancer = new LabLoadBalancer(this, 'LoadBalancer', {
      vpc,
      targetPort: section.port,
      healthCheck: config.healthCheck,
      deregistrationDelaySeconds: config.deregistrationDelaySeconds,
      labName: section.loadBalancerName,
      ...(props.ingressCidr ? { ingressCidr: props.ingressCidr } : {}),
    });
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description:
        "scalelab section-2 instances: read their app bundle, complete their group's launch action",
    });
    props.app.grantRead(role);
    // No RecordLifecycleActionHeartbeat: the user data ends well within the hook's timeout.
    grantOnGroup(role, ['autoscaling:CompleteLifecycleAction'], section.autoScalingGroupName);
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: props.instanceType,
      machineImage: labMachineImage(props.instanceType),
      blockDevices: [encryptedRootVolume()],
      securityGroup: this.loadBalancer.instanceSecurityGroup,
      associatePublicIpAddress: true,
      role,
      userData: props.app.userData({
        app: section.app,
        port: section.port,
        launchAction: { groupName: section.autoScalingGroupName, hookName: LAUNCH_HOOK.name },
      }),
      requireImdsv2: true,
      // 1-minute CPU datapoints: target tracking's alarms (3 × 60 s) need them to act in minutes.
      detailedMonitoring: true,
    });
    this.group = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      autoScalingGroupName: section.autoScalingGroupName,
      launchTemplate: this.launchTemplate,
      minCapacity: section.minSize,
      maxCapacity: section.maxSize,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.seconds(HEALTH_CHECK_GRACE_SECONDS),
      }),
      defaultInstanceWarmup: Duration.seconds(section.instanceWarmupSeconds),
      cooldown: Duration.seconds(section.cooldownSeconds),
      groupMetrics: [autoscaling.GroupMetrics.all()],
    });
    Validations.of(this.group).acknowledge({
      id: 'AwsSolutions-AS3',
      reason:
        'scaling events reach the operator through EventBridge (aws.autoscaling), not SNS notifications',
    });
    this.addLifecycleHook('LaunchHook', LAUNCH_HOOK);
    this.addLifecycleHook('TerminateHook', TERMINATE_HOOK);
    this.group.attachToApplicationTargetGroup(this.loadBalancer.targetGroup);
    this.group.scaleOnCpuUtilization('CpuTarget', {
      targetUtilizationPercent: section.targetCpuPercent,
      estimatedInstanceWarmup: Duration.seconds(section.instanceWarmupSeconds),
    });
  }

  /** A hook without a notification target: its events reach EventBridge on their own. */
  private addLifecycleHook(id: string, hook: Readonly<LabLifecycleHook>): autoscaling.LifecycleHook {
    return this.group.addLifecycleHook(id, {
      lifecycleHookName: hook.name,
      lifecycleTransition: CDK_TRANSITIONS[hook.transition],
      defaultResult:
        hook.defaultResult === 'CONTINUE'
          ? autoscaling.DefaultResult.CONTINUE
          : autoscaling.DefaultResult.ABANDON,
      heartbeatTimeout: Duration.seconds(hook.heartbeatTimeoutSeconds),
    });
  }
}
