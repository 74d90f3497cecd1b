/** Records to Step Functions API output shapes, and the nextToken pagination those APIs use. */
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { InvalidToken } from './errors.js';
import { redriveStatus } from './events.js';
import type { ExecutionRecord, StateMachineRecord } from './store.js';

function date(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}

export function describeExecutionOutput(record: ExecutionRecord): DescribeExecutionOutput {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: date(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: record.redriveCount,
    redriveDate: date(record.redriveDate),
    ...redriveStatus(record),
  };
}

export function executionListItem(record: ExecutionRecord): ExecutionListItem {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: date(record.stopDate),
    redriveCount: record.redriveCount,
    redriveDate: date(record.redriveDate),
  };
}

export function describeStateMachineOutput(record: StateMachineRecord): DescribeStateMachineOutput {
  return {
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
    type: 'STANDARD',
    creationDate: new Date(record.creationDate),
  };
}

/**
 * One page of `items`: AWS's default page size is 100 and its maximum 1000; the token is opaque
 * to callers and only valid for the same listing.
 */
export function paginate<T>(
  items: T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!match?.[1]) throw new InvalidToken(`Invalid Token: '${nextToken}'`);
    offset = Number(match[1]);
  }
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const page = items.slice(offset, offset + size);
  const next =
    offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
  return next === undefined ? { page } : { page, nextToken: next };
}
