/**
 * Forwarding of one client request to one target: streams both bodies, maps the target's
 * failures to the ALB's own responses (502 refused/reset/malformed, 504 connect or idle timeout),
 * and keeps the target's in-flight set current so draining can wait for, then cut, requests.
 *
 * The upstream side is an undici dispatch handler writing straight into the client's response:
 * no upstream request/response stream objects and no piping, which is what made the proxy slow.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { sendError } from './error-pages.js';
import { TargetTimeoutError } from './errors.js';
import { clientAddress, responseHeaders, upstreamRequestHead } from './headers.js';
import { InFlightRequest } from './in-flight.js';
import type { TargetGroup, TargetRecord } from './target-group.js';
import { isErrorOnUsedConnection, type TargetPools } from './target-pools.js';

/** How many times a bodiless request is resent when a pooled keep-alive connection turns out closed. */
const STALE_SOCKET_RETRIES = 2;
/** Only requests that are safe to send twice are resent (a POST could start a second stress). */
const RESENDABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** undici's codes for a connection the target closed or reset under a request. */
const CONNECTION_LOST_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);
/** undici's codes for the idle timeout: no response head, or no body bytes, in time. */
const IDLE_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** What the proxy needs from its load balancer. */
export interface ProxyContext {
  pools: TargetPools;
  listenerPort: number;
}

/**
 * Forwards `req` to a target of `group` chosen by its algorithm, or answers 503 when none is
 * routable. True when a target was chosen: what the ALB's RequestCount counts.
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  group: TargetGroup | undefined,
  context: ProxyContext,
): boolean {
  const record = group?.pick();
  if (group === undefined || record === undefined) {
    req.resume();
    sendError(res, 503);
    return false;
  }
  group.countRequest(record);
  new Forwarding(req, res, record, context).start();
  return true;
}

/**
 * One request's trip to its target, including resends over stale pooled connections. It is its
 * own undici handler (undici's callback-style handler API, which hands over raw headers without
 * building a header object per response).
 */
class Forwarding extends InFlightRequest implements Dispatcher.DispatchHandler {
  /** Cancels the upstream request; set by undici once the request has a connection. */
  private abortUpstream: ((error?: Error) => void) | undefined;
  /** The client left, or draining cut the request: an upstream request not yet started must not start. */
  private cancelled = false;
  /** Response head received from the target for the current attempt. */
  private responded = false;
  private attempt = 0;
  private resumeUpstream: (() => void) | undefined;
  /** Made on the first backpressure only: most responses fit in the socket's buffer. */
  private onDrain: (() => void) | undefined;
  private readonly options: Dispatcher.DispatchOptions;
  private readonly resendable: boolean;

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly record: TargetRecord,
    private readonly context: ProxyContext,
  ) {
    super();
    const head = upstreamRequestHead(
      req.rawHeaders,
      clientAddress(req.socket.remoteAddress),
      context.listenerPort,
    );
    const method = req.method ?? 'GET';
    this.resendable = !head.hasBody && RESENDABLE_METHODS.has(method);
    this.options = {
      path: req.url ?? '/',
      method: method as Dispatcher.HttpMethod,
      headers: head.headers,
      // A bodiless request needs no resume(): Node discards what is left once the response ends.
      body: head.hasBody ? req : null,
    };
  }

  /** Cuts the request for draining: the client's connection ends, so does the target's. */
  cut(): void {
    this.cancel();
    this.res.destroy();
  }

  start(): void {
    this.record.inFlight.add(this);
    this.res.on('close', () => {
      this.record.inFlight.delete(this);
      // The client left (or the response ended): nothing more to fetch from the target.
      if (!this.res.writableFinished) this.cancel();
    });
    this.send();
  }

  private send(): void {
    this.responded = false;
    this.abortUpstream = undefined;
    this.context.pools.poolFor(this.record).dispatch(this.options, this);
  }

  private cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.abortUpstream?.();
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.cancelled) abort();
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    // 1xx interim responses (e.g. 103 Early Hints) are not relayed; the final one follows.
    if (statusCode < 200) return true;
    this.responded = true;
    this.resumeUpstream = resume;
    const { res } = this;
    if (res.destroyed) return false;
    res.writeHead(statusCode, statusText, responseHeaders(rawHeaders));
    return true;
  }

  onData(chunk: Buffer): boolean {
    const { res } = this;
    if (res.destroyed) return false;
    if (res.write(chunk)) return true;
    // Backpressure: undici stops reading the target until the client has taken this chunk.
    this.onDrain ??= () => this.resumeUpstream?.();
    res.once('drain', this.onDrain);
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(error: Error): void {
    const { res } = this;
    // Already answered (or the client is gone): a late error must not cut a complete answer.
    if (this.cancelled || res.destroyed || res.writableEnded) return;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const stale = !this.responded && CONNECTION_LOST_CODES.has(code) && isErrorOnUsedConnection(error);
    if (stale && this.resendable && this.attempt < STALE_SOCKET_RETRIES) {
      this.attempt++;
      this.send();
      return;
    }
    // A body cut short by the target must not look complete: sendError cuts a started response.
    const timedOut = error instanceof TargetTimeoutError || IDLE_TIMEOUT_CODES.has(code);
    sendError(res, timedOut ? 504 : 502);
  }
}
