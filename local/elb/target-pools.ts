/**
 * The keep-alive connections from one load balancer to its targets: one undici `Pool` per target.
 * undici's HTTP/1.1 client costs about a third less CPU per proxied request than Node's
 * `http.request` + `http.Agent` (no ClientRequest/IncomingMessage pair, no stream piping), which
 * is most of what a local proxy spends. The 10 s connect timeout runs through the Clock, once per
 * new connection, and the idle timeout is undici's headers/body timeouts (no timer per request).
 */
import net from 'node:net';
import { Pool } from 'undici';
import type { Clock } from '../clock.js';
import { IDLE_TIMEOUT_SECONDS, TARGET_CONNECT_TIMEOUT_SECONDS } from './constants.js';
import { TargetTimeoutError } from './errors.js';

/** Idle pooled connections are closed after 4 s: before a Node target's default 5 s keep-alive does. */
const POOL_KEEP_ALIVE_MS = 4_000;

/** The socket callback undici's connector option expects. */
type ConnectCallback = (error: Error | null, socket: net.Socket | null) => void;

/** A target address, as a target group's record has it. */
export interface TargetAddress {
  readonly ip: string;
  readonly port: number;
}

/**
 * Errors raised on a pooled connection that had already received bytes (an earlier response):
 * the marks that tell a stale keep-alive connection from a target refusing a fresh one.
 */
const errorsOnUsedConnections = new WeakSet<Error>();

/** Whether `error` ended a connection that had already carried data from the target before. */
export function isErrorOnUsedConnection(error: Error): boolean {
  if (errorsOnUsedConnections.has(error)) return true;
  // undici's own "other side closed" errors carry the socket's byte counts instead.
  const info = (error as { socket?: { bytesRead?: unknown } }).socket;
  return typeof info?.bytesRead === 'number' && info.bytesRead > 0;
}

export class TargetPools {
  private readonly byTarget = new WeakMap<TargetAddress, Pool>();
  private readonly all = new Set<Pool>();
  private readonly idleTimeoutMs: number;
  private destroyed = false;

  constructor(private readonly clock: Clock) {
    this.idleTimeoutMs = clock.toRealMs(IDLE_TIMEOUT_SECONDS);
  }

  /** The pool of connections to `target`, created on first use. */
  poolFor(target: TargetAddress): Pool {
    let pool = this.byTarget.get(target);
    if (pool === undefined) {
      pool = new Pool(`http://${target.ip}:${target.port}`, {
        connect: (_options, callback) => this.connect(target, callback as ConnectCallback),
        pipelining: 1,
        keepAliveTimeout: POOL_KEEP_ALIVE_MS,
        // The ALB's idle timeout: no response head, or no body bytes, for this long is a 504.
        headersTimeout: this.idleTimeoutMs,
        bodyTimeout: this.idleTimeoutMs,
      });
      this.byTarget.set(target, pool);
      // A request resent while the load balancer closes must fail rather than open a connection.
      if (this.destroyed) void pool.destroy();
      else this.all.add(pool);
    }
    return pool;
  }

  /** Opens one connection, failing with {@link TargetTimeoutError} past the simulated connect timeout. */
  private connect(target: TargetAddress, callback: ConnectCallback): void {
    const socket = net.connect({ host: target.ip, port: target.port, noDelay: true });
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      callback(error, error === null ? socket : null);
    };
    const timer = this.clock.setTimeout(() => {
      const error = new TargetTimeoutError('no connection to the target within the connect timeout');
      socket.destroy(error);
      settle(error);
    }, TARGET_CONNECT_TIMEOUT_SECONDS);
    socket.once('connect', () => settle(null));
    socket.on('error', function markIfUsed(error: Error) {
      if (socket.bytesRead > 0) errorsOnUsedConnections.add(error);
      settle(error);
    });
  }

  /** Closes every connection at once (in-flight requests fail) and refuses further requests. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const pools = [...this.all];
    this.all.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
