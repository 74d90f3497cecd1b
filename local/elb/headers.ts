/** Header rules of a well-behaved HTTP/1.1 proxy (RFC 9110 §7.6.1) plus the ALB's X-Forwarded-* headers. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1, and legacy ones). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies headers without the hop-by-hop ones, including those the Connection header names. */
export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token.length > 0),
  );
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    result[name] = value;
  }
  return result;
}

/** The client's address as the ALB writes it: IPv4-mapped IPv6 addresses shown as plain IPv4. */
export function clientAddress(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice('::ffff:'.length) : remoteAddress;
}

/**
 * The headers sent to the target: hop-by-hop ones removed, the client's address appended to
 * X-Forwarded-For (the ALB's default "append" mode), X-Forwarded-Proto and -Port set to the listener's.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  client: string,
  listenerPort: number,
): OutgoingHttpHeaders {
  const result = withoutHopByHop(headers);
  const prior = headers['x-forwarded-for'];
  result['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  result['x-forwarded-proto'] = 'http';
  result['x-forwarded-port'] = String(listenerPort);
  return result;
}
