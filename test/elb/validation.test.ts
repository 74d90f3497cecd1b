import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import {
  type CreateTargetGroupProps,
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTargetGroupNameException,
  ElbClosedError,
  InvalidTargetException,
  LoadBalancerListenError,
  LocalElb,
  parseMatcher,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  ValidationError,
} from '../../local/elb/index.js';
import { onCleanup } from './helpers.js';

function newElb(): LocalElb {
  const elb = new LocalElb({ clock: new Clock({ scale: 50 }) });
  onCleanup(() => elb.close());
  return elb;
}

describe('target group validation', () => {
  it("fills in AWS's defaults", () => {
    const group = newElb().createTargetGroup({ name: 'defaults', port: 5000 });
    expect(group.config).toMatchObject({
      protocol: 'HTTP',
      healthCheck: {
        path: '/',
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
        matcher: '200',
      },
      deregistrationDelaySeconds: 300,
      algorithm: 'round_robin',
    });
    expect(group.arn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/defaults\/[0-9a-f]{16}$/,
    );
  });

  const invalid: [string, Partial<CreateTargetGroupProps>, string][] = [
    [
      'interval below 5',
      { healthCheck: { intervalSeconds: 4 } },
      'Health check interval must be an integer from 5 to 300, got 4',
    ],
    [
      'interval above 300',
      { healthCheck: { intervalSeconds: 301 } },
      'Health check interval must be an integer from 5 to 300',
    ],
    [
      'timeout below 2',
      { healthCheck: { timeoutSeconds: 1 } },
      'Health check timeout must be an integer from 2 to 120',
    ],
    [
      'timeout not below interval',
      { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } },
      'Health check timeout (10 s) must be smaller than the interval (10 s)',
    ],
    [
      'healthy threshold 1',
      { healthCheck: { healthyThresholdCount: 1 } },
      'Healthy threshold count must be an integer from 2 to 10',
    ],
    [
      'unhealthy threshold 11',
      { healthCheck: { unhealthyThresholdCount: 11 } },
      'Unhealthy threshold count must be an integer from 2 to 10',
    ],
    [
      'fractional threshold',
      { healthCheck: { healthyThresholdCount: 2.5 } },
      'Healthy threshold count must be an integer',
    ],
    ['path without slash', { healthCheck: { path: 'health' } }, "Health check path must start with '/'"],
    [
      'matcher 199',
      { healthCheck: { matcher: '199' } },
      "Health check matcher '199' must be codes from 200 to 499",
    ],
    ['matcher 500', { healthCheck: { matcher: '200,500' } }, "Health check matcher '200,500'"],
    ['matcher reversed range', { healthCheck: { matcher: '299-200' } }, "Health check matcher '299-200'"],
    ['matcher words', { healthCheck: { matcher: 'ok' } }, "Health check matcher 'ok'"],
    [
      'delay above 3600',
      { deregistrationDelaySeconds: 3601 },
      'Deregistration delay must be an integer from 0 to 3600',
    ],
    ['port 0', { port: 0 }, 'Target group port must be an integer from 1 to 65535'],
    [
      'name with underscore',
      { name: 'bad_name' },
      "Target group name 'bad_name' may contain only alphanumerics and hyphens",
    ],
    ['name ending in a hyphen', { name: 'bad-' }, "Target group name 'bad-'"],
    ['name of 33 characters', { name: 'a'.repeat(33) }, 'Target group name must be 1 to 32 characters'],
    [
      'weighted_random',
      { algorithm: 'weighted_random' as 'round_robin' },
      "Load balancing algorithm must be 'round_robin' or",
    ],
    ['HTTPS', { protocol: 'HTTPS' as 'HTTP' }, "Target group protocol must be 'HTTP' locally, got 'HTTPS'"],
  ];
  it.each(invalid)('rejects %s with a ValidationError naming the limit', (_case, props, message) => {
    const elb = newElb();
    const create = (): unknown => elb.createTargetGroup({ name: 'tg', port: 5000, ...props });
    expect(create).toThrow(ValidationError);
    expect(create).toThrow(message);
  });

  it('parses matcher lists and ranges', () => {
    expect([...parseMatcher('200,202')]).toEqual([200, 202]);
    expect(parseMatcher('200-299').size).toBe(100);
    expect(parseMatcher('204').has(204)).toBe(true);
  });

  it('rejects a duplicate target group name', () => {
    const elb = newElb();
    elb.createTargetGroup({ name: 'same', port: 5000 });
    expect(() => elb.createTargetGroup({ name: 'same', port: 5000 })).toThrow(
      DuplicateTargetGroupNameException,
    );
  });
});

