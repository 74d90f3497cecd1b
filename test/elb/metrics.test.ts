import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../local/cloudwatch/index.js';
import { ELB_METRIC_NAMESPACE, loadBalancerDimension, targetGroupDimension } from '../../local/elb/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { register, startBackend, startElb, tally, waitForState } from './helpers.js';

describe('the load balancer metrics published to CloudWatch', () => {
  it('names the dimensions by the final portions of the ARNs, as AWS/ApplicationELB does', () => {
    expect(
      loadBalancerDimension(
        'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0a1b2c3d4e5f6a7b',
      ),
    ).toBe('app/web/0a1b2c3d4e5f6a7b');
    expect(
      targetGroupDimension(
        'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
      ),
    ).toBe('targetgroup/web-tg/0a1b2c3d4e5f6a7b');
  });

  it('publishes RequestCount per LoadBalancer and HealthyHostCount per TargetGroup and LoadBalancer', async () => {
    // Prepare: two healthy targets behind one load balancer whose metrics go to a store.
    const store = new MetricStore();
    const fixture = await startElb({}, { metrics: store });
    const backends = [await startBackend('i-a', '127.0.0.2'), await startBackend('i-b', '127.0.0.3')];
    register(fixture, backends);
    await waitForState(fixture, backends, 'healthy');
    const [balancer] = fixture.elb.describeLoadBalancers();
    const lb = loadBalancerDimension(balancer?.arn ?? '');
    const hosts = { TargetGroup: targetGroupDimension(fixture.group.arn), LoadBalancer: lb };
    const readAll = (metricName: string, dimensions: Record<string, string>, statistic: 'Sum' | 'Maximum') =>
      store.getMetricStatistics({
        namespace: ELB_METRIC_NAMESPACE,
        metricName,
        dimensions,
        startTime: 0,
        endTime: fixture.clock.now() + 1,
        period: 60,
        statistics: [statistic],
      }).Datapoints;

    // Act: 12 requests through the load balancer (health checks must not count).
    await tally(fixture.url, 12);
    const sentAt = fixture.clock.now();

    // Assess: once a sample after the requests is in, the minutes' sums hold exactly them.
    await waitFor(
      () => store.samples().some((s) => s.metricName === 'RequestCount' && s.timestamp >= sentAt),
      { what: 'a RequestCount sample after the requests' },
    );
    const requests = readAll('RequestCount', { LoadBalancer: lb }, 'Sum');
    expect(requests.reduce((sum, point) => sum + (point.Sum ?? 0), 0)).toBe(12);
    const healthy = readAll('HealthyHostCount', hosts, 'Maximum');
    expect(Math.max(...healthy.map((point) => point.Maximum ?? 0))).toBe(2);
    expect(
      store
        .listMetrics(ELB_METRIC_NAMESPACE)
        .map((m) => m.metricName)
        .sort(),
    ).toEqual(['HealthyHostCount', 'RequestCount', 'UnHealthyHostCount']);
  });
});
