/**
 * Header rules of a well-behaved HTTP/1.1 proxy (RFC 9110 §7.6.1) plus the ALB's X-Forwarded-*
 * headers. Works on raw header arrays ([name, value, name, value…], as `rawHeaders`), which keeps
 * duplicates and spelling and spares Node building a header object per request.
 */

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

/** Names the request rewrite looks at besides the hop-by-hop ones. */
const REWRITTEN = ['expect', 'content-length', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port'];
/**
 * Lengths of every name the rules look at: a name of another length needs no lower-casing (most
 * headers), which spares a string per header on the proxy's hot path.
 */
const SPECIAL_LENGTHS = new Set([...HOP_BY_HOP, ...REWRITTEN].map((name) => name.length));

/** The name lower-cased when it may be one the rules look at, else `undefined`. */
function specialName(name: string, named: Set<string> | undefined): string | undefined {
  return named !== undefined || SPECIAL_LENGTHS.has(name.length) ? name.toLowerCase() : undefined;
}

/** Lower-case names the Connection header lists: those are hop-by-hop too. */
function connectionTokens(raw: readonly string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    tokens ??= new Set();
    for (const token of raw[i + 1]!.split(',')) tokens.add(token.trim().toLowerCase());
  }
  return tokens;
}

/** Copies raw headers without the hop-by-hop ones, including those the Connection header names. */
export function withoutHopByHop(raw: readonly string[]): string[] {
  const named = connectionTokens(raw);
  const result: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = specialName(raw[i]!, named);
    if (lower !== undefined && (HOP_BY_HOP.has(lower) || named?.has(lower))) continue;
    result.push(raw[i]!, raw[i + 1]!);
  }
  return result;
}

/**
 * A target's response headers as the client gets them: undici's raw header buffers
 * ([name, value, name, value…]) read as Latin-1 (the bytes as received), hop-by-hop ones dropped.
 */
export function responseHeaders(raw: readonly Buffer[]): string[] {
  const strings = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) strings[i] = raw[i]!.toString('latin1');
  return withoutHopByHop(strings);
}

/** The client's address as the ALB writes it: IPv4-mapped IPv6 addresses shown as plain IPv4. */
export function clientAddress(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice('::ffff:'.length) : remoteAddress;
}

/** What the proxy learns about a request while rewriting its headers. */
export interface UpstreamRequestHead {
  headers: string[];
  /** The request has a body to stream (a non-zero Content-Length or chunked framing). */
  hasBody: boolean;
}

/**
 * The headers sent to the target: hop-by-hop ones removed, the client's address appended to
 * X-Forwarded-For (the ALB's default "append" mode), X-Forwarded-Proto and -Port set to the
 * listener's. `Transfer-Encoding` only marks a body: the upstream client frames a body of unknown
 * length as chunked itself. `Expect` is dropped too: the listener has already answered
 * `100 Continue` to the client, and the upstream client sends the body without waiting.
 */
export function upstreamRequestHead(
  raw: readonly string[],
  client: string,
  listenerPort: number,
): UpstreamRequestHead {
  const named = connectionTokens(raw);
  const headers: string[] = [];
  let forwardedFor: string | undefined;
  let hasBody = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = specialName(name, named);
    if (lower === undefined) {
      headers.push(name, value);
      continue;
    }
    if (lower === 'transfer-encoding') {
      hasBody = true;
      continue;
    }
    if (HOP_BY_HOP.has(lower) || named?.has(lower) || lower === 'expect') continue;
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    if (lower === 'x-forwarded-proto' || lower === 'x-forwarded-port') continue;
    if (lower === 'content-length' && value !== '0') hasBody = true;
    headers.push(name, value);
  }
  headers.push(
    'X-Forwarded-For',
    forwardedFor === undefined ? client : `${forwardedFor}, ${client}`,
    'X-Forwarded-Proto',
    'http',
    'X-Forwarded-Port',
    String(listenerPort),
  );
  return { headers, hasBody };
}
