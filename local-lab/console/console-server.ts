/**
 * The web console's HTTP side: the page, its JSON API and its live event stream, all under one
 * path prefix. `scalelab serve` mounts it on the local AWS endpoint; `scalelab run` serves it on a
 * loopback port of its own ({@link startConsoleServer}). GETs only read; every change is a POST.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  executionArn,
  StepFunctionsError,
} from '../../local/stepfunctions/index.js';
import type { ConsoleContext } from './context.js';
import { ConsoleRefusal, HttpError, StartRefused } from './errors.js';
import { LiveUpdates } from './live-updates.js';
import {
  redriveExecution,
  replayExecution,
  type StartRequest,
  startExecution,
  stopExecution,
} from './operations.js';
import { consoleAssets, sendStatic } from './page.js';
import { isLoopbackHost, refusal } from './request-guard.js';
import { executionsList, executionView, stateMachines } from './views.js';

/** Where the console lives on the endpoint. */

/** A `%`-encoded path segment, or a 400 naming it when its encoding is broken. */
function pathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BadRequest', `malformed path segment '${segment}' (a bad % escape)`);
  }
}
export const CONSOLE_PREFIX = '/console';

/** The most a POST body may hold (an execution input is at most 256 KiB on AWS). */
const MAX_BODY_BYTES = 512 * 1024;

export interface ConsoleMount {
  prefix: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Ends the live streams and stops listening to the executions. */
  close(): void;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(value));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'RequestTooLarge', `a request body may hold at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // said below
  }
  throw new HttpError(400, 'BadRequest', 'the request body must be a JSON object');
}

/** The status an engine error answers with. */
function statusOf(error: StepFunctionsError): number {
  if (error instanceof ExecutionDoesNotExist) return 404;
  if (error instanceof ExecutionNotRedrivable) return 409;
  return 400;
}

const EXECUTION_PATH = /^\/api\/executions\/([^/]+)\/([^/]+)(?:\/(stop|replay|redrive))?$/;

/** The console as a handler of the paths under {@link CONSOLE_PREFIX}. */
export function consoleMount(
  context: ConsoleContext,
  onError: (error: unknown) => void = (error) => process.emitWarning(`console: ${String(error)}`),
): ConsoleMount {
  const live = new LiveUpdates(context.stepFunctions);
  const prefix = CONSOLE_PREFIX;

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: URLSearchParams,
  ) {
    const method = request.method ?? 'GET';
    if (path === '' && method === 'GET') {
      response.writeHead(301, { location: `${prefix}/` }).end();
      return;
    }
    if (path === '/' && method === 'GET') {
      sendStatic(response, 'text/html; charset=utf-8', (await consoleAssets(prefix)).html, false);
      return;
    }
    if (path === '/app.js' && method === 'GET') {
      sendStatic(response, 'text/javascript; charset=utf-8', (await consoleAssets(prefix)).js, true);
      return;
    }
    if (path === '/app.css' && method === 'GET') {
      sendStatic(response, 'text/css; charset=utf-8', (await consoleAssets(prefix)).css, true);
      return;
    }
    if (path === '/api/events' && method === 'GET') {
      live.attach(request, response);
      return;
    }
    if (path === '/api/state-machines' && method === 'GET') {
      sendJson(response, 200, stateMachines(context));
      return;
    }
    if (path === '/api/executions' && method === 'GET') {
      sendJson(response, 200, executionsList(context));
      return;
    }
    if (path === '/api/executions' && method === 'POST') {
      sendJson(response, 201, startExecution(context, (await readJson(request)) as StartRequest));
      return;
    }
    const match = EXECUTION_PATH.exec(path);
    if (match) {
      const [, machine = '', name = '', action] = match;
      const arn = executionArn(pathSegment(machine), pathSegment(name));
      if (!action && method === 'GET') {
        const after = Number.parseInt(query.get('historyAfter') ?? '0', 10);
        sendJson(response, 200, executionView(context, arn, Number.isFinite(after) ? after : 0));
        return;
      }
      if (action && method === 'POST') {
        await readJson(request);
        if (action === 'stop') sendJson(response, 200, stopExecution(context, arn));
        else if (action === 'replay') sendJson(response, 201, replayExecution(context, arn));
        else sendJson(response, 200, redriveExecution(context, arn));
        return;
      }
      throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${prefix}${path}`);
    }
    const known = ['/', '/app.js', '/app.css', '/api/events', '/api/state-machines', '/api/executions'];
    if (known.includes(path))
      throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${prefix}${path}`);
    throw new HttpError(404, 'NotFound', `nothing at ${prefix}${path}`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = refusal(request);
    if (refused) {
      request.resume();
      sendJson(response, refused.status, { error: 'Forbidden', message: refused.message });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    try {
      await route(request, response, url.pathname.slice(prefix.length), url.searchParams);
    } catch (error) {
      request.resume();
      if (response.headersSent) {
        onError(error);
        response.end();
      } else if (error instanceof StartRefused) sendJson(response, error.status, { errors: error.fields });
      else if (error instanceof ConsoleRefusal || error instanceof HttpError)
        sendJson(response, error.status, { error: error.error, message: error.message });
      else if (error instanceof StepFunctionsError)
        sendJson(response, statusOf(error), { error: error.name, message: error.message });
      else {
        onError(error);
        sendJson(response, 500, {
          error: 'InternalError',
          message: 'the console failed to answer; see the log',
        });
      }
    }
  }

  return { prefix, handle, close: () => live.close() };
}

export interface ConsoleServer {
  /** e.g. `http://127.0.0.1:41234/console/`. */
  url: string;
  close(): Promise<void>;
}

/** The console on a loopback port of its own (`scalelab run`); port 0 picks a free one. */
export async function startConsoleServer(
  context: ConsoleContext,
  options: { host?: string; port?: number; onError?: (error: unknown) => void } = {},
): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && host !== '::1')
    throw new Error(`the console only binds to loopback (it has no login), not '${host}'`);
  const mount = consoleMount(context, options.onError);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === mount.prefix || path.startsWith(`${mount.prefix}/`)) void mount.handle(request, response);
    else if (request.method === 'GET' && path === '/')
      response.writeHead(302, { location: `${mount.prefix}/` }).end();
    else sendJson(response, 404, { error: 'NotFound', message: `nothing at ${path}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}${mount.prefix}/`,
    close: () =>
      new Promise<void>((resolve) => {
        mount.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
