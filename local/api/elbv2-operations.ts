/**
 * The Elastic Load Balancing v2 operations the endpoint serves (AWS query protocol) over the
 * local ELB: Application Load Balancers that are real HTTP proxies on loopback.
 */
import { LOCAL_AVAILABILITY_ZONE } from '../arn.js';
import { LOCAL_SUBNET_ID } from '../autoscaling/constants.js';
import {
  ElbClosedError,
  ElbError,
  type ListenerRef,
  type LoadBalancerDescription,
  LoadBalancerListenError,
  type LocalElb,
  type TargetGroupDescription,
  type TargetHealthDescription,
  TargetTimeoutError,
} from '../elb/index.js';
import { QueryError } from './query/errors.js';
import type { QueryOperation, QueryService } from './query/handler.js';
import { pageOf } from './query/pages.js';
import type { QueryParams } from './query/params.js';

const ELBV2_VERSION = '2015-12-01';

function loadBalancerNotFound(): QueryError {
  return new QueryError('LoadBalancerNotFound', 'One or more load balancers not found');
}

function listenerNotFound(): QueryError {
  return new QueryError('ListenerNotFound', 'One or more listeners not found');
}

function targetGroupNotFound(): QueryError {
  return new QueryError('TargetGroupNotFound', 'One or more target groups not found');
}

/** Marker and PageSize (1–400); all items when no PageSize is given. */
function page<T>(params: QueryParams, items: readonly T[]) {
  const size = params.integer('PageSize', { min: 1, max: 400 });
  const result = pageOf(items, { token: params.string('Marker'), size }, () =>
    params.errors.invalid('Marker', params.string('Marker') ?? '', 'Invalid marker'),
  );
  return { items: result.items, NextMarker: result.nextToken };
}

/** The items whose key is wanted, all of them found; otherwise `notFound`. */
function selectAll<T>(
  items: readonly T[],
  key: (item: T) => string,
  wanted: string[],
  notFound: () => QueryError,
): T[] {
  const selected = items.filter((item) => wanted.includes(key(item)));
  if (new Set(selected.map(key)).size < new Set(wanted).size) throw notFound();
  return selected;
}

function onlyOneOf(params: QueryParams, names: string[]): void {
  const given = names.filter((name) => params.strings(name) !== undefined);
  if (given.length > 1) {
    throw new QueryError('ValidationError', `${given.join(' and ')} cannot be specified at the same time`);
  }
}

function loadBalancerOf(balancer: LoadBalancerDescription) {
  return {
    LoadBalancerArn: balancer.arn,
    DNSName: balancer.dnsName,
    CreatedTime: new Date(balancer.createdAt),
    LoadBalancerName: balancer.name,
    Scheme: 'internet-facing',
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: [{ ZoneName: LOCAL_AVAILABILITY_ZONE, SubnetId: LOCAL_SUBNET_ID }],
    IpAddressType: 'ipv4',
  };
}

