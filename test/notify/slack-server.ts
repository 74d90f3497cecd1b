/**
 * A real HTTP server on 127.0.0.1 port 0 standing in for a Slack incoming webhook: each request
 * takes the next scripted answer (a status with headers and body, a request left hanging, or a
 * dropped connection) and is recorded with the time it arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'drop';

export interface ReceivedRequest {
  at: number;
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A token-like path, so tests can check no part of the URL leaks. */
export const WEBHOOK_PATH = '/services/T0SCALELAB/B0NOTIFY1/s3cr3tW3bh00kT0k3n42xyz';

export interface FakeSlack {
  url: string;
  requests: ReceivedRequest[];
  /** Answers for the coming requests, in order; after them every request gets `fallback`. */
  script(...answers: Answer[]): void;
  close(): Promise<void>;
}

export async function startFakeSlack(fallback: Answer = { status: 200, body: 'ok' }): Promise<FakeSlack> {
  const requests: ReceivedRequest[] = [];
  const answers: Answer[] = [];
  const sockets = new Set<Socket>();

  function respond(request: IncomingMessage, response: ServerResponse, body: string): void {
    requests.push({
      at: performance.now(),
      method: request.method ?? '',
      path: request.url ?? '',
      contentType: request.headers['content-type'],
      body,
    });
    const answer = answers.shift() ?? fallback;
    if (answer === 'hang') return;
    if (answer === 'drop') {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    response.end(answer.body ?? '');
  }

  const server: Server = createServer(function onRequest(request, response) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => respond(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    requests,
    script: (...next) => answers.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens: a port that was just bound and released. */
export async function deadWebhookUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
}

/** Whether `text` holds the webhook URL or a recognisable part of it. */
export function leaksWebhook(text: string, url: string): boolean {
  const { host, pathname } = new URL(url);
  return [url, pathname, 's3cr3tW3bh00kT0k3n42xyz', 'B0NOTIFY1', 'T0SCALELAB', `${host}/services`].some(
    (part) => text.includes(part),
  );
}
