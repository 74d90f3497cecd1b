/**
 * Responses of the query protocols, written with fast-xml-parser's XMLBuilder. Values are given as
 * plain objects in the service's wire names; lists become `<member>` (AWS query) or `<item>` (EC2)
 * elements, dates ISO-8601, booleans and numbers their text, and undefined members are left out.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import type { QueryError } from './errors.js';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The wrapper element of list items: `member` for AWS query, `item` for EC2. */
export type ListStyle = 'member' | 'item';

/** A response value in XMLBuilder's terms (see the module comment). */
export function toXmlValue(value: unknown, style: ListStyle): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return { [style]: value.map((item) => toXmlValue(item, style)) };
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = toXmlValue(member, style);
    }
    return out;
  }
  return value;
}

export interface XmlResponse {
  status: number;
  contentType: string;
  body: string;
  requestId: string;
}

function xml(status: number, document: Record<string, unknown>, requestId: string): XmlResponse {
  return { status, contentType: 'text/xml', body: DECLARATION + builder.build(document), requestId };
}

/** AWS query: `<OpResponse><OpResult>…</OpResult><ResponseMetadata><RequestId>`. */
export function awsQueryResult(action: string, xmlns: string, result: unknown): XmlResponse {
  const requestId = randomUUID();
  return xml(
    200,
    {
      [`${action}Response`]: {
        '@_xmlns': xmlns,
        [`${action}Result`]: toXmlValue(result ?? {}, 'member'),
        ResponseMetadata: { RequestId: requestId },
      },
    },
    requestId,
  );
}

/** EC2 query: `<OpResponse><requestId>…</requestId>…members…</OpResponse>`. */
export function ec2Result(action: string, xmlns: string, result: Record<string, unknown>): XmlResponse {
  const requestId = randomUUID();
  const members = toXmlValue(result, 'item') as Record<string, unknown>;
  return xml(200, { [`${action}Response`]: { '@_xmlns': xmlns, requestId, ...members } }, requestId);
}

/** AWS query's error shape. */
export function awsQueryError(error: QueryError, xmlns: string): XmlResponse {
  const requestId = randomUUID();
  return xml(
    error.statusCode,
    {
      ErrorResponse: {
        '@_xmlns': xmlns,
        Error: { Type: error.faultType, Code: error.code, Message: error.message },
        RequestId: requestId,
      },
    },
    requestId,
  );
}

/** EC2's error shape. */
export function ec2Error(error: QueryError): XmlResponse {
  const requestId = randomUUID();
  return xml(
    error.statusCode,
    { Response: { Errors: { Error: { Code: error.code, Message: error.message } }, RequestID: requestId } },
    requestId,
  );
}

/** Writes a query-protocol response. */
export function sendXml(
  response: ServerResponse,
  { status, contentType, body, requestId }: XmlResponse,
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}
