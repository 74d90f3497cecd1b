/**
 * The AWS JSON protocol (1.0 for Step Functions, 1.1 for EventBridge) on the wire: request bodies
 * in, response bodies and errors out, dates as epoch seconds.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestEntityTooLarge, SerializationException } from './errors.js';

/** Larger than any Step Functions (256 KB input) or PutEvents (256 KB) request AWS accepts. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * A response value as the JSON protocol writes it: dates become epoch seconds (with millisecond
 * fractions, as AWS sends them) and undefined members are left out.
 */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = toWire(member);
    }
    return out;
  }
  return value;
}

/** Reads the whole body as text, refusing more than {@link MAX_REQUEST_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request)).toString('utf8');
}

/** Reads the whole body as bytes (CBOR), refusing more than {@link MAX_REQUEST_BYTES}. */
export async function readBodyBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      throw new RequestEntityTooLarge(`Request body is larger than ${MAX_REQUEST_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body as a JSON object; an empty body is `{}` as AWS treats it. */
export function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SerializationException(`Request body is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException('Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Writes a successful response in the protocol's content type. */
export function sendResult(response: ServerResponse, contentType: string, result: unknown): void {
  const body = JSON.stringify(toWire(result ?? {}));
  response.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(body);
}

/**
 * Writes an error as AWS does: the code in `__type` and in `x-amzn-errortype` (the SDK reads
 * either), the text in `message`.
 */
export function sendError(
  response: ServerResponse,
  contentType: string,
  statusCode: number,
  code: string,
  message: string,
): void {
  const body = JSON.stringify({ __type: code, message });
  response.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': code,
  });
  response.end(body);
}
