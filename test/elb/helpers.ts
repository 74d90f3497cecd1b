/** Real HTTP backends on distinct loopback addresses, and an ELB under test, all ended after each test. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { Clock } from '../../local/clock.js';
import type { CreateTargetGroupProps, MetricSink, TargetHealthChange } from '../../local/elb/index.js';
import { LocalElb } from '../../local/elb/index.js';
import { waitFor } from '../helpers/wait-for.js';

/** A backend that names itself in `x-backend` and whose health endpoint can be switched. */
export interface Backend {
  readonly name: string;
  readonly ip: string;
  port: number;
  /** Status `/health` answers; `'hang'` never answers. */
  healthStatus: number | 'hang';
  /** Health checks received, in order. */
  healthHits: number;
  /** Non-health requests received. */
  hits: number;
  readonly server: http.Server;
  stop(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, backend: Backend) => void;

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  const pending = closers.splice(0).reverse();
  for (const close of pending) await close();
});

/** Registers cleanup that runs after the current test, in reverse order of registration. */
export function onCleanup(close: () => Promise<void> | void): void {
  closers.push(async () => {
    await close();
  });
}

function answerHello(_req: http.IncomingMessage, res: http.ServerResponse, backend: Backend): void {
  res.end(`hello from ${backend.name}`);
}

/** Starts a backend on `ip` (127.x.x.x) and a free port; `handler` answers every non-health request. */
export async function startBackend(
  name: string,
  ip: string,
  handler: Handler = answerHello,
): Promise<Backend> {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('x-backend', name);
    if (req.url === '/health') {
      backend.healthHits++;
      if (backend.healthStatus === 'hang') {
        held.push(res);
        return;
      }
      res.statusCode = backend.healthStatus;
      res.end();
      return;
    }
    backend.hits++;
    handler(req, res, backend);
  });
  const backend: Backend = {
    name,
    ip,
    port: 0,
    healthStatus: 200,
    healthHits: 0,
    hits: 0,
    server,
    async stop() {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  backend.port = (server.address() as AddressInfo).port;
  onCleanup(() => backend.stop());
  return backend;
}

export interface ElbFixture {
  elb: LocalElb;
  clock: Clock;
  url: string;
  group: ReturnType<LocalElb['createTargetGroup']>;
  changes: TargetHealthChange[];
}

/** Fast health checks: 10 s interval, 5 s timeout, thresholds 2 — at scale 50, 200 ms real per interval. */
export const FAST_HEALTH_CHECK = {
  path: '/health',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  matcher: '200',
};

/** A service with one load balancer whose listener forwards to one target group. */
export async function startElb(
  group: Partial<CreateTargetGroupProps> = {},
  { scale = 50, metrics }: { scale?: number; metrics?: MetricSink } = {},
): Promise<ElbFixture> {
  const clock = new Clock({ scale });
  const elb = new LocalElb({ clock, metrics });
  onCleanup(() => elb.close());
  const changes: TargetHealthChange[] = [];
  elb.onTargetHealthChange((change) => changes.push(change));
  const lb = await elb.createLoadBalancer({ name: 'test-lb' });
  const targetGroup = elb.createTargetGroup({
    name: 'test-tg',
    port: 5000,
    healthCheck: FAST_HEALTH_CHECK,
    deregistrationDelaySeconds: 30,
    ...group,
  });
  elb.createListener(lb, targetGroup);
  return { elb, clock, url: lb.url, group: targetGroup, changes };
}

/** Registers backends as targets (their id is their name). */
export function register(fixture: ElbFixture, backends: readonly Backend[]): void {
  fixture.elb.registerTargets(
    fixture.group,
    backends.map((backend) => ({ id: backend.name, ip: backend.ip, port: backend.port })),
  );
}

/** The health state of one target as describe-target-health shows it. */
export function stateOf(fixture: ElbFixture, backend: Backend): string | undefined {
  const [description] = fixture.elb.describeTargetHealth(fixture.group, [
    { id: backend.name, port: backend.port },
  ]);
  return description?.targetHealth.state;
}

/** Waits until every backend's target is in `state`. */
export async function waitForState(
  fixture: ElbFixture,
  backends: readonly Backend[],
  state: string,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(() => backends.every((backend) => stateOf(fixture, backend) === state), {
    timeoutMs,
    what: `targets ${backends.map((b) => b.name).join(', ')} to be ${state}`,
  });
}

/** One request through the load balancer with a fresh connection: status, backend name and body. */
export async function get(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; backend: string | null; body: string; headers: Headers }> {
  const response = await fetch(url, init);
  const body = await response.text();
  return {
    status: response.status,
    backend: response.headers.get('x-backend'),
    body,
    headers: response.headers,
  };
}

/** Sends `count` sequential GETs and tallies which backend answered each. */
export async function tally(url: string, count: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const { backend } = await get(url);
    const key = backend ?? 'none';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
