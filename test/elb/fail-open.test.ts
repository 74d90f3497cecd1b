import { describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalElb } from '../../local/elb/index.js';
import { get, onCleanup, register, startBackend, startElb, tally, waitForState } from './helpers.js';

describe('fail open and 503', () => {
  it('routes to every target when all of them are unhealthy', async () => {
    // Prepare: the health endpoint fails but the application still answers.
    const fixture = await startElb();
    const backends = await Promise.all([startBackend('i-a', '127.0.0.2'), startBackend('i-b', '127.0.0.3')]);
    for (const backend of backends) backend.healthStatus = 500;
    register(fixture, backends);
    await waitForState(fixture, backends, 'unhealthy');

    // Act
    const counts = await tally(fixture.url, 20);

    // Assess
    expect(counts).toEqual({ 'i-a': 10, 'i-b': 10 });
  });

  it('routes to initial targets when none is healthy yet (FAIL_OPEN_INCLUDES_INITIAL)', async () => {
    // Prepare: the first checks hang (timeout 120 s = 2.4 s real), so both targets stay initial.
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 300, timeoutSeconds: 120 },
    });
    const backends = await Promise.all([startBackend('i-a', '127.0.0.2'), startBackend('i-b', '127.0.0.3')]);
    for (const backend of backends) backend.healthStatus = 'hang';
    register(fixture, backends);
    await waitForState(fixture, backends, 'initial');

    // Act
    const counts = await tally(fixture.url, 10);

    // Assess
    expect(counts).toEqual({ 'i-a': 5, 'i-b': 5 });
    expect(fixture.elb.describeTargetHealth(fixture.group).map((d) => d.targetHealth.state)).toEqual([
      'initial',
      'initial',
    ]);
  });

  it('stops failing open as soon as one target is healthy again', async () => {
    // Prepare
    const fixture = await startElb();
    const [a, b] = await Promise.all([startBackend('i-a', '127.0.0.2'), startBackend('i-b', '127.0.0.3')]);
    a.healthStatus = 500;
    b.healthStatus = 500;
    register(fixture, [a, b]);
    await waitForState(fixture, [a, b], 'unhealthy');

    // Act
    b.healthStatus = 200;
    await waitForState(fixture, [b], 'healthy');

    // Assess
    expect(await tally(fixture.url, 10)).toEqual({ 'i-b': 10 });
  });

  it("answers 503 with the ALB's error page when no target is registered", async () => {
    // Prepare
    const fixture = await startElb();

    // Act
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.headers.get('server')).toBe('awselb/2.0');
    expect(answer.headers.get('content-type')).toBe('text/html');
    expect(answer.body).toContain('<title>503 Service Unavailable</title>');
  });

  it('answers 503 once the only target has been deregistered', async () => {
    // Prepare
    const fixture = await startElb();
    const backend = await startBackend('i-only', '127.0.0.2');
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'healthy');

    // Act
    fixture.elb.deregisterTargets(fixture.group, [{ id: 'i-only', port: backend.port }]);

    // Assess
    expect((await get(fixture.url)).status).toBe(503);
  });

  it('answers 503 on a load balancer without a listener', async () => {
    // Prepare
    const elb = new LocalElb({ clock: new Clock({ scale: 50 }) });
    onCleanup(() => elb.close());
    const lb = await elb.createLoadBalancer({ name: 'bare' });

    // Act
    const answer = await get(lb.url);

    // Assess
    expect(answer.status).toBe(503);
  });
});
