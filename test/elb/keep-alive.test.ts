import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { get, onCleanup, startElb } from './helpers.js';

/**
 * A raw keep-alive target that answers the first proxied request on each connection and
 * silently closes the connection when a second one arrives on it, as a target whose keep-alive
 * timeout just expired does. Health checks (fresh connections, `Connection: close`) get a 200.
 */
async function startForgetfulTarget(ip: string): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (text.includes('ELB-HealthChecker')) {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      if (answered) {
        socket.destroy();
        return;
      }
      answered = true;
      connections++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=30\r\n\r\nok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe('keep-alive connections to targets', () => {
  it('resends a GET on a new connection when the pooled one turns out closed', async () => {
    // Prepare: one request leaves a pooled connection the target will close on the next request.
    const fixture = await startElb();
    const target = await startForgetfulTarget('127.0.0.2');
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-forgetful', ip: '127.0.0.2', port: target.port }]);
    expect((await get(fixture.url)).status).toBe(200);

    // Act
    const answer = await get(fixture.url);

    // Assess: answered over a second connection, not a 502.
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(target.connections()).toBe(2);
  });

  it('answers 502 rather than resend a POST over a pooled connection that turns out closed', async () => {
    // Prepare
    const fixture = await startElb();
    const target = await startForgetfulTarget('127.0.0.2');
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-forgetful', ip: '127.0.0.2', port: target.port }]);
    expect((await get(fixture.url)).status).toBe(200);

    // Act: a POST could start a second stress, so it is not sent twice.
    const answer = await get(fixture.url, { method: 'POST', body: '' });

    // Assess
    expect(answer.status).toBe(502);
    expect(target.connections()).toBe(1);
  });

  it('does not resend a GET whose fresh connection the target resets', async () => {
    // Prepare
    const fixture = await startElb();
    let proxied = 0;
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.once('data', (chunk: Buffer) => {
        if (chunk.toString('latin1').includes('ELB-HealthChecker')) {
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          return;
        }
        proxied++;
        socket.resetAndDestroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-reset', ip: '127.0.0.2', port }]);

    // Act
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(502);
    expect(proxied).toBe(1);
  });

  it('forwards an upload sent with Expect: 100-continue', async () => {
    // Prepare: the backend echoes the body it receives.
    const fixture = await startElb();
    const backend = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(`${req.headers.expect ?? 'no expect'}: ${Buffer.concat(chunks)}`));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.2', resolve));
    onCleanup(
      () =>
        new Promise<void>((resolve) => {
          backend.close(() => resolve());
          backend.closeAllConnections();
        }),
    );
    const { port } = backend.address() as AddressInfo;
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-echo', ip: '127.0.0.2', port }]);

    // Act: the client waits for 100 Continue before sending its body, as curl does for large ones.
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(fixture.url, {
        method: 'PUT',
        agent: false,
        headers: { expect: '100-continue', 'content-length': '5' },
      });
      req.on('continue', () => req.end('hello'));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        res.on('error', reject);
      });
      req.on('error', reject);
    });

    // Assess: the listener answered the Expect itself; the target got the body without it.
    expect(body).toBe('no expect: hello');
  });
});
