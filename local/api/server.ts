/**
 * The local AWS endpoint: one loopback HTTP server that speaks Step Functions' and EventBridge's
 * AWS JSON protocols, CloudWatch's AWS JSON and Smithy RPC v2 CBOR, DynamoDB's (through
 * dynalite), and the EC2 and AWS query protocols of EC2, Auto Scaling and ELBv2, so the AWS CLI (`--endpoint-url`) and the SDK clients (`endpoint`) work against the
 * local engine unchanged. Credentials and signatures are accepted without checking.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION } from '../arn.js';
import type { LocalEventBus } from '../eventbridge/index.js';
import type { LocalAws } from '../local-aws.js';
import { StepFunctionsError } from '../stepfunctions/errors.js';
import type { LocalStepFunctions } from '../stepfunctions/index.js';
import { cborOperationOf, sendCborError } from './cbor-protocol.js';
import { CLOUDWATCH_SERVICE, CloudWatchService } from './cloudwatch-service.js';
import { DEFAULT_API_PORT, SCALELAB_SERVICE } from './defaults.js';
import { DYNAMODB_TARGET_PREFIX, type DynamoTableSpec, LocalDynamoDb } from './dynamodb.js';
import { ApiError, InternalFailure, UnknownOperationException } from './errors.js';
import { eventBridgeOperations } from './eventbridge-operations.js';
import { parseBody, readBody, sendError, sendResult } from './protocol.js';
import { isQueryRequest, queryHandler } from './query/handler.js';
import { sendXml } from './query/xml.js';
import { queryServices } from './query-services.js';
import { engineOperations } from './scalelab-operations.js';
import { type Operation, stepFunctionsOperations } from './stepfunctions-operations.js';

export { DEFAULT_API_PORT, SCALELAB_SERVICE };
/** The region every local ARN is in; clients should use it too. */
export const API_REGION = LOCAL_REGION;

export interface ApiServerOptions {
  /**
   * The engine behind `AWSStepFunctions.*`; without it (`scalelab up` has no state machines)
   * every Step Functions operation is an UnknownOperationException saying it is not served.
   */
  stepFunctions?: LocalStepFunctions;
  /** Where `AWSEvents.PutEvents` puts events; without it the operation is unknown. */
  bus?: LocalEventBus;
  /**
   * The local cloud whose EC2, Auto Scaling, Elastic Load Balancing v2 and CloudWatch the
   * endpoint answers for (issue 17); without it those services are unknown.
   */
  cloud?: LocalAws;
  /**
   * scalelab's own operations, not AWS APIs (`X-Amz-Target: ScalelabLocal.<Op>`, AWS JSON 1.0):
   * e.g. `ResetLab` from the local lab's wiring, which the endpoint knows nothing about. Without
   * them every `ScalelabLocal.*` target is an UnknownOperationException saying there is no lab here.
   */
  scalelabOperations?: Record<string, Operation>;
  /** DynamoDB tables to create at start (the lab's observer table); DynamoDB is served either way. */
  tables?: readonly DynamoTableSpec[];
  /** A loopback address (default 127.0.0.1): the endpoint accepts any credentials. */
  host?: string;
  /** Default {@link DEFAULT_API_PORT}; 0 picks a free port. */
  port?: number;
  /** Told about 500s (an error no AWS code stands for); defaults to a process warning. */
  onError?: (error: unknown) => void;
  /**
   * Something else the endpoint serves on its own paths (the web console under `/console`): tried
   * before any AWS protocol for a request under `prefix`, and a plain `GET /` redirects there.
   * AWS requests are never sent there: every AWS protocol posts to `/` (or `/service/…`).
   */
  mount?: PathMount;
}

/** A handler for every request whose path is `prefix` or under it; it answers them all. */
export interface PathMount {
  /** e.g. `/console`: no trailing slash. */
  prefix: string;
  handle(request: IncomingMessage, response: ServerResponse): void | Promise<void>;
}

export interface ApiServer {
  /** e.g. `http://127.0.0.1:8083`, for `--endpoint-url` and the SDK's `endpoint`. */
  url: string;
  /** Stops listening and ends open connections; the services stay open (their owner closes them). */
  close(): Promise<void>;
}

