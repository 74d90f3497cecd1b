import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { onCleanup, register, startBackend, startElb, waitForState } from './helpers.js';

const CHUNK = randomBytes(1024 * 1024);
const CHUNKS = 24;

function sha256(chunks: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

/** Sends a request with Node's client (which, unlike fetch, lets a test set hop-by-hop headers). */
function request(
  url: string,
  options: http.RequestOptions,
  body?: (req: http.ClientRequest) => void,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, ...options }, resolve);
    req.on('error', reject);
    if (body) body(req);
    else req.end();
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

describe('proxy headers', () => {
  it('adds X-Forwarded-For/-Proto/-Port and drops hop-by-hop request headers', async () => {
    // Prepare: the backend echoes the headers it received.
    const fixture = await startElb();
    const echo = await startBackend('i-echo', '127.0.0.2', (req, res) =>
      res.end(JSON.stringify(req.headers)),
    );
    register(fixture, [echo]);
    await waitForState(fixture, [echo], 'healthy');

    // Act
    const response = await request(fixture.url, {
      headers: {
        connection: 'keep-alive, x-hop',
        'x-hop': 'only for the next hop',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-end-to-end': 'kept',
      },
    });
    const seen = JSON.parse((await readAll(response)).toString()) as Record<string, string>;

    // Assess
    const port = new URL(fixture.url).port;
    expect(seen).toMatchObject({
      'x-forwarded-for': '203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': port,
      'x-end-to-end': 'kept',
      host: `127.0.0.1:${port}`,
    });
    expect(seen).not.toHaveProperty('x-hop');
    expect(seen).not.toHaveProperty('te');
    expect(seen.connection).not.toContain('x-hop');
  });

  it('drops hop-by-hop response headers of the target', async () => {
    // Prepare: a raw target whose response names a custom hop-by-hop header.
    const fixture = await startElb();
    const server = net.createServer((socket) =>
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\nConnection: close, x-resp-hop\r\nX-Resp-Hop: secret\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok',
        ),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-raw', ip: '127.0.0.2', port }]);

    // Act
    const response = await request(fixture.url, {});
    const body = (await readAll(response)).toString();

    // Assess
    expect(body).toBe('ok');
    expect(response.headers['x-kept']).toBe('yes');
    expect(response.headers).not.toHaveProperty('x-resp-hop');
  });
});

describe('streaming bodies', () => {
  it('streams a large upload to the target before the client has finished sending', async () => {
    // Prepare: the backend hashes what it receives and reports progress.
    let receivedBytes = 0;
    const fixture = await startElb();
    const sink = await startBackend('i-sink', '127.0.0.2', (req, res) => {
      const hash = createHash('sha256');
      req.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => res.end(JSON.stringify({ bytes: receivedBytes, sha256: hash.digest('hex') })));
    });
    register(fixture, [sink]);
    await waitForState(fixture, [sink], 'healthy');
    const chunks = Array.from({ length: CHUNKS }, (_, i) =>
      Buffer.concat([CHUNK.subarray(i), CHUNK.subarray(0, i)]),
    );

    // Act: send one chunk, wait until the target has it, then send the rest.
    let upload: http.ClientRequest | undefined;
    const responding = request(
      fixture.url,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' } },
      (req) => {
        upload = req;
        req.write(chunks[0]);
      },
    );
    await waitFor(() => receivedBytes > 0, {
      what: 'the first chunk to reach the target before the upload ends',
    });
    for (const chunk of chunks.slice(1)) upload?.write(chunk);
    upload?.end();
    const result = JSON.parse((await readAll(await responding)).toString()) as {
      bytes: number;
      sha256: string;
    };

    // Assess
    expect(result).toEqual({ bytes: CHUNKS * CHUNK.length, sha256: sha256(chunks) });
  });

  it('streams a large download to the client before the target has finished sending', async () => {
    // Prepare: the backend sends one chunk, then the rest only once the client has the first.
    let clientGotFirst = false;
    const chunks = Array.from({ length: CHUNKS }, (_, i) =>
      Buffer.concat([CHUNK.subarray(i), CHUNK.subarray(0, i)]),
    );
    const fixture = await startElb();
    const source = await startBackend('i-source', '127.0.0.2', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(chunks[0]);
      waitFor(() => clientGotFirst, { what: 'the client to receive the first chunk' }).then(
        () => {
          for (const chunk of chunks.slice(1)) res.write(chunk);
          res.end();
        },
        () => res.destroy(),
      );
    });
    register(fixture, [source]);
    await waitForState(fixture, [source], 'healthy');

    // Act
    const response = await request(fixture.url, {});
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: Buffer) => {
        received.push(chunk);
        clientGotFirst = true;
      });
      response.on('end', resolve);
      response.on('error', reject);
    });

    // Assess
    expect(Buffer.concat(received).length).toBe(CHUNKS * CHUNK.length);
    expect(sha256(received)).toBe(sha256(chunks));
    expect(response.headers['content-length']).toBeUndefined();
  });
});
