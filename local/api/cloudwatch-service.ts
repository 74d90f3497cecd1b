/**
 * CloudWatch on the local endpoint, in the two protocols its clients speak: AWS JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`, the SDK v3) and Smithy RPC v2 CBOR
 * (`/service/GraniteServiceVersion20100801/operation/<Op>`, the AWS CLI). Both carry the same
 * members; errors add the query code in `x-amzn-query-error` (CloudWatch is awsQueryCompatible).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalAws } from '../local-aws.js';
import { parseCborBody, sendCborError, sendCborResult } from './cbor-protocol.js';
import { describeAlarms } from './cloudwatch-alarms.js';
import { CloudWatchError } from './cloudwatch-errors.js';
import type { Members } from './cloudwatch-input.js';
import { getMetricData, getMetricStatistics, listMetrics } from './cloudwatch-metrics.js';
import { ApiError, InternalFailure, UnknownOperationException } from './errors.js';
import { parseBody, readBodyBytes, toWire } from './protocol.js';

/** CloudWatch's service name in `X-Amz-Target` and in RPC v2 paths. */
export const CLOUDWATCH_SERVICE = 'GraniteServiceVersion20100801';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

export type WireProtocol = 'json' | 'cbor';

type CloudWatchOperation = (body: Members) => unknown;

function operationsOf(cloud: LocalAws): Record<string, CloudWatchOperation> {
  return {
    GetMetricStatistics: (body) => getMetricStatistics(cloud.metrics, body),
    GetMetricData: (body) => getMetricData(cloud.metrics, body),
    ListMetrics: (body) => listMetrics(cloud.metrics, body),
    DescribeAlarms: (body) => describeAlarms(cloud, body),
  };
}

interface WireError {
  status: number;
  type: string;
  message: string;
  headers: Record<string, string>;
}

/** The error as CloudWatch sends it; anything unexpected is a 500 InternalFailure. */
function wireErrorOf(error: unknown, onError: (error: unknown) => void): WireError {
  if (error instanceof CloudWatchError) {
    return {
      status: error.statusCode,
      type: error.shapeId,
      message: error.message,
      headers: { 'x-amzn-query-error': `${error.queryCode};Sender` },
    };
  }
  if (error instanceof ApiError)
    return { status: error.statusCode, type: error.name, message: error.message, headers: {} };
  onError(error);
  const failure = new InternalFailure('The local endpoint failed to process the request');
  return {
    status: failure.statusCode,
    type: failure.name,
    message: failure.message,
    headers: { 'x-amzn-query-error': 'InternalFailure;Receiver' },
  };
}

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string>,
): void {
  const body = JSON.stringify(toWire(value));
  response.writeHead(status, {
    ...headers,
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(body);
}

/** The local CloudWatch's API over one {@link LocalAws}. */
export class CloudWatchService {
  private readonly operations: Record<string, CloudWatchOperation>;

  constructor(
    cloud: LocalAws,
    private readonly onError: (error: unknown) => void,
  ) {
    this.operations = operationsOf(cloud);
  }

  /** Answers one request for `operationName` in `protocol`, errors included. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    protocol: WireProtocol,
    operationName: string,
  ): Promise<void> {
    try {
      const bytes = await readBodyBytes(request);
      // hasOwn: an operation named like an Object.prototype member must not resolve.
      const operation = Object.hasOwn(this.operations, operationName)
        ? this.operations[operationName]
        : undefined;
      if (request.method !== 'POST' || !operation) {
        throw new UnknownOperationException(`Unknown operation '${CLOUDWATCH_SERVICE}.${operationName}'`);
      }
      const body = protocol === 'cbor' ? parseCborBody(bytes) : parseBody(bytes.toString('utf8'));
      const result = operation(body);
      if (protocol === 'cbor') sendCborResult(response, result);
      else sendJson(response, 200, result, {});
    } catch (error) {
      const { status, type, message, headers } = wireErrorOf(error, this.onError);
      if (protocol === 'cbor') sendCborError(response, status, type, message, headers);
      else sendJson(response, status, { __type: type, message }, { ...headers, 'x-amzn-errortype': type });
    }
  }
}
