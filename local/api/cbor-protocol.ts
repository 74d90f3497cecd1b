/**
 * Smithy RPC v2 CBOR on the wire (what the AWS CLI's botocore picks for CloudWatch):
 * `POST /service/<Service>/operation/<Op>` with `smithy-protocol: rpc-v2-cbor`, CBOR bodies and
 * timestamps as CBOR tag 1 (epoch seconds). Encoding and decoding are cborg's.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { decode, encode } from 'cborg';
import { dateDecoder, dateEncoder } from 'cborg/taglib';
import { SerializationException } from './errors.js';

export const CBOR_CONTENT_TYPE = 'application/cbor';

const OPERATION_PATH = /^\/service\/([^/?]+)\/operation\/([^/?]+)$/;

/** The service and operation a Smithy RPC v2 CBOR request names, or undefined if it is not one. */
export function cborOperationOf(
  url: string | undefined,
  headers: IncomingHttpHeaders,
): { service: string; operation: string } | undefined {
  if (headers['smithy-protocol'] !== 'rpc-v2-cbor') return undefined;
  const path = (url ?? '').split('?')[0] ?? '';
  const match = OPERATION_PATH.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  return { service: decodeURIComponent(match[1]), operation: decodeURIComponent(match[2]) };
}

/** The body as a CBOR map with tag-1 timestamps as Dates; an empty body is `{}`. */
export function parseCborBody(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = decode(body, { tags: { 1: dateDecoder } });
  } catch (error) {
    throw new SerializationException(`Request body is not valid CBOR: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    parsed instanceof Uint8Array
  ) {
    throw new SerializationException('Request body must be a CBOR map');
  }
  return parsed as Record<string, unknown>;
}

function send(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string>,
): void {
  const body = encode(value, { typeEncoders: { Date: dateEncoder }, ignoreUndefinedProperties: true });
  response.writeHead(status, {
    ...headers,
    'content-type': CBOR_CONTENT_TYPE,
    'content-length': body.byteLength,
    'smithy-protocol': 'rpc-v2-cbor',
    'x-amzn-requestid': randomUUID(),
  });
  response.end(body);
}

/** A successful response; Dates go out as tag 1, undefined members are left out. */
export function sendCborResult(response: ServerResponse, result: unknown): void {
  send(response, 200, result ?? {}, {});
}

/** An error: `__type` names it (a shape ID or a bare code), `message` says what happened. */
export function sendCborError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(response, status, { __type: type, message }, headers);
}