describe('targets, load balancers and listeners', () => {
  it('rejects targets that are not on loopback or have no id', () => {
    const elb = newElb();
    const group = elb.createTargetGroup({ name: 'tg', port: 5000 });
    expect(() => elb.registerTargets(group, [{ id: 'i-1', ip: '10.0.0.5' }])).toThrow(InvalidTargetException);
    expect(() => elb.registerTargets(group, [{ id: '', ip: '127.0.0.2' }])).toThrow(
      'Target id must be a non-empty string',
    );
    expect(() => elb.registerTargets(group, [])).toThrow(ValidationError);
    expect(() => elb.registerTargets('arn:nope', [{ id: 'i-1', ip: '127.0.0.2' }])).toThrow(
      TargetGroupNotFoundException,
    );
  });

  it('rejects a non-loopback host, a bad name and a duplicate name', async () => {
    const elb = newElb();
    await expect(elb.createLoadBalancer({ name: 'open', host: '0.0.0.0' })).rejects.toThrow(
      "Load balancer host must be a loopback IPv4 address (127.x.x.x), got '0.0.0.0'",
    );
    await expect(elb.createLoadBalancer({ name: 'internal-web' })).rejects.toThrow(
      "must not begin with 'internal-'",
    );
    await elb.createLoadBalancer({ name: 'web' });
    await expect(elb.createLoadBalancer({ name: 'web' })).rejects.toThrow(DuplicateLoadBalancerNameException);
  });

  it('says clearly when the listener port is in use', async () => {
    // Prepare: occupy a loopback port.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as AddressInfo;

    // Act
    const creating = newElb().createLoadBalancer({ name: 'web', port });

    // Assess
    await expect(creating).rejects.toThrow(LoadBalancerListenError);
    await expect(creating).rejects.toThrow(
      `Load balancer 'web' cannot listen on 127.0.0.1:${port}: the port is already in use`,
    );
  });

  it('allows one listener per load balancer and one load balancer per target group', async () => {
    const elb = newElb();
    const [first, second] = await Promise.all([
      elb.createLoadBalancer({ name: 'first' }),
      elb.createLoadBalancer({ name: 'second' }),
    ]);
    const group = elb.createTargetGroup({ name: 'tg', port: 5000 });
    const listener = elb.createListener(first, group);
    expect(listener).toMatchObject({
      loadBalancerArn: first.arn,
      targetGroupArn: group.arn,
      port: first.port,
    });
    expect(listener.listenerArn).toContain(':listener/app/first/');
    expect(() => elb.createListener(first, elb.createTargetGroup({ name: 'other', port: 5000 }))).toThrow(
      DuplicateListenerException,
    );
    expect(() => elb.createListener(second, group)).toThrow(TargetGroupAssociationLimitException);
    expect(() => elb.deleteTargetGroup(group)).toThrow("Target group 'tg' is in use by a listener");
  });

  it('refuses calls after close and leaves the port free', async () => {
    const elb = newElb();
    const lb = await elb.createLoadBalancer({ name: 'web' });
    await elb.close();
    expect(() => elb.createTargetGroup({ name: 'late', port: 5000 })).toThrow(ElbClosedError);
    await expect(fetch(lb.url)).rejects.toThrow('fetch failed');
  });
});
