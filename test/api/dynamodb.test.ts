import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsInstanceMoments } from '../../lambdas/cloud/aws-instance-moments.js';
import { AwsLabGuard } from '../../lambdas/cloud/aws-lab-guard.js';
import { type CloudEndpoint, OBSERVER_TABLE, startCloudEndpoint } from './cloud-endpoint.js';
import { DUMMY_CREDENTIALS, rejection } from './harness.js';

const TableName = OBSERVER_TABLE.name;

describe('DynamoDB on the local endpoint (dynalite)', () => {
  let e: CloudEndpoint;
  beforeEach(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
  });
  afterEach(async () => {
    await e.close();
  });

  it('serves the lab table: conditional put, get, update with if_not_exists, delete', async () => {
    const key = { observerId: { S: 'obs-1' } };
    await e.dynamo.send(
      new PutItemCommand({
        TableName,
        Item: { ...key, token: { S: 't1' }, expiresAt: { N: '100' } },
        ConditionExpression: 'attribute_not_exists(observerId)',
      }),
    );
    const again = await rejection(
      e.dynamo.send(
        new PutItemCommand({
          TableName,
          Item: { ...key, token: { S: 't2' } },
          ConditionExpression: 'attribute_not_exists(observerId)',
        }),
      ),
    );
    await e.dynamo.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET #m = if_not_exists(#m, :at), expiresAt = if_not_exists(expiresAt, :exp)',
        ExpressionAttributeNames: { '#m': 'launched' },
        ExpressionAttributeValues: { ':at': { N: '5' }, ':exp': { N: '999' } },
      }),
    );
    const { Item } = await e.dynamo.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: true }));
    const wrongToken = await rejection(
      e.dynamo.send(
        new DeleteItemCommand({
          TableName,
          Key: key,
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: 'stale' } },
        }),
      ),
    );
    await e.dynamo.send(
      new DeleteItemCommand({
        TableName,
        Key: key,
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': { S: 't1' } },
      }),
    );
    const gone = await e.dynamo.send(new GetItemCommand({ TableName, Key: key }));

    expect(again).toBeInstanceOf(ConditionalCheckFailedException);
    expect(Item).toEqual({ ...key, token: { S: 't1' }, expiresAt: { N: '100' }, launched: { N: '5' } });
    expect(wrongToken).toBeInstanceOf(ConditionalCheckFailedException);
    expect(gone.Item).toBeUndefined();
  });

  it('returns the replaced item with ReturnValues ALL_OLD, as armObserver reads it', async () => {
    const put = (token: string) =>
      e.dynamo.send(
        new PutItemCommand({
          TableName,
          Item: { observerId: { S: 'obs-2' }, token: { S: token } },
          ReturnValues: 'ALL_OLD',
        }),
      );

    const first = await put('t1');
    const second = await put('t2');

    expect(first.Attributes).toBeUndefined();
    expect(second.Attributes).toEqual({ observerId: { S: 'obs-2' }, token: { S: 't1' } });
  });

  it('scans page by page with ExclusiveStartKey and filters with begins_with', async () => {
    for (const id of ['a', 'b', 'c', 'scalelab#instance#i-1', 'scalelab#instance#i-2']) {
      await e.dynamo.send(new PutItemCommand({ TableName, Item: { observerId: { S: id } } }));
    }

    const seen: string[] = [];
    let startKey: Record<string, never> | undefined;
    let pages = 0;
    do {
      const out = await e.dynamo.send(
        new ScanCommand({ TableName, ConsistentRead: true, Limit: 2, ExclusiveStartKey: startKey }),
      );
      seen.push(...(out.Items ?? []).map((item) => item.observerId?.S ?? ''));
      startKey = out.LastEvaluatedKey as typeof startKey;
      pages++;
    } while (startKey);
    const filtered = await e.dynamo.send(
      new ScanCommand({
        TableName,
        FilterExpression: 'begins_with(observerId, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: 'scalelab#instance#' } },
      }),
    );

    expect(seen.sort()).toEqual(['a', 'b', 'c', 'scalelab#instance#i-1', 'scalelab#instance#i-2']);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(filtered.Items?.map((item) => item.observerId?.S).sort()).toEqual([
      'scalelab#instance#i-1',
      'scalelab#instance#i-2',
    ]);
  });

  it("runs the aws adapter's lab guard and instance moments unchanged", async () => {
    const sfn = new SFNClient({
      endpoint: e.server.url,
      region: 'us-east-1',
      credentials: DUMMY_CREDENTIALS,
    });
    try {
      const guard = new AwsLabGuard(e.dynamo, sfn, TableName);
      const moments = new AwsInstanceMoments(e.dynamo, TableName);
      const first = { executionId: 'arn:exec:one', executionName: 'one', since: 1_000 };
      const second = { executionId: 'arn:exec:two', executionName: 'two', since: 2_000 };

      const claimed = await guard.claim(first);
      const refused = await guard.claim(second);
      const released = await guard.release(first.executionId);
      await moments.record('i-1', 'launched', 10_000);
      await moments.record('i-1', 'launched', 99_000);

      expect(claimed).toEqual({ claimed: true });
      // dynalite has no ReturnValuesOnConditionCheckFailure: the guard falls back to a read.
      expect(refused).toEqual({ claimed: false, holder: first });
      expect(released).toBe(true);
      expect(await guard.holder()).toBeUndefined();
      expect(await moments.timelines()).toEqual([{ instanceId: 'i-1', moments: { launched: 10_000 } }]);
    } finally {
      sfn.destroy();
    }
  });

  it('answers an unknown table with ResourceNotFoundException and keeps serving', async () => {
    const error = await rejection(
      e.dynamo.send(new GetItemCommand({ TableName: 'nope', Key: { id: { S: 'x' } } })),
    );
    const after = await e.dynamo.send(new ScanCommand({ TableName }));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(after.Items).toEqual([]);
  });
});

describe('malformed DynamoDB requests', () => {
  let e: CloudEndpoint;
  beforeEach(async () => {
    e = await startCloudEndpoint({ timeScale: 1 });
  });
  afterEach(async () => {
    await e.close();
  });

  async function raw(target: string, body: string) {
    const response = await fetch(e.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        // dynalite checks that a SigV4 header is present (not the signature).
        authorization:
          'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'x-amz-date': '20260101T000000Z',
      },
      body,
    });
    return { status: response.status, json: (await response.json()) as { __type?: string } };
  }

  it.each([
    ['malformed JSON', 'DynamoDB_20120810.Scan', '{"TableName":', /SerializationException$/],
    ['an unknown operation', 'DynamoDB_20120810.DropEverything', '{}', /UnknownOperationException$/],
    ['a missing table name', 'DynamoDB_20120810.Scan', '{}', /ValidationException$/],
    ['a body that is JSON null', 'DynamoDB_20120810.Scan', 'null', /SerializationException$/],
    ['a body that is a JSON array', 'DynamoDB_20120810.Scan', '[]', /SerializationException$/],
  ])('answers %s with a 400 and keeps serving', async (_what, target, body, type) => {
    const response = await raw(target, body);
    const after = await e.dynamo.send(new ScanCommand({ TableName }));

    expect(response.status).toBe(400);
    expect(response.json.__type).toMatch(type);
    expect(after.Items).toEqual([]);
    expect(e.errors).toEqual([]);
  });
});
