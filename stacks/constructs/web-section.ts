import { Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { LabConfig } from '../../lab/config.js';
import { section1Tags } from '../../lambdas/cloud/lab-tags.js';
import type { InstanceApp } from './instance-app.js';
import { LabLoadBalancer } from './lab-load-balancer.js';
import { encryptedRootVolume, labMachineImage } from './machine.js';

export interface WebSectionProps {
  vpc: ec2.IVpc;
  config: LabConfig;
  app: InstanceApp;
  instanceType: ec2.InstanceType;
  /** The IPv4 CIDR its load balancer accepts HTTP from. @default anyone */
  ingressCidr?: string;
}

/** How long CloudFormation waits for an instance to report that its app answers. */
const START_SIGNAL_TIMEOUT_MINUTES = 15;

/**
 * Section 1 (load balancing): `instanceCount` instances running the seed app, spread over the
 * AZs, behind their own internet-facing ALB. The workflow starts and stops them.
 */
export class WebSection extends Construct {
  readonly loadBalancer: LabLoadBalancer;
  readonly instances: ec2.Instance[];

  constructor(scope: Construct, id: string, props: WebSectionProps) {
    super(scope, id);
    const { config, vpc } = props;
    const section = config.section1;
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
      description: 'scalelab section-1 instances: read their app bundle, nothing else',
    });
    props.app.grantRead(role);
    const subnets = vpc.publicSubnets;
    this.instances = Array.from({ length: section.instanceCount }, (_, index) => {
      const userData = props.app.userData({ app: section.app, port: section.port });
      const instance = new ec2.Instance(this, `Instance${index + 1}`, {
        vpc,
        vpcSubnets: { subnets: [subnets[index % subnets.length]!] },
        associatePublicIpAddress: true,
        instanceType: props.instanceType,
        machineImage: labMachineImage(props.instanceType),
        blockDevices: [encryptedRootVolume()],
        securityGroup: this.loadBalancer.instanceSecurityGroup,
        role,
        userData,
        // A new app bundle must reach the instance: user data runs on first boot only.
        userDataCausesReplacement: true,
        requireImdsv2: true,
        detailedMonitoring: true,
        resourceSignalTimeout: Duration.minutes(START_SIGNAL_TIMEOUT_MINUTES),
      });
      userData.addSignalOnExitCommand(instance);
      // How the operator finds these instances and may start and stop them, whatever their ids.
      for (const [key, value] of Object.entries(section1Tags(Stack.of(this).stackName))) {
        Tags.of(instance).add(key, value);
      }
      Validations.of(instance).acknowledge({
        id: 'AwsSolutions-EC29',
        reason:
          'lab instances are disposable: the workflow stops them and `cdk destroy` must be able to delete them',
      });
      this.loadBalancer.targetGroup.addTarget(new targets.InstanceTarget(instance, section.port));
      return instance;
    });
  }
}
