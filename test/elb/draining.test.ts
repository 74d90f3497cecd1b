import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { get, register, startBackend, startElb, tally, waitForState } from './helpers.js';

describe('draining with a deregistration delay', () => {
  it('lets an in-flight request finish, sends no new ones, and removes the target after the delay', async () => {
    // Prepare: i-old holds its requests until released; delay 30 s at scale 50 = 600 ms real.
    const held: http.ServerResponse[] = [];
    const fixture = await startElb({ deregistrationDelaySeconds: 30 });
    const old = await startBackend('i-old', '127.0.0.2', (_req, res) => held.push(res));
    const other = await startBackend('i-other', '127.0.0.3');
    register(fixture, [old]);
    await waitForState(fixture, [old], 'healthy');
    const inFlight = get(fixture.url);
    await waitFor(() => held.length === 1, { what: 'the request to be in flight at i-old' });
    register(fixture, [other]);
    await waitForState(fixture, [other], 'healthy');

    // Act
    const deregisteredAt = fixture.clock.now();
    fixture.elb.deregisterTargets(fixture.group, [{ id: 'i-old', port: old.port }]);

    // Assess: draining, no new requests, the in-flight one completes.
    expect(
      fixture.elb.describeTargetHealth(fixture.group, [{ id: 'i-old', port: old.port }])[0]?.targetHealth,
    ).toEqual({
      state: 'draining',
      reason: 'Target.DeregistrationInProgress',
      description: 'Target deregistration is in progress',
    });
    expect(await tally(fixture.url, 5)).toEqual({ 'i-other': 5 });
    held[0]?.end('finished while draining');
    expect(await inFlight).toMatchObject({ status: 200, backend: 'i-old', body: 'finished while draining' });

    await fixture.elb.whenDeregistered(fixture.group, { id: 'i-old', port: old.port });
    expect(fixture.elb.describeTargetHealth(fixture.group)).toHaveLength(1);
    const removal = fixture.changes.find(
      (change) => change.target.id === 'i-old' && change.current.state === 'unused',
    );
    expect(removal?.current.reason).toBe('Target.NotRegistered');
    expect((Date.parse(removal!.time) - deregisteredAt) / 1000).toBeGreaterThanOrEqual(29);
    expect(
      fixture.elb.describeTargetHealth(fixture.group, [{ id: 'i-old', port: old.port }])[0]?.targetHealth,
    ).toEqual({
      state: 'unused',
      reason: 'Target.NotRegistered',
      description: 'Target is not registered to the target group',
    });
    expect(fixture.elb.getRequestCounts(fixture.group)).toEqual({ 'i-old': 1, 'i-other': 5 });
  });

  it('cuts a request still in flight when the delay ends', async () => {
    // Prepare: delay 10 s = 200 ms real, well before the 60 s idle timeout (1.2 s real).
    const fixture = await startElb({ deregistrationDelaySeconds: 10 });
    const stuck = await startBackend('i-stuck', '127.0.0.2', () => {});
    register(fixture, [stuck]);
    await waitForState(fixture, [stuck], 'healthy');
    const request = fetch(fixture.url);
    await waitFor(() => stuck.hits === 1, { what: 'the request to reach i-stuck' });

    // Act
    const deregisteredAt = fixture.clock.now();
    fixture.elb.deregisterTargets(fixture.group, [{ id: 'i-stuck', port: stuck.port }]);

    // Assess: the connection is cut at the end of the delay, not answered with a 504.
    await expect(request).rejects.toThrow('fetch failed');
    const simSeconds = (fixture.clock.now() - deregisteredAt) / 1000;
    expect(simSeconds).toBeGreaterThanOrEqual(9);
    expect(simSeconds).toBeLessThan(60);
  });

  it('revives a draining target that is registered again', async () => {
    // Prepare
    const fixture = await startElb({ deregistrationDelaySeconds: 300 });
    const backend = await startBackend('i-again', '127.0.0.2');
    register(fixture, [backend]);
    await waitForState(fixture, [backend], 'healthy');
    fixture.elb.deregisterTargets(fixture.group, [{ id: 'i-again', port: backend.port }]);
    await waitForState(fixture, [backend], 'draining');

    // Act
    register(fixture, [backend]);

    // Assess
    await waitForState(fixture, [backend], 'healthy');
    expect((await get(fixture.url)).backend).toBe('i-again');
  });
});
