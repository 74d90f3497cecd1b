/**
 * Instance moments on AWS (the Cloud port's recordInstanceMoment / getInstanceTimelines): one item
 * per instance in the operator's DynamoDB table, under a key no observer can have (observer ids
 * are `<execution ARN>#<expectation>`), one attribute per moment. Each moment is written with
 * `if_not_exists`, so the first record stays whatever duplicate or late event comes after it.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { call } from './aws-call.js';
import { INSTANCE_MOMENTS, type InstanceMoment, type InstanceTimeline } from './cloud.js';

/** The partition keys of instance items start with this. */
export const INSTANCE_MOMENTS_KEY_PREFIX = 'scalelab#instance#';
/** An instance's item expires from the table a day after its first moment, like an observer. */
export const INSTANCE_MOMENTS_TTL_SECONDS = 24 * 3600;

/** Whether a table item is an instance's moments (not an observer, not the lab's claim). */
export function isInstanceMomentsItem(item: Record<string, AttributeValue>): boolean {
  return item.observerId?.S?.startsWith(INSTANCE_MOMENTS_KEY_PREFIX) ?? false;
}

function timelineOf(item: Record<string, AttributeValue>): InstanceTimeline {
  const moments: InstanceTimeline['moments'] = {};
  for (const moment of INSTANCE_MOMENTS) {
    const at = item[moment]?.N;
    if (at !== undefined) moments[moment] = Number(at);
  }
  return { instanceId: item.instanceId?.S ?? '', moments };
}

/** The moment calls with the adapter's DynamoDB client. */
export class AwsInstanceMoments {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(instanceId: string, moment: InstanceMoment, at: number): Promise<void> {
    if (!instanceId) throw new Error(`recordInstanceMoment needs an instance id (moment ${moment})`);
    await call('UpdateItem', () =>
      this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { observerId: { S: `${INSTANCE_MOMENTS_KEY_PREFIX}${instanceId}` } },
          UpdateExpression:
            'SET #moment = if_not_exists(#moment, :at), instanceId = :id, expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeNames: { '#moment': moment },
          ExpressionAttributeValues: {
            ':at': { N: String(at) },
            ':id': { S: instanceId },
            ':expires': { N: String(Math.floor(at / 1000) + INSTANCE_MOMENTS_TTL_SECONDS) },
          },
        }),
      ),
    );
  }

  async timelines(): Promise<InstanceTimeline[]> {
    const timelines: InstanceTimeline[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await call('Scan', () =>
        this.dynamo.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            FilterExpression: 'begins_with(observerId, :prefix)',
            ExpressionAttributeValues: { ':prefix': { S: INSTANCE_MOMENTS_KEY_PREFIX } },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      timelines.push(...(out.Items ?? []).filter(isInstanceMomentsItem).map(timelineOf));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return timelines;
  }
}
