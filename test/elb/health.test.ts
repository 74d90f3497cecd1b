import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import {
  type Backend,
  type ElbFixture,
  register,
  startBackend,
  startElb,
  stateOf,
  tally,
  waitForState,
} from './helpers.js';

/** Resolves with the backend's health-check count at the moment its target turns `state`. */
function hitsWhen(fixture: ElbFixture, backend: Backend, state: string): Promise<number> {
  return new Promise((resolve) => {
    const unsubscribe = fixture.elb.onTargetHealthChange((change) => {
      if (change.target.id !== backend.name || change.current.state !== state) return;
      unsubscribe();
      resolve(backend.healthHits);
    });
  });
}

describe('health-state transitions', () => {
  it('makes a new target healthy after one passing check, through AWS initial reasons', async () => {
    // Prepare: a healthy threshold of 5 must not apply to a newly registered target.
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThresholdCount: 5 },
    });
    const backend = await startBackend('i-new', '127.0.0.2');

    const hitsAtChange = hitsWhen(fixture, backend, 'healthy');

    // Act
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'healthy');

    // Assess
    expect(await hitsAtChange).toBe(1);
    expect(fixture.changes.map((change) => [change.current.state, change.current.reason])).toEqual([
      ['initial', 'Elb.RegistrationInProgress'],
      ['initial', 'Elb.InitialHealthChecking'],
      ['healthy', undefined],
    ]);
    expect(fixture.changes[0]).toMatchObject({
      targetGroupName: 'test-tg',
      target: { id: 'i-new', port: backend.port },
      previous: { state: 'unused', reason: 'Target.NotRegistered' },
    });
    expect(fixture.elb.describeTargetHealth(fixture.group)).toEqual([
      {
        target: { id: 'i-new', port: backend.port },
        healthCheckPort: String(backend.port),
        targetHealth: { state: 'healthy' },
      },
    ]);
  });

  it('marks a stopped target unhealthy after the unhealthy threshold of intervals, then sends it nothing', async () => {
    // Prepare
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5, unhealthyThresholdCount: 3 },
    });
    const [a, b] = await Promise.all([startBackend('i-a', '127.0.0.2'), startBackend('i-b', '127.0.0.3')]);
    register(fixture, [a, b]);
    await waitForState(fixture, [a, b], 'healthy');
    const healthyAt = fixture.changes.length;

    // Act
    await b.stop();
    const stoppedAt = fixture.clock.now();
    await waitForState(fixture, [b], 'unhealthy');

    // Assess: no change after the 1st and 2nd failure, unhealthy at the 3rd (2 to 3 intervals later).
    const ofB = fixture.changes.slice(healthyAt).filter((change) => change.target.id === 'i-b');
    expect(ofB.map((change) => change.current)).toEqual([
      { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' },
    ]);
    const simSeconds = (Date.parse(ofB[0]!.time) - stoppedAt) / 1000;
    expect(simSeconds).toBeGreaterThanOrEqual(19);
    expect(simSeconds).toBeLessThan(60);
    expect(await tally(fixture.url, 10)).toEqual({ 'i-a': 10 });
  });

  it('counts exactly the unhealthy threshold of failed checks before turning unhealthy', async () => {
    // Prepare
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5, unhealthyThresholdCount: 3 },
    });
    const backend = await startBackend('i-flaky', '127.0.0.2');
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'healthy');
    const hitsBefore = backend.healthHits;
    const hitsAtChange = hitsWhen(fixture, backend, 'unhealthy');

    // Act
    backend.healthStatus = 503;
    await waitForState(fixture, [backend], 'unhealthy');

    // Assess: the failing checks are the ones answered 503 since the switch.
    expect((await hitsAtChange) - hitsBefore).toBe(3);
    expect(fixture.changes.at(-1)?.current).toEqual({
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [503]',
    });
  });

  it('brings an unhealthy target back after exactly the healthy threshold of passes', async () => {
    // Prepare
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThresholdCount: 4 },
    });
    const backend = await startBackend('i-back', '127.0.0.2');
    backend.healthStatus = 500;
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'unhealthy');

    // Act
    const hitsBefore = backend.healthHits;
    const hitsAtChange = hitsWhen(fixture, backend, 'healthy');
    backend.healthStatus = 200;
    await waitForState(fixture, [backend], 'healthy');

    // Assess
    expect((await hitsAtChange) - hitsBefore).toBe(4);
  });

  it('reports Target.Timeout when the health check gets no answer within the timeout', async () => {
    // Prepare
    const fixture = await startElb();
    const backend = await startBackend('i-mute', '127.0.0.2');
    backend.healthStatus = 'hang';

    // Act
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'unhealthy');

    // Assess
    expect(fixture.elb.describeTargetHealth(fixture.group)[0]?.targetHealth).toEqual({
      state: 'unhealthy',
      reason: 'Target.Timeout',
      description: 'Request timed out',
    });
  });

  it('accepts any code of a matcher range', async () => {
    // Prepare
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 10, timeoutSeconds: 5, matcher: '200-299' },
    });
    const backend = await startBackend('i-204', '127.0.0.2');
    backend.healthStatus = 204;

    // Act
    register(fixture, [backend]);

    // Assess
    await waitForState(fixture, [backend], 'healthy');
  });

  it('shows targets of a group without a listener as unused and does not check them', async () => {
    // Prepare
    const fixture = await startElb();
    const unusedGroup = fixture.elb.createTargetGroup({
      name: 'lonely',
      port: 5000,
      healthCheck: { path: '/health' },
    });
    const backend = await startBackend('i-lonely', '127.0.0.2');

    // Act
    fixture.elb.registerTargets(unusedGroup, [{ id: 'i-lonely', ip: backend.ip, port: backend.port }]);

    // Assess
    expect(fixture.elb.describeTargetHealth(unusedGroup)[0]?.targetHealth).toEqual({
      state: 'unused',
      reason: 'Target.NotInUse',
      description: 'Target group is not configured to receive traffic from the load balancer',
    });
    expect(backend.healthHits).toBe(0);
    const lb = await fixture.elb.createLoadBalancer({ name: 'second-lb' });
    fixture.elb.createListener(lb, unusedGroup);
    await waitFor(() => fixture.elb.describeTargetHealth(unusedGroup)[0]?.targetHealth.state === 'healthy', {
      what: 'the target to be checked once its group is in use',
    });
    expect(stateOf(fixture, backend)).toBe('unused');
  });
});
