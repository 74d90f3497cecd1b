/**
 * What keeps another web site out of the console: it is served on a loopback port without any
 * login, so a page elsewhere must not reach it through a DNS name that resolves to 127.0.0.1 (DNS
 * rebinding: refused by the Host header) nor make the browser post to it (cross-site requests:
 * refused by the Origin header, and by asking for JSON, which a plain form cannot send).
 */
import type { IncomingMessage } from 'node:http';

/** `localhost`, `127.x.y.z` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Why `request` is refused, with the HTTP status to answer, or undefined when it may go on. */
export function refusal(request: IncomingMessage): { status: number; message: string } | undefined {
  const host = request.headers.host;
  if (!isLoopbackHost(host))
    return {
      status: 403,
      message: `the console answers only to a loopback host name (localhost, 127.0.0.1, [::1]), not '${host ?? ''}'`,
    };
  if (request.method !== 'POST') return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== host)
      return { status: 403, message: `cross-site request refused (origin ${origin}, host ${host})` };
  } else if (origin === 'null') {
    return { status: 403, message: 'cross-site request refused (an opaque origin)' };
  }
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
    return { status: 415, message: 'send the request body as application/json' };
  return undefined;
}