/** The local listener: HTTP on the load balancer's own port, forwarding everything to one target group. */
function listenerOf({ listenerArn, loadBalancerArn, targetGroupArn, port }: ListenerRef) {
  return {
    ListenerArn: listenerArn,
    LoadBalancerArn: loadBalancerArn,
    Port: port,
    Protocol: 'HTTP',
    DefaultActions: [
      {
        Type: 'forward',
        TargetGroupArn: targetGroupArn,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

function targetGroupOf({ arn, config, loadBalancerArns }: TargetGroupDescription) {
  const { healthCheck } = config;
  return {
    TargetGroupArn: arn,
    TargetGroupName: config.name,
    Protocol: config.protocol,
    Port: config.port,
    HealthCheckProtocol: config.protocol,
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: healthCheck.timeoutSeconds,
    HealthyThresholdCount: healthCheck.healthyThresholdCount,
    UnhealthyThresholdCount: healthCheck.unhealthyThresholdCount,
    HealthCheckPath: healthCheck.path,
    Matcher: { HttpCode: healthCheck.matcher },
    LoadBalancerArns: loadBalancerArns,
    TargetType: 'instance',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

function targetHealthOf({ target, healthCheckPort, targetHealth }: TargetHealthDescription) {
  return {
    Target: { Id: target.id, Port: target.port },
    HealthCheckPort: healthCheckPort,
    TargetHealth: {
      State: targetHealth.state,
      Reason: targetHealth.reason,
      Description: targetHealth.description,
    },
  };
}

function describeLoadBalancers(elb: LocalElb): QueryOperation {
  return (params) => {
    params.only('LoadBalancerArns', 'Names', 'Marker', 'PageSize');
    onlyOneOf(params, ['LoadBalancerArns', 'Names']);
    const arns = params.strings('LoadBalancerArns');
    const names = params.strings('Names');
    let balancers = elb.describeLoadBalancers();
    if (arns) balancers = selectAll(balancers, (b) => b.arn, arns, loadBalancerNotFound);
    if (names) balancers = selectAll(balancers, (b) => b.name, names, loadBalancerNotFound);
    const { items, NextMarker } = page(params, balancers);
    return { LoadBalancers: items.map(loadBalancerOf), NextMarker };
  };
}

function describeTargetGroups(elb: LocalElb): QueryOperation {
  return (params) => {
    params.only('LoadBalancerArn', 'TargetGroupArns', 'Names', 'Marker', 'PageSize');
    onlyOneOf(params, ['LoadBalancerArn', 'TargetGroupArns', 'Names']);
    const balancerArn = params.string('LoadBalancerArn');
    const arns = params.strings('TargetGroupArns');
    const names = params.strings('Names');
    let groups = elb.describeTargetGroups();
    if (balancerArn !== undefined) {
      if (!elb.describeLoadBalancers().some((balancer) => balancer.arn === balancerArn))
        throw loadBalancerNotFound();
      groups = groups.filter((group) => group.loadBalancerArns.includes(balancerArn));
    }
    if (arns) groups = selectAll(groups, (g) => g.arn, arns, targetGroupNotFound);
    if (names) groups = selectAll(groups, (g) => g.config.name, names, targetGroupNotFound);
    const { items, NextMarker } = page(params, groups);
    return { TargetGroups: items.map(targetGroupOf), NextMarker };
  };
}

/** By load balancer (an unknown one: LoadBalancerNotFound) or by listener ARNs (all must exist). */
function describeListeners(elb: LocalElb): QueryOperation {
  return (params) => {
    params.only('LoadBalancerArn', 'ListenerArns', 'Marker', 'PageSize');
    onlyOneOf(params, ['LoadBalancerArn', 'ListenerArns']);
    const balancerArn = params.string('LoadBalancerArn');
    const arns = params.strings('ListenerArns');
    if (balancerArn === undefined && arns === undefined) {
      throw new QueryError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
    }
    let listeners = elb.describeListeners();
    if (balancerArn !== undefined) {
      if (!elb.describeLoadBalancers().some((balancer) => balancer.arn === balancerArn))
        throw loadBalancerNotFound();
      listeners = listeners.filter((listener) => listener.loadBalancerArn === balancerArn);
    }
    if (arns) listeners = selectAll(listeners, (l) => l.listenerArn, arns, listenerNotFound);
    const { items, NextMarker } = page(params, listeners);
    return { Listeners: items.map(listenerOf), NextMarker };
  };
}

function describeTargetHealth(elb: LocalElb): QueryOperation {
  return (params) => {
    params.only('TargetGroupArn', 'Targets');
    const targets = params.structures('Targets')?.map((target) => {
      target.only('Id', 'Port', 'AvailabilityZone');
      return { id: target.requiredString('Id'), port: target.integer('Port', { min: 1, max: 65535 }) };
    });
    const arn = params.requiredString('TargetGroupArn');
    if (!elb.describeTargetGroups().some((group) => group.arn === arn)) throw targetGroupNotFound();
    return { TargetHealthDescriptions: elb.describeTargetHealth(arn, targets).map(targetHealthOf) };
  };
}

/** ELBv2's codes are the exception names without `Exception` (the service model's error codes). */
function translate(error: unknown): QueryError | undefined {
  const internal =
    error instanceof ElbClosedError ||
    error instanceof LoadBalancerListenError ||
    error instanceof TargetTimeoutError;
  if (!(error instanceof ElbError) || internal) return undefined;
  return new QueryError(error.name.replace(/Exception$/, ''), error.message);
}

/** Elastic Load Balancing v2 over the local ELB. */
export function elbv2Service(elb: LocalElb): QueryService {
  return {
    signingName: 'elasticloadbalancing',
    version: ELBV2_VERSION,
    xmlns: `http://elasticloadbalancing.amazonaws.com/doc/${ELBV2_VERSION}/`,
    protocol: 'query',
    operations: {
      DescribeLoadBalancers: describeLoadBalancers(elb),
      DescribeTargetGroups: describeTargetGroups(elb),
      DescribeListeners: describeListeners(elb),
      DescribeTargetHealth: describeTargetHealth(elb),
    },
    translate,
  };
}
