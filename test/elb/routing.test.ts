import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { get, register, startBackend, startElb, stateOf, tally, waitForState } from './helpers.js';

describe('routing over healthy targets', () => {
  it('spreads requests evenly, round robin, over three healthy targets', async () => {
    // Prepare
    const fixture = await startElb();
    const backends = await Promise.all([
      startBackend('i-a', '127.0.0.2'),
      startBackend('i-b', '127.0.0.3'),
      startBackend('i-c', '127.0.0.4'),
    ]);
    register(fixture, backends);
    await waitForState(fixture, backends, 'healthy');

    // Act
    const counts = await tally(fixture.url, 300);

    // Assess
    expect(counts).toEqual({ 'i-a': 100, 'i-b': 100, 'i-c': 100 });
    expect(fixture.elb.getRequestCounts(fixture.group)).toEqual({ 'i-a': 100, 'i-b': 100, 'i-c': 100 });
  });

  it('sends nothing to an initial target while another target is healthy', async () => {
    // Prepare: long timeout so the new target stays in its initial check while requests flow.
    const fixture = await startElb({
      healthCheck: { path: '/health', intervalSeconds: 300, timeoutSeconds: 120, healthyThresholdCount: 2 },
    });
    const healthy = await startBackend('i-healthy', '127.0.0.2');
    register(fixture, [healthy]);
    await waitForState(fixture, [healthy], 'healthy');
    const fresh = await startBackend('i-fresh', '127.0.0.3');
    fresh.healthStatus = 'hang';
    register(fixture, [fresh]);
    await waitFor(() => fresh.healthHits === 1, { what: 'the first health check of the new target' });

    // Act
    const counts = await tally(fixture.url, 20);

    // Assess
    expect(stateOf(fixture, fresh)).toBe('initial');
    expect(
      fixture.elb.describeTargetHealth(fixture.group, [{ id: 'i-fresh', port: fresh.port }])[0],
    ).toMatchObject({ targetHealth: { state: 'initial', reason: 'Elb.InitialHealthChecking' } });
    expect(counts).toEqual({ 'i-healthy': 20 });
  });

  it('least_outstanding_requests sends new requests to the target with fewer in flight', async () => {
    // Prepare: i-slow holds every request until released.
    const held: http.ServerResponse[] = [];
    const fixture = await startElb({ algorithm: 'least_outstanding_requests' });
    const slow = await startBackend('i-slow', '127.0.0.2', (_req, res) => held.push(res));
    const quick = await startBackend('i-quick', '127.0.0.3');
    register(fixture, [slow, quick]);
    await waitForState(fixture, [slow, quick], 'healthy');
    const pending = [get(fixture.url), get(fixture.url)];
    await waitFor(() => held.length === 1 && quick.hits === 1, { what: 'one request held by i-slow' });

    // Act
    const counts = await tally(fixture.url, 10);

    // Assess
    expect(counts).toEqual({ 'i-quick': 10 });
    expect(fixture.elb.getInFlightCounts(fixture.group)).toEqual({ 'i-slow': 1, 'i-quick': 0 });
    for (const res of held) res.end('late');
    const answers = await Promise.all(pending);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  });
});
