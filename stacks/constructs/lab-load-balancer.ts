import { Duration, Fn, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { HealthCheckConfig } from '../../lab/config.js';
import { OPERATOR_KEY_HEADER } from '../../lambdas/middy/operator-fetch.js';

/** The listener port users hit, as in the seed lab. */
export const LISTENER_PORT = 80;
/** What a listener limited by scalelab:ingressCidr answers a request from elsewhere. */
const FORBIDDEN: elbv2.FixedResponseOptions = {
  contentType: 'text/plain',
  messageBody: 'scalelab: this lab admits only the network it was deployed for (scalelab:ingressCidr)\n',
};

export interface LabLoadBalancerProps {
  vpc: ec2.IVpc;
  /** The port the instances' app listens on (target group port). */
  targetPort: number;
  healthCheck: HealthCheckConfig;
  deregistrationDelaySeconds: number;
  /** The seed lab's name for it (web / scaling), kept as a tag: physical names block replacement. */
  labName: string;
  /**
   * The IPv4 CIDR whose requests the listener forwards; it answers anyone else 403, except
   * requests that carry the operator's key. @default anyone
   */
  ingressCidr?: string;
}

/** Listener rule priorities when the listener admits one network and the operator only. */
const FROM_INGRESS_CIDR_PRIORITY = 10;
const FROM_OPERATOR_PRIORITY = 20;

/**
 * The key the operator's requests carry past a listener limited to one network: the UUID of the
 * lab stack's id, which stays the same across updates and is visible only inside the account.
 */
export function operatorKey(stack: Stack): string {
  return Fn.select(2, Fn.split('/', stack.stackId));
}

/**
 * An internet-facing ALB listening on 80 that forwards to a target group on the app port (from
 * one network and the operator only, given an ingress CIDR), and the security group its
 * instances wear: the app port is open to this ALB's group only.
 */
export class LabLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly listener: elbv2.ApplicationListener;
  /** For the instances behind it: no ingress but the app port from the load balancer. */
  readonly instanceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: LabLoadBalancerProps) {
    super(scope, id);
    const { vpc, healthCheck } = props;
    const albSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: `scalelab ${props.labName}: HTTP ${LISTENER_PORT} from the internet`,
      allowAllOutbound: false,
    });
    this.instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc,
      description: `scalelab ${props.labName} instances: port ${props.targetPort} from their load balancer only`,
      // Instances fetch Node.js packages and their app from S3 over the internet (no NAT, no proxy).
      allowAllOutbound: true,
    });
    this.instanceSecurityGroup.connections.allowFrom(
      albSecurityGroup,
      ec2.Port.tcp(props.targetPort),
      `app port from the ${props.labName} load balancer`,
    );
    if (healthCheck.port !== props.targetPort) {
      this.instanceSecurityGroup.connections.allowFrom(
        albSecurityGroup,
        ec2.Port.tcp(healthCheck.port),
        `health checks from the ${props.labName} load balancer`,
      );
    }
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    Tags.of(this).add('scalelab:lab', props.labName);
    Validations.of(albSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'port 80 is public as in the seed lab (scalelab:ingressCidr limits what the listener forwards); instances accept only this group',
    });
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason:
        'a lab ALB without access logs, by design: runs are short and their evidence is recorded by the workflow',
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port: props.targetPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.INSTANCE,
      deregistrationDelay: Duration.seconds(props.deregistrationDelaySeconds),
      healthCheck: {
        path: healthCheck.path,
        port: String(healthCheck.port),
        protocol: elbv2.Protocol.HTTP,
        interval: Duration.seconds(healthCheck.intervalSeconds),
        timeout: Duration.seconds(healthCheck.timeoutSeconds),
        healthyThresholdCount: healthCheck.healthyThresholdCount,
        unhealthyThresholdCount: healthCheck.unhealthyThresholdCount,
        healthyHttpCodes: healthCheck.matcher,
      },
    });
    this.listener = this.loadBalancer.addListener('Http', {
      port: LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: true,
      ...(props.ingressCidr
        ? { defaultAction: elbv2.ListenerAction.fixedResponse(403, FORBIDDEN) }
        : { defaultTargetGroups: [this.targetGroup] }),
    });
    if (props.ingressCidr) this.admitOnly(props.ingressCidr);
  }

  /**
   * Forwards requests from `cidr` and requests with the operator's key. A security group cannot
   * do it: the operator's functions run outside the VPC, from Lambda's own public addresses.
   */
  private admitOnly(cidr: string): void {
    const forward = elbv2.ListenerAction.forward([this.targetGroup]);
    this.listener.addAction('FromIngressCidr', {
      priority: FROM_INGRESS_CIDR_PRIORITY,
      conditions: [elbv2.ListenerCondition.sourceIps([cidr])],
      action: forward,
    });
    this.listener.addAction('FromOperator', {
      priority: FROM_OPERATOR_PRIORITY,
      conditions: [elbv2.ListenerCondition.httpHeader(OPERATOR_KEY_HEADER, [operatorKey(Stack.of(this))])],
      action: forward,
    });
  }

  /** The listener's base URL, as the handlers expect it (scheme and host, no trailing slash). */
  get url(): string {
    return `http://${this.loadBalancer.loadBalancerDnsName}`;
  }
}
