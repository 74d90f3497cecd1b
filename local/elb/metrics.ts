/**
 * What the local load balancers publish to CloudWatch, as AWS's `AWS/ApplicationELB` namespace has
 * it: `RequestCount` per `LoadBalancer` (Sum is the useful statistic; always reported, zeros
 * included), `HealthyHostCount` and `UnHealthyHostCount` per `TargetGroup` and `LoadBalancer`
 * (Average, Minimum, Maximum; always reported). The dimension values are the final portions of the
 * ARNs: `app/<name>/<id>` and `targetgroup/<name>/<id>`. Sources: docs/aws-behaviour.md, "Elastic
 * Load Balancing: CloudWatch metrics".
 */
import type { Clock, ClockTimer } from '../clock.js';

export const ELB_METRIC_NAMESPACE = 'AWS/ApplicationELB';

/**
 * Assumption: simulated seconds between two samples. AWS sends the load balancer's metrics in
 * 60-second intervals, aggregated over its nodes; sampling six times a minute gives a minute's
 * Average, Minimum and Maximum a meaning, and the console's charts steps finer than a minute.
 */
export const ELB_METRIC_SAMPLE_SECONDS = 10;

/** Where the samples go: the local CloudWatch metric store's PutMetricData. */
export interface MetricSink {
  putMetricData(
    namespace: string,
    metricName: string,
    dimensions: Readonly<Record<string, string>>,
    value: number,
    timestamp: number,
  ): void;
}

/** What a sample reads of one load balancer with a listener. */
export interface SampledBalancer {
  readonly arn: string;
  /** Simulated epoch ms when it started: its requests are counted from then. */
  readonly createdAt: number;
  /** Requests forwarded to a target since the load balancer started. */
  readonly requestCount: number;
  /** Its listener's target group: its ARN and its targets' states now. */
  readonly targetGroup: { readonly arn: string; targetStates(): Iterable<string> } | undefined;
}

/** The `LoadBalancer` dimension: the ARN's final portion, `app/<name>/<id>`. */
export function loadBalancerDimension(loadBalancerArn: string): string {
  return loadBalancerArn.slice(loadBalancerArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

/** The `TargetGroup` dimension: the ARN's final portion, `targetgroup/<name>/<id>`. */
export function targetGroupDimension(targetGroupArn: string): string {
  return targetGroupArn.slice(targetGroupArn.lastIndexOf(':') + 1);
}

/** Samples every load balancer with a listener every {@link ELB_METRIC_SAMPLE_SECONDS}. */
export class ElbMetrics {
  private readonly timer: ClockTimer;
  /** Each balancer's request count and the time of the last sample, to publish the difference. */
  private readonly last = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly sink: MetricSink,
    private readonly balancers: () => Iterable<SampledBalancer>,
  ) {
    this.timer = clock.setInterval(() => this.sample(), ELB_METRIC_SAMPLE_SECONDS);
  }

  /** Publishes one sample of every load balancer with a listener. */
  sample(): void {
    const now = this.clock.now();
    for (const balancer of this.balancers()) {
      if (balancer.targetGroup === undefined) continue;
      this.publishRequests(balancer, now);
      this.publishHosts(balancer, balancer.targetGroup, now);
    }
  }

  stop(): void {
    this.timer.cancel();
  }

  /** The requests of the interval since the last sample, stamped at its start (so a minute's Sum holds that minute's requests). */
  private publishRequests(balancer: SampledBalancer, now: number): void {
    const last = this.last.get(balancer.arn) ?? { count: 0, at: balancer.createdAt };
    this.last.set(balancer.arn, { count: balancer.requestCount, at: now });
    const dimensions = { LoadBalancer: loadBalancerDimension(balancer.arn) };
    const requests = balancer.requestCount - last.count;
    this.sink.putMetricData(ELB_METRIC_NAMESPACE, 'RequestCount', dimensions, requests, last.at);
  }

  private publishHosts(
    balancer: SampledBalancer,
    group: NonNullable<SampledBalancer['targetGroup']>,
    now: number,
  ): void {
    let healthy = 0;
    let unhealthy = 0;
    for (const state of group.targetStates()) {
      if (state === 'healthy') healthy++;
      if (state === 'unhealthy') unhealthy++;
    }
    const dimensions = {
      TargetGroup: targetGroupDimension(group.arn),
      LoadBalancer: loadBalancerDimension(balancer.arn),
    };
    this.sink.putMetricData(ELB_METRIC_NAMESPACE, 'HealthyHostCount', dimensions, healthy, now);
    this.sink.putMetricData(ELB_METRIC_NAMESPACE, 'UnHealthyHostCount', dimensions, unhealthy, now);
  }
}
