/** Elastic Load Balancing v2 through the real SDK v3 client against the local endpoint (AWS query). */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadBalancerRef, TargetGroupRef } from '../../local/elb/index.js';
import { type CloudEndpoint, startCloudEndpoint } from './cloud-endpoint.js';
import { rejection } from './harness.js';

const MISSING_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/ghost/0123456789abcdef';
const MISSING_LB =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/ghost/0123456789abcdef';

describe('ELBv2 through the SDK', () => {
  let e: CloudEndpoint;
  let web: LoadBalancerRef;
  let scaling: LoadBalancerRef;
  let webGroup: TargetGroupRef;
  let spare: TargetGroupRef;
  let listenerArn: string;
  beforeEach(async () => {
    e = await startCloudEndpoint();
    const { elb } = e.cloud;
    web = await elb.createLoadBalancer({ name: 'web' });
    scaling = await elb.createLoadBalancer({ name: 'scaling' });
    webGroup = elb.createTargetGroup({ name: 'web-targets', port: 5000, healthCheck: { path: '/health' } });
    spare = elb.createTargetGroup({ name: 'spare', port: 5000 });
    listenerArn = elb.createListener(web, webGroup).listenerArn;
    // Nothing listens on these addresses: the targets stay in their first health check or fail it.
    elb.registerTargets(webGroup, [
      { id: 'i-0000000000000000a', ip: '127.0.0.250' },
      { id: 'i-0000000000000000b', ip: '127.0.0.251' },
    ]);
  });
  afterEach(async () => {
    await e.close();
    expect(e.errors).toEqual([]);
  });

  it('describes load balancers, by ARN and name too, and pages them with Marker', async () => {
    const all = await e.elb.send(new DescribeLoadBalancersCommand({}));
    const byArn = await e.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [web.arn] }));
    const byName = await e.elb.send(new DescribeLoadBalancersCommand({ Names: ['scaling'] }));
    const first = await e.elb.send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    const second = await e.elb.send(
      new DescribeLoadBalancersCommand({ PageSize: 1, Marker: first.NextMarker }),
    );

    expect(all.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['web', 'scaling']);
    expect(byArn.LoadBalancers?.[0]).toMatchObject({
      LoadBalancerArn: web.arn,
      LoadBalancerName: 'web',
      DNSName: web.dnsName,
      Scheme: 'internet-facing',
      Type: 'application',
      State: { Code: 'active' },
      AvailabilityZones: [{ ZoneName: 'us-east-1a', SubnetId: expect.any(String) }],
    });
    expect(byArn.LoadBalancers?.[0]?.CreatedTime).toBeInstanceOf(Date);
    expect(byName.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['scaling']);
    expect(first.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['web']);
    expect(second.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['scaling']);
    expect(second.NextMarker).toBeUndefined();
  });

  it("describes target groups with their health check settings and their listener's load balancer", async () => {
    const all = await e.elb.send(new DescribeTargetGroupsCommand({}));
    const ofWeb = await e.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: web.arn }));
    const byName = await e.elb.send(new DescribeTargetGroupsCommand({ Names: ['spare'] }));

    expect(all.TargetGroups?.map((tg) => tg.TargetGroupName)).toEqual(['web-targets', 'spare']);
    expect(ofWeb.TargetGroups).toEqual([
      expect.objectContaining({
        TargetGroupArn: webGroup.arn,
        TargetGroupName: 'web-targets',
        Protocol: 'HTTP',
        Port: 5000,
        HealthCheckPath: '/health',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: webGroup.config.healthCheck.intervalSeconds,
        HealthyThresholdCount: webGroup.config.healthCheck.healthyThresholdCount,
        Matcher: { HttpCode: webGroup.config.healthCheck.matcher },
        LoadBalancerArns: [web.arn],
        TargetType: 'instance',
      }),
    ]);
    expect(byName.TargetGroups?.[0]).toMatchObject({ TargetGroupArn: spare.arn, LoadBalancerArns: [] });
  });

  it('describes listeners by load balancer or by ARN, forwarding to their target group', async () => {
    const ofWeb = await e.elb.send(new DescribeListenersCommand({ LoadBalancerArn: web.arn }));
    const byArn = await e.elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    const ofScaling = await e.elb.send(new DescribeListenersCommand({ LoadBalancerArn: scaling.arn }));

    expect(ofWeb.Listeners).toEqual([
      {
        ListenerArn: listenerArn,
        LoadBalancerArn: web.arn,
        Port: web.port,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'forward',
            TargetGroupArn: webGroup.arn,
            ForwardConfig: {
              TargetGroups: [{ TargetGroupArn: webGroup.arn, Weight: 1 }],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ]);
    expect(byArn.Listeners).toEqual(ofWeb.Listeners);
    expect(ofScaling.Listeners).toEqual([]);
  });

  it("refuses listener reads without a load balancer or listeners, or naming unknown ones, with ELBv2's codes", async () => {
    const neither = await rejection(e.elb.send(new DescribeListenersCommand({})));
    const unknownListener = await rejection(
      e.elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn, `${listenerArn}0`] })),
    );
    const unknownBalancer = await rejection(
      e.elb.send(new DescribeListenersCommand({ LoadBalancerArn: MISSING_LB })),
    );

    expect(neither.name).toBe('ValidationError');
    expect(neither.message).toBe('You must specify either listener ARNs or a load balancer ARN');
    expect(unknownListener.name).toBe('ListenerNotFoundException');
    expect(unknownListener.$metadata?.httpStatusCode).toBe(400);
    expect(unknownBalancer.name).toBe('LoadBalancerNotFoundException');
  });

  it('describes the health of every registered target, or of the targets named', async () => {
    const all = await e.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: webGroup.arn }));
    const named = await e.elb.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: webGroup.arn,
        Targets: [{ Id: 'i-0000000000000000a', Port: 5000 }, { Id: 'i-0000000000000000c' }],
      }),
    );

    // Health checks run meanwhile: a target may have left `initial` for `unhealthy` since.
    for (const description of all.TargetHealthDescriptions ?? []) {
      expect(description).toEqual({
        Target: { Id: expect.any(String), Port: 5000 },
        HealthCheckPort: '5000',
        TargetHealth: {
          State: expect.stringMatching(/^(initial|unhealthy)$/),
          Reason: expect.stringMatching(
            /^(Elb\.RegistrationInProgress|Elb\.InitialHealthChecking|Target\.\w+)$/,
          ),
          Description: expect.any(String),
        },
      });
    }
    expect(all.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual([
      'i-0000000000000000a',
      'i-0000000000000000b',
    ]);
    expect(named.TargetHealthDescriptions?.[1]).toEqual({
      Target: { Id: 'i-0000000000000000c', Port: 5000 },
      HealthCheckPort: '5000',
      TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: expect.any(String) },
    });
  });

  it("refuses unknown ARNs and names with ELBv2's codes, and a missing TargetGroupArn", async () => {
    const health = await rejection(
      e.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: MISSING_TG })),
    );
    const groups = await rejection(
      e.elb.send(new DescribeTargetGroupsCommand({ Names: ['spare', 'ghost'] })),
    );
    const balancers = await rejection(
      e.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [MISSING_LB] })),
    );
    const ofGhost = await rejection(
      e.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: MISSING_LB })),
    );
    const missing = await rejection(
      e.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: undefined })),
    );

    expect(health.name).toBe('TargetGroupNotFoundException');
    expect(health.$metadata?.httpStatusCode).toBe(400);
    expect(groups.name).toBe('TargetGroupNotFoundException');
    expect(balancers.name).toBe('LoadBalancerNotFoundException');
    expect(ofGhost.name).toBe('LoadBalancerNotFoundException');
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toMatch(/Value null at 'targetGroupArn'/);
  });
});
