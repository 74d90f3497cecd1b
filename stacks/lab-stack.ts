import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { LabConfig } from '../lab/config.js';
import { InstanceApp } from './constructs/instance-app.js';
import { LabNetwork } from './constructs/lab-network.js';
import { labInstanceType } from './constructs/machine.js';
import { ScalingSection } from './constructs/scaling-section.js';
import { StoppedAtDeploy } from './constructs/stopped-at-deploy.js';
import { WebSection } from './constructs/web-section.js';

export interface LabStackProps extends StackProps {
  /** The one lab configuration (lab/config.ts), already validated; its instanceType is every instance's. */
  config: LabConfig;
  /** The IPv4 CIDR both load balancers accept HTTP from. @default anyone (0.0.0.0/0) */
  ingressCidr?: string;
}

/**
 * The lab's resources, idle at zero instances: the VPC, section 1 (instances, stopped once
 * deployed, behind the `web` ALB) and section 2 (the Auto Scaling group at 0 behind `scaling`).
 */
export class LabStack extends Stack {
  readonly config: LabConfig;
  readonly network: LabNetwork;
  readonly web: WebSection;
  readonly scaling: ScalingSection;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const instanceType = labInstanceType(props.config.instanceType);
    this.network = new LabNetwork(this, 'Network');
    const app = new InstanceApp(this, 'InstanceApp');
    const sectionProps = {
      vpc: this.network.vpc,
      config: props.config,
      app,
      instanceType,
      ...(props.ingressCidr ? { ingressCidr: props.ingressCidr } : {}),
    };
    this.web = new WebSection(this, 'Web', sectionProps);
    this.scaling = new ScalingSection(this, 'Scaling', sectionProps);
    new StoppedAtDeploy(this, 'StoppedAtDeploy', { instances: this.web.instances });
    new CfnOutput(this, 'WebUrl', {
      value: this.web.loadBalancer.url,
      description: 'section 1 (load balancing)',
    });
    new CfnOutput(this, 'ScalingUrl', {
      value: this.scaling.loadBalancer.url,
      description: 'section 2 (auto scaling)',
    });
  }
}
