/**
 * The lab's claim on AWS (see lambdas/lab-guard/claim.ts): one item of the operator's DynamoDB
 * table, under a key no observer can have (observer ids are `<execution ARN>#<expectation>`).
 * Every write is conditional, so two executions racing for the lab cannot both win.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { call, errorName, rethrow } from './aws-call.js';
import type { ExecutionInfo, ExecutionStatus, LabClaim, LabHolder } from './cloud.js';

/** The claim's partition key in the observer table. */
export const LAB_GUARD_KEY = 'scalelab#lab-guard';
/**
 * A claim expires from the table a day after it was made, like an observer: no lab runs that
 * long, and a claim nobody released (every event and retry lost) must not lock the lab for ever.
 */
export const LAB_GUARD_TTL_SECONDS = 24 * 3600;

const CONDITION_FAILED = 'ConditionalCheckFailedException';

function guardItem(holder: LabHolder): Record<string, AttributeValue> {
  return {
    observerId: { S: LAB_GUARD_KEY },
    executionId: { S: holder.executionId },
    executionName: { S: holder.executionName },
    since: { N: String(holder.since) },
    expiresAt: { N: String(Math.floor(holder.since / 1000) + LAB_GUARD_TTL_SECONDS) },
  };
}

function holderFromItem(item: Record<string, AttributeValue>): LabHolder {
  return {
    executionId: item.executionId?.S ?? '',
    executionName: item.executionName?.S ?? '',
    since: Number(item.since?.N ?? 0),
  };
}

function conditionFailed(error: unknown): error is Error & { Item?: Record<string, AttributeValue> } {
  return errorName(error) === CONDITION_FAILED;
}

/** Whether a conditional write took place; a failed condition is an answer, not an error. */
async function conditional(operation: string, send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    rethrow(operation, error);
  }
}

/** The guard's calls with the adapter's DynamoDB and Step Functions clients. */
export class AwsLabGuard {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly sfn: SFNClient,
    private readonly tableName: string,
  ) {}

  /** Claims the lab for `holder` while free; says who holds it otherwise (itself: claimed). */
  async claim(holder: LabHolder): Promise<LabClaim> {
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: guardItem(holder),
          // Only while free: a claim already this execution's is left as written (its `since`).
          ConditionExpression: 'attribute_not_exists(observerId)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!conditionFailed(error)) rethrow('PutItem', error);
      const current = error.Item ? holderFromItem(error.Item) : await this.holder();
      // Released between the write and the read: try again from the top.
      if (!current) return this.claim(holder);
      // Already this execution's: a retried step, every step of a run, its own tear-down.
      if (current.executionId === holder.executionId) return { claimed: true };
      return { claimed: false, holder: current };
    }
  }

  /** Replaces `stale` by `holder`, only while `stale` holds the lab. */
  async takeOver(stale: LabHolder, holder: LabHolder): Promise<boolean> {
    return conditional('PutItem', () =>
      this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: guardItem(holder),
          ConditionExpression: 'executionId = :stale',
          ExpressionAttributeValues: { ':stale': { S: stale.executionId } },
        }),
      ),
    );
  }

  /** Who holds the lab (a consistent read), if anyone. */
  async holder(): Promise<LabHolder | undefined> {
    const out = await call('GetItem', () =>
      this.dynamo.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { observerId: { S: LAB_GUARD_KEY } },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? holderFromItem(out.Item) : undefined;
  }

  /** Deletes the claim, only while `executionId` holds it. */
  async release(executionId: string): Promise<boolean> {
    return conditional('DeleteItem', () =>
      this.dynamo.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { observerId: { S: LAB_GUARD_KEY } },
          ConditionExpression: 'executionId = :me',
          ExpressionAttributeValues: { ':me': { S: executionId } },
        }),
      ),
    );
  }

  /** DescribeExecution's status and stop date; `missing` for an execution that does not exist. */
  async executionStatus(executionArn: string): Promise<ExecutionInfo> {
    try {
      const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const status = (out.status ?? 'missing') as ExecutionStatus;
      return out.stopDate ? { status, stopDate: out.stopDate.getTime() } : { status };
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return { status: 'missing' };
      rethrow('DescribeExecution', error);
    }
  }
}
