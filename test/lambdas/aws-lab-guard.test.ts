import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsCloud } from '../../lambdas/cloud/aws-cloud.js';
import { AWS_ENV, readAwsCloudEnv } from '../../lambdas/cloud/aws-env.js';
import { AwsLabGuard, LAB_GUARD_KEY } from '../../lambdas/cloud/aws-lab-guard.js';
import type { LabHolder } from '../../lambdas/cloud/cloud.js';

const TABLE = 'scalelab-observers';
const FIRST: LabHolder = { executionId: 'arn:exec:first', executionName: 'first', since: 1_700_000_000_000 };
const SECOND: LabHolder = {
  executionId: 'arn:exec:second',
  executionName: 'second',
  since: 1_700_000_060_000,
};

function item(holder: LabHolder) {
  return {
    observerId: { S: LAB_GUARD_KEY },
    executionId: { S: holder.executionId },
    executionName: { S: holder.executionName },
    since: { N: String(holder.since) },
    expiresAt: { N: String(holder.since / 1000 + 86_400) },
  };
}

function conditionFailed(holder?: LabHolder): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(holder && { Item: item(holder) }),
  });
}

describe("the lab's claim on AWS (one DynamoDB item, conditional writes)", () => {
  const dynamo = mockClient(DynamoDBClient);
  const sfn = mockClient(SFNClient);
  let guard: AwsLabGuard;

  beforeEach(() => {
    dynamo.reset();
    sfn.reset();
    guard = new AwsLabGuard(
      new DynamoDBClient({ region: 'us-east-1' }),
      new SFNClient({ region: 'us-east-1' }),
      TABLE,
    );
  });
  afterEach(() => {
    dynamo.reset();
    sfn.reset();
  });

  it('claims with a write conditional on the lab being free, and leaves its own claim as written', async () => {
    dynamo.on(PutItemCommand).resolvesOnce({}).rejects(conditionFailed(FIRST));

    expect(await guard.claim(FIRST)).toEqual({ claimed: true });
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: item(FIRST),
      ConditionExpression: 'attribute_not_exists(observerId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    // A retried step of the same execution: already its own, `since` untouched.
    expect(await guard.claim({ ...FIRST, since: FIRST.since + 60_000 })).toEqual({ claimed: true });
  });

  it('answers who holds the lab when the condition fails, from the item DynamoDB returns', async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed(FIRST));

    expect(await guard.claim(SECOND)).toEqual({ claimed: false, holder: FIRST });
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('reads the holder when the failed condition returns no item, and claims again if it was released', async () => {
    dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
    dynamo.on(GetItemCommand).resolves({});

    expect(await guard.claim(SECOND)).toEqual({ claimed: true });
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { observerId: { S: LAB_GUARD_KEY } },
      ConsistentRead: true,
    });
  });

  it('takes over and releases only while the named execution holds the lab', async () => {
    dynamo.on(PutItemCommand).resolvesOnce({}).rejects(conditionFailed(SECOND));
    dynamo.on(DeleteItemCommand).resolvesOnce({}).rejects(conditionFailed());

    expect(await guard.takeOver(FIRST, SECOND)).toBe(true);
    expect(await guard.takeOver(FIRST, SECOND)).toBe(false);
    expect(await guard.release(SECOND.executionId)).toBe(true);
    expect(await guard.release(SECOND.executionId)).toBe(false);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: 'executionId = :stale',
      ExpressionAttributeValues: { ':stale': { S: FIRST.executionId } },
    });
    expect(dynamo.commandCalls(DeleteItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { observerId: { S: LAB_GUARD_KEY } },
      ConditionExpression: 'executionId = :me',
      ExpressionAttributeValues: { ':me': { S: SECOND.executionId } },
    });
  });

  it("reads an execution's status, a missing execution as 'missing', and throttling as transient", async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'ABORTED', stopDate: new Date(1_700_000_100_000) })
      .rejectsOnce(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }))
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    expect(await guard.executionStatus(FIRST.executionId)).toEqual({
      status: 'ABORTED',
      stopDate: 1_700_000_100_000,
    });
    expect(await guard.executionStatus(FIRST.executionId)).toEqual({ status: 'missing' });
    await expect(guard.executionStatus(FIRST.executionId)).rejects.toMatchObject({
      name: 'TransientCloudError',
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: FIRST.executionId,
    });
  });

  it('is left out of the armed observers the table lists', async () => {
    const env = readAwsCloudEnv({
      [AWS_ENV.autoScalingGroupName]: 'g',
      [AWS_ENV.labStackName]: 's',
      [AWS_ENV.webTargetGroupArn]: 'w',
      [AWS_ENV.scalingTargetGroupArn]: 's',
      [AWS_ENV.webLoadBalancerUrl]: 'http://w',
      [AWS_ENV.scalingLoadBalancerUrl]: 'http://s',
      [AWS_ENV.observerTableName]: TABLE,
    });
    const cloud = new AwsCloud(env, {
      dynamo: new DynamoDBClient({ region: 'us-east-1' }),
      sfn: new SFNClient({ region: 'us-east-1' }),
    } as ConstructorParameters<typeof AwsCloud>[1]);
    dynamo.on(ScanCommand).resolves({ Items: [item(FIRST)] });

    expect(await cloud.getArmedObservers()).toEqual([]);
  });
});
