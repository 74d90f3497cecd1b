/** One local Application Load Balancer: a real HTTP server on loopback whose listener forwards to a target group. */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { arn, LOCAL_REGION } from '../arn.js';
import type { Clock } from '../clock.js';
import { CLIENT_KEEP_ALIVE_MIN_REAL_MS, IDLE_TIMEOUT_SECONDS } from './constants.js';
import { sendError } from './error-pages.js';
import { LoadBalancerListenError } from './errors.js';
import { forwardRequest, type ProxyContext } from './proxy.js';
import type { TargetGroup } from './target-group.js';
import { TargetPools } from './target-pools.js';

export class LoadBalancer {
  readonly arn: string;
  /** DNS-style name as AWS shows it; informative only (use {@link url} to connect). */
  readonly dnsName: string;
  /** Where clients connect, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Simulated epoch ms when it started (DescribeLoadBalancers' CreatedTime). */
  readonly createdAt: number;
  /** The target group its listener forwards to; unset until a listener exists. */
  targetGroup: TargetGroup | undefined;
  listenerArn: string | undefined;
  /** Requests forwarded to a target since it started (the RequestCount metric). */
  requestCount = 0;
  private readonly pools: TargetPools;
  private readonly context: ProxyContext;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly name: string,
    readonly host: string,
    readonly port: number,
    private readonly server: http.Server,
    clock: Clock,
  ) {
    this.pools = new TargetPools(clock);
    this.context = { pools: this.pools, listenerPort: port };
    const id = randomBytes(8).toString('hex');
    this.arn = arn('elasticloadbalancing', `loadbalancer/app/${name}/${id}`);
    this.dnsName = `${name}-${Number.parseInt(id.slice(0, 8), 16)}.${LOCAL_REGION}.elb.localhost`;
    this.url = `http://${host}:${port}`;
    this.createdAt = clock.now();
  }

  /** Starts listening on `host:port` (0 = a free port); rejects with a clear error if it cannot. */
  static async start(
    clock: Clock,
    props: { name: string; host: string; port: number },
  ): Promise<LoadBalancer> {
    let balancer: LoadBalancer | undefined;
    const server = http.createServer(
      {
        keepAliveTimeout: Math.max(clock.toRealMs(IDLE_TIMEOUT_SECONDS), CLIENT_KEEP_ALIVE_MIN_REAL_MS),
      },
      function handleRequest(req, res) {
        if (balancer === undefined) {
          sendError(res, 503);
          return;
        }
        if (forwardRequest(req, res, balancer.targetGroup, balancer.context)) balancer.requestCount++;
      },
    );
    const pending = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      (balancer?.sockets ?? pending).add(socket);
      socket.once('close', () => {
        balancer?.sockets.delete(socket);
        pending.delete(socket);
      });
    });
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
        reject(
          new LoadBalancerListenError(
            `Load balancer '${props.name}' cannot listen on ${props.host}:${props.port}: ${why}`,
            {
              cause: error,
            },
          ),
        );
      });
      server.listen(props.port, props.host, resolve);
    });
    const address = server.address() as AddressInfo;
    balancer = new LoadBalancer(props.name, props.host, address.port, server, clock);
    for (const socket of pending) balancer.sockets.add(socket);
    return balancer;
  }

  /** Stops listening and ends every client and target connection; in-flight requests are cut. */
  close(): Promise<void> {
    this.closing ??= Promise.all([
      new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const socket of this.sockets) socket.destroy();
      }),
      this.pools.destroy(),
    ]).then(() => undefined);
    return this.closing;
  }
}
