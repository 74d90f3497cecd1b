import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

/** Seed and stress bodies are tiny; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 1024;

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Writes any error as a JSON error response; unknown errors become a 500 without internals. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!(error instanceof HttpError)) {
    sendJson(res, 500, { error: 'InternalError', message: 'internal error' });
    return;
  }
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  const body: Record<string, unknown> = { error: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  sendJson(res, error.status, body);
}

/** A 405 that lists what the path does accept, as RFC 9110 requires. */
export function methodNotAllowed(method: string, path: string, allowed: string[]): HttpError {
  const allow = allowed.join(', ');
  return new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${path}; use ${allow}`, {
    Allow: allow,
  });
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

function tooLarge(): HttpError {
  // Closing the connection stops a client that keeps streaming an oversized body.
  return new HttpError(413, 'PayloadTooLarge', `request body exceeds ${MAX_BODY_BYTES} bytes`, {
    Connection: 'close',
  });
}

async function readLimitedBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a JSON request body of at most {@link MAX_BODY_BYTES}. Returns `undefined` when the request
 * has no body and `optional` is set; otherwise a missing body, another content type or malformed
 * JSON is an {@link HttpError} (400, 413 or 415).
 */
export async function readJsonBody(req: IncomingMessage, { optional = false } = {}): Promise<unknown> {
  if (!hasBody(req)) {
    if (optional) return undefined;
    throw new HttpError(400, 'MissingBody', 'request body is required: send JSON such as {"num": 100}');
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `Content-Type must be application/json, got ${req.headers['content-type'] ?? 'none'}`,
    );
  }
  const text = await readLimitedBody(req);
  if (text.trim() === '' && optional) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'MalformedJson', `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
