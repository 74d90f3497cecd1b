import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { ElbClosedError, LocalElb } from '../../local/elb/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { startBackend } from './helpers.js';

/** Counts of the handles that would keep a process alive: servers, sockets, timers. */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('close', () => {
  it('ends every server, socket and timer it started, even mid-check, mid-drain and mid-request', async () => {
    // Prepare: a check in flight (hanging health endpoint), a draining target with its delay timer,
    // and a proxied request held by its target.
    const held: http.ServerResponse[] = [];
    const hanging = await startBackend('i-hanging', '127.0.0.2');
    hanging.healthStatus = 'hang';
    const holding = await startBackend('i-holding', '127.0.0.3', (_req, res) => held.push(res));
    const before = liveHandles();
    const elb = new LocalElb({ clock: new Clock({ scale: 10 }) });
    const lb = await elb.createLoadBalancer({ name: 'closing' });
    const group = elb.createTargetGroup({
      name: 'closing',
      port: 5000,
      healthCheck: { path: '/health', intervalSeconds: 300, timeoutSeconds: 120 },
      deregistrationDelaySeconds: 600,
    });
    elb.createListener(lb, group);
    elb.registerTargets(group, [
      { id: 'i-holding', ip: holding.ip, port: holding.port },
      { id: 'i-hanging', ip: hanging.ip, port: hanging.port },
    ]);
    const clientClosed = new Promise<void>((resolve) => {
      const request = http.get(lb.url, { agent: false });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
    });
    await waitFor(() => held.length === 1 && hanging.healthHits === 1, {
      what: 'a request and a check in flight',
    });
    elb.deregisterTargets(group, [{ id: 'i-holding', port: holding.port }]);
    const drained = elb.whenDeregistered(group, { id: 'i-holding', port: holding.port });

    // Act
    await elb.close();
    await clientClosed;
    await drained; // settled by close, not left pending for the 600 s delay

    // Assess: back to the handles that existed before the service started (backends still up,
    // so a socket the service forgot would still be open at both ends).
    await waitFor(
      () => {
        const now = liveHandles();
        return Object.keys(before).every((kind) => (now[kind] ?? 0) <= (before[kind] ?? 0));
      },
      {
        what: () => `handles back to ${JSON.stringify(before)} (now ${JSON.stringify(liveHandles())})`,
        timeoutMs: 5_000,
      },
    );
    await expect(elb.createLoadBalancer({ name: 'after' })).rejects.toThrow(ElbClosedError);
  });
});
