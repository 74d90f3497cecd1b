import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Flow logs are kept a week: enough to look into a run, not a standing archive. */
const FLOW_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;

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
  }
}
