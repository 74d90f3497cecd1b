import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATOR_KEY_ENV, operatorFetch } from '../../lambdas/middy/operator-fetch.js';

describe('operatorFetch', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A server on port 0 that records each request's headers. */
  async function recordingServer(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
    const seen: IncomingHttpHeaders[] = [];
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
  }

  it("sends the operator's key with every request, keeping the caller's headers", async () => {
    // Prepare
    const { url, seen } = await recordingServer();
    const fetchWithKey = operatorFetch(globalThis.fetch, { [OPERATOR_KEY_ENV]: 'stack-uuid' });
    // Act
    await fetchWithKey(url);
    await fetchWithKey(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"num":1}',
    });
    // Assess
    expect(seen.map((headers) => headers['x-scalelab-operator'])).toEqual(['stack-uuid', 'stack-uuid']);
    expect(seen[1]?.['content-type']).toBe('application/json');
  });

  it('is plain fetch when no key is set (the local cloud, tests)', () => {
    expect(operatorFetch(globalThis.fetch, {})).toBe(globalThis.fetch);
  });
});
