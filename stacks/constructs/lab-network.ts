import { type CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAB_LOG_RETENTION } from './lab-function.js';

/** Flow logs are kept a week: enough to look into a run, not a standing archive. */
const FLOW_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;
/**
 * The stack-level construct aws-cdk-lib creates for the function that strips the VPC's default
 * security group (@aws-cdk/aws-ec2:restrictDefaultSecurityGroup), and its function's id in it.
 */
const RESTRICT_DEFAULT_SG_PROVIDER_ID = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';
const PROVIDER_HANDLER_ID = 'Handler';

/** The lab's VPC: public subnets in two AZs (an ALB needs two), no NAT gateway (it bills by the hour). */
export class LabNetwork extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Pay per use: logs are written only while traffic flows, so an idle lab ingests nothing.
    const logGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: FLOW_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.logDefaultGroupRemoval();
  }

  /**
   * The function that strips the default security group's rules would log to a group Lambda
   * creates on first call, which `cdk destroy` leaves behind: give it one the stack owns.
   */
  private logDefaultGroupRemoval(): void {
    const provider = Stack.of(this).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER_ID);
    const handler = provider?.node.tryFindChild(PROVIDER_HANDLER_ID) as CfnResource | undefined;
    if (!handler) return;
    const logGroup = new logs.LogGroup(this, 'DefaultSecurityGroupLogs', {
      retention: LAB_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  }
}
