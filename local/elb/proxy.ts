/**
 * Forwarding of one client request to one target: streams both bodies, maps the target's
 * failures to the ALB's own responses (502 refused/reset/malformed, 504 connect or idle timeout),
 * and keeps the target's in-flight set current so draining can wait for, then cut, requests.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import type { Clock } from '../clock.js';
import { IDLE_TIMEOUT_SECONDS } from './constants.js';
import { sendError } from './error-pages.js';
import { TargetTimeoutError } from './errors.js';
import { clientAddress, upstreamRequestHead, withoutHopByHop } from './headers.js';
import type { TargetGroup, TargetRecord } from './target-group.js';

/** How many times a bodiless request is resent when a pooled keep-alive socket turns out closed. */
const STALE_SOCKET_RETRIES = 2;
/** Only requests that are safe to send twice are resent (a POST could start a second stress). */
const RESENDABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the proxy needs from its load balancer. */
export interface ProxyContext {
  clock: Clock;
  agent: http.Agent;
  listenerPort: number;
}

/** Forwards `req` to a target of `group` chosen by its algorithm, or answers 503 when none is routable. */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  group: TargetGroup | undefined,
  context: ProxyContext,
): void {
  const record = group?.pick();
  if (group === undefined || record === undefined) {
    req.resume();
    sendError(res, 503);
    return;
  }
  group.countRequest(record);
  new Forwarding(req, res, record, context).start();
}

/** One request's trip to its target, including resends over stale pooled sockets. */
class Forwarding {
  private upstream: http.ClientRequest | undefined;
  private readonly abort = (): void => {
    this.upstream?.destroy();
    this.res.destroy();
  };

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly record: TargetRecord,
    private readonly context: ProxyContext,
  ) {}

  start(): void {
    this.record.inFlight.add(this.abort);
    this.res.once('close', () => {
      this.record.inFlight.delete(this.abort);
      // The client left (or the response ended): nothing more to fetch from the target.
      if (!this.res.writableFinished) this.upstream?.destroy();
    });
    this.send(0);
  }

  private send(attempt: number): void {
    const { req, res, record, context } = this;
    const head = upstreamRequestHead(
      req.rawHeaders,
      clientAddress(req.socket.remoteAddress),
      context.listenerPort,
    );
    const upstream = http.request({
      host: record.ip,
      port: record.port,
      method: req.method,
      path: req.url,
      agent: context.agent,
      headers: head.headers,
      // Sets the socket's idle timeout for this request, also on a pooled socket.
      timeout: context.clock.toRealMs(IDLE_TIMEOUT_SECONDS),
    });
    this.upstream = upstream;
    upstream.on('timeout', () =>
      upstream.destroy(new TargetTimeoutError('the target was idle past the idle timeout')),
    );
    upstream.on('response', (upstreamRes) => this.relay(upstreamRes));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Already answered (or the client is gone): a late error must not cut a complete answer.
      if (res.destroyed || res.writableEnded) return;
      const resendable = !head.hasBody && RESENDABLE_METHODS.has(req.method ?? '');
      const stale = upstream.reusedSocket && error.code === 'ECONNRESET' && !res.headersSent;
      if (stale && resendable && attempt < STALE_SOCKET_RETRIES) {
        this.send(attempt + 1);
        return;
      }
      sendError(res, error instanceof TargetTimeoutError ? 504 : 502);
    });
    if (head.hasBody) req.pipe(upstream);
    else {
      req.resume();
      upstream.end();
    }
  }

  private relay(upstreamRes: IncomingMessage): void {
    const { res } = this;
    res.writeHead(
      upstreamRes.statusCode ?? 502,
      upstreamRes.statusMessage,
      withoutHopByHop(upstreamRes.rawHeaders),
    );
    upstreamRes.pipe(res);
    upstreamRes.on('close', () => {
      // A body cut short by the target must not look complete to the client.
      if (!upstreamRes.complete) res.destroy();
    });
    upstreamRes.on('error', () => res.destroy());
  }
}
