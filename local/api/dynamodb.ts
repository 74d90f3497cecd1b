/**
 * DynamoDB on the local endpoint: `X-Amz-Target: DynamoDB_20120810.*` requests are handed to an
 * in-memory dynalite (a well-kept DynamoDB emulator) through its request listener, so DynamoDB
 * shares the endpoint's one port instead of opening a second.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ApiError, SerializationException } from './errors.js';
import { readBodyBytes, sendError } from './protocol.js';

/** The `X-Amz-Target` prefix of DynamoDB's operations. */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** How long a created table may take to become ACTIVE before start-up gives up. */
const TABLE_ACTIVE_DEADLINE_MS = 5_000;

/** A table to create when the endpoint starts, keyed by one string partition key. */
export interface DynamoTableSpec {
  name: string;
  /** The partition (hash) key, an attribute of type S. */
  partitionKey: string;
}

/**
 * The request as dynalite reads it: the body already read (and size-checked) by the endpoint,
 * replayed from memory. A client that drops its connection then cannot reach dynalite, whose
 * `req.on('error')` listener would throw and end the process.
 */
function replay(request: IncomingMessage, body: Buffer, onThrow: (error: unknown) => void): Readable {
  const stream = Readable.from(body.length > 0 ? [body] : []);
  // dynalite parses and validates inside its 'end' listener; a throw there must not escape.
  const emit = stream.emit.bind(stream);
  stream.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    try {
      return emit(event, ...args);
    } catch (error) {
      onThrow(error);
      return false;
    }
  };
  return Object.assign(stream, { headers: request.headers, method: request.method, url: request.url });
}

/**
 * dynalite answers malformed JSON itself but throws on JSON that is not an object (`null`):
 * refuse that here, as AWS does, with a SerializationException.
 */
function refuseNonObject(body: Buffer): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException('Request body must be a JSON object');
  }
}

/** The endpoint's DynamoDB: one in-memory emulator for the endpoint's lifetime. */
export class LocalDynamoDb {
  private readonly emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

  /** Answers one DynamoDB request; `onError` hears of failures no DynamoDB error stands for. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    onError: (error: unknown) => void,
  ): Promise<void> {
    let body: Buffer;
    try {
      body = await readBodyBytes(request);
      refuseNonObject(body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendError(response, CONTENT_TYPE, error.statusCode, error.name, error.message);
      return;
    }
    const fail = (error: unknown): void => {
      onError(error);
      if (!response.headersSent) {
        sendError(
          response,
          CONTENT_TYPE,
          500,
          'InternalFailure',
          'The local endpoint failed to process the request',
        );
      }
    };
    this.emulator.emit('request', replay(request, body, fail), response);
  }

  /**
   * Creates each table (pay per request, as the lab's stack does) through the endpoint at `url`,
   * and waits until it is ACTIVE. A table that exists already is left as it is.
   */
  async createTables(url: string, tables: readonly DynamoTableSpec[]): Promise<void> {
    if (tables.length === 0) return;
    const client = new DynamoDBClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      for (const table of tables) await createTable(client, table);
    } finally {
      client.destroy();
    }
  }
}

async function createTable(client: DynamoDBClient, table: DynamoTableSpec): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + TABLE_ACTIVE_DEADLINE_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `DynamoDB table ${table.name} is still ${Table?.TableStatus} after ${TABLE_ACTIVE_DEADLINE_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