interface Service {
  contentType: string;
  operations: Record<string, Operation>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The AWS JSON target prefix of Step Functions, served only with a LocalStepFunctions. */
const STEP_FUNCTIONS_SERVICE = 'AWSStepFunctions';

/** Why a target has no operation here, said so a person knows whether it is a typo or a missing service. */
function unknownMessage(target: string, service: Service | undefined): string {
  if (target === '') return 'Missing X-Amz-Target header';
  if (!service && target.startsWith(`${STEP_FUNCTIONS_SERVICE}.`))
    return `Unknown operation '${target}': Step Functions is not served by this endpoint (it has no state machines)`;
  if (target.startsWith(`${SCALELAB_SERVICE}.`)) {
    const served = Object.keys(service?.operations ?? {}).join(', ') || 'none';
    return `Unknown operation '${target}': not among scalelab's own operations this endpoint serves (${served}); ResetLab needs a lab ('scalelab serve' without --demo, or 'scalelab up')`;
  }
  return `Unknown operation '${target}'`;
}

/** AWS-named errors keep their name as the code; anything else is a 500 InternalFailure. */
function asApiError(
  error: unknown,
  onError: (error: unknown) => void,
): { status: number; code: string; message: string } {
  if (error instanceof ApiError)
    return { status: error.statusCode, code: error.name, message: error.message };
  if (error instanceof StepFunctionsError) return { status: 400, code: error.name, message: error.message };
  onError(error);
  const failure = new InternalFailure('The local endpoint failed to process the request');
  return { status: failure.statusCode, code: failure.name, message: failure.message };
}

/** Starts the endpoint; resolves once it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`the local AWS endpoint only binds to loopback, not '${host}'`);
  const onError =
    options.onError ?? ((error: unknown) => process.emitWarning(`local AWS endpoint: ${String(error)}`));
  const services = new Map<string, Service>();
  if (options.stepFunctions) {
    services.set(STEP_FUNCTIONS_SERVICE, {
      contentType: 'application/x-amz-json-1.0',
      operations: stepFunctionsOperations(options.stepFunctions),
    });
  }
  if (options.bus) {
    services.set('AWSEvents', {
      contentType: 'application/x-amz-json-1.1',
      operations: eventBridgeOperations(options.bus),
    });
  }

  const ownOperations = {
    ...(options.stepFunctions && engineOperations(options.stepFunctions)),
    ...options.scalelabOperations,
  };
  if (Object.keys(ownOperations).length > 0) {
    services.set(SCALELAB_SERVICE, { contentType: 'application/x-amz-json-1.0', operations: ownOperations });
  }

  const cloudWatch = options.cloud ? new CloudWatchService(options.cloud, onError) : undefined;
  const dynamoDb = new LocalDynamoDb();

  /**
   * Services with their own protocol or emulator, answered before the AWS JSON map: Smithy RPC v2
   * CBOR requests (by path), CloudWatch's and DynamoDB's JSON targets. False when none matched.
   */
  async function handleOwnProtocol(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const cbor = cborOperationOf(request.url, request.headers);
    if (cbor && request.method === 'POST') {
      if (cbor.service === CLOUDWATCH_SERVICE && cloudWatch) {
        await cloudWatch.handle(request, response, 'cbor', cbor.operation);
      } else {
        request.resume();
        const message = `Unknown operation '${cbor.service}.${cbor.operation}'`;
        sendCborError(response, 400, 'UnknownOperationException', message);
      }
      return true;
    }
    if (cloudWatch && target.startsWith(`${CLOUDWATCH_SERVICE}.`)) {
      await cloudWatch.handle(request, response, 'json', target.slice(CLOUDWATCH_SERVICE.length + 1));
      return true;
    }
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      await dynamoDb.handle(request, response, onError);
      return true;
    }
    return false;
  }

  // Form-encoded `Action=` requests: EC2, Auto Scaling and ELBv2 (query/handler.ts).
  const handleQuery = queryHandler(options.cloud ? queryServices(options.cloud, onError) : [], onError);

  function operationFor(target: string): { service?: Service; operation?: Operation } {
    const dot = target.indexOf('.');
    if (dot < 0) return {};
    const service = services.get(target.slice(0, dot));
    const name = target.slice(dot + 1);
    // hasOwn: an operation named like an Object.prototype member must not resolve.
    const operation =
      service && Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
    return { service, operation };
  }

  /** The mount's requests, and `GET /` sent to it; false for everything else. */
  async function handleMount(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const mount = options.mount;
    if (!mount) return false;
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === mount.prefix || path.startsWith(`${mount.prefix}/`)) {
      await mount.handle(request, response);
      return true;
    }
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(302, { location: `${mount.prefix}/` }).end();
      return true;
    }
    return false;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (await handleMount(request, response)) return;
      if (await handleOwnProtocol(request, response)) return;
    } catch (error) {
      // Those services answer their own errors; this is a failure of the connection itself.
      onError(error);
      const failure = new InternalFailure('The local endpoint failed to process the request');
      if (!response.headersSent)
        sendError(response, 'application/x-amz-json-1.0', failure.statusCode, failure.name, failure.message);
      return;
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === '' && isQueryRequest(request)) {
      sendXml(response, await handleQuery(request));
      return;
    }
    const { service, operation } = operationFor(target);
    const contentType = service?.contentType ?? 'application/x-amz-json-1.0';
    try {
      const body = await readBody(request);
      if (request.method !== 'POST' || !operation)
        throw new UnknownOperationException(unknownMessage(target, service));
      sendResult(response, contentType, await operation(parseBody(body)));
    } catch (error) {
      const { status, code, message } = asApiError(error, onError);
      sendError(response, contentType, status, code, message);
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  function close(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets of SDK clients would hold close() open until they time out.
      server.closeAllConnections();
    });
  }
  try {
    await dynamoDb.createTables(url, options.tables ?? []);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}
