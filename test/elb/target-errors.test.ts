import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { get, onCleanup, startBackend, startElb } from './helpers.js';

/** A raw TCP "target" on a free loopback port that answers each connection with `onConnection`. */
async function startRawTarget(ip: string, onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** A loopback port with nothing listening on it (taken, then released). */
async function freePort(ip: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A target that never completes new connections: a child listens with a backlog of 1 and at once
 * blocks its thread (without burning CPU), so nothing is accepted; once the kernel's accept queue
 * is full, further SYNs are dropped and a connect hangs.
 */
async function startBlackHole(ip: string): Promise<number> {
  const script = `
    const s = require('node:net').createServer();
    s.listen({ port: 0, host: '${ip}', backlog: 1 }, () => {
      process.stdout.write(String(s.address().port) + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  onCleanup(() => {
    child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
  );
  // Connect until a connect hangs: from then on the accept queue is full.
  for (let i = 0; i < 8; i++) {
    const filler = net.connect(port, ip);
    filler.on('error', () => {});
    onCleanup(() => {
      filler.destroy();
    });
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      filler.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return port;
  }
  throw new Error('the accept queue of the black-hole target never filled');
}

describe("the load balancer's own errors", () => {
  it('answers 502 when the target refuses the connection', async () => {
    // Prepare: the only target (failing open) has nothing listening.
    const fixture = await startElb();
    fixture.elb.registerTargets(fixture.group, [
      { id: 'i-down', ip: '127.0.0.2', port: await freePort('127.0.0.2') },
    ]);

    // Act
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('answers 502 when the target resets the connection', async () => {
    // Prepare
    const fixture = await startElb();
    const port = await startRawTarget('127.0.0.2', (socket) =>
      socket.once('data', () => socket.resetAndDestroy()),
    );
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-reset', ip: '127.0.0.2', port }]);

    // Act
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(502);
  });

  it('answers 502 when the target sends a malformed response', async () => {
    // Prepare
    const fixture = await startElb();
    const port = await startRawTarget('127.0.0.2', (socket) =>
      socket.once('data', () => socket.end('this is not HTTP\r\n\r\n')),
    );
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-garbage', ip: '127.0.0.2', port }]);

    // Act
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(502);
  });

  it('answers 504 when the target stays silent past the idle timeout', async () => {
    // Prepare: 60 simulated seconds at scale 200 are 300 real ms.
    const fixture = await startElb({}, { scale: 200 });
    const silent = await startBackend('i-silent', '127.0.0.2', () => {});
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-silent', ip: silent.ip, port: silent.port }]);

    // Act
    const started = performance.now();
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(fixture.clock.toRealMs(60) - 20);
    expect(answer.body).toContain('504 Gateway Timeout');
  });

  it('answers 504 when no connection to the target is made within 10 s', async () => {
    // Prepare: 10 simulated seconds at scale 50 are 200 real ms.
    const fixture = await startElb();
    const port = await startBlackHole('127.0.0.2');
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-black-hole', ip: '127.0.0.2', port }]);

    // Act
    const started = performance.now();
    const answer = await get(fixture.url);

    // Assess
    expect(answer.status).toBe(504);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(fixture.clock.toRealMs(10) - 20);
    // Well before the idle timeout (60 s = 1.2 s real): the connect timer answered, not the idle one.
    expect(elapsed).toBeLessThan(fixture.clock.toRealMs(60));
  });

  it('cuts the client connection when the target breaks off in the middle of a body', async () => {
    // Prepare
    const fixture = await startElb();
    const port = await startRawTarget('127.0.0.2', (socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
        setImmediate(() => socket.destroy());
      }),
    );
    fixture.elb.registerTargets(fixture.group, [{ id: 'i-partial', ip: '127.0.0.2', port }]);

    // Act
    const response = await fetch(fixture.url);

    // Assess: the status arrived, but reading the body must fail rather than look complete.
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});
