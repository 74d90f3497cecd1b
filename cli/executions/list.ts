/** `scalelab list`: ListExecutions of the lab's state machine, newest first (by real start locally). */
import { type ExecutionListItem, type ExecutionStatus, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/list.js';
import { intOption } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { awsCall } from './errors.js';
import { listJson, listText, printJson, printText, type RealDates } from './render.js';
import { callScalelab } from './scalelab-call.js';
import { withTarget } from './with-target.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

function statusOption(raw: string | undefined): ExecutionStatus | undefined {
  if (raw === undefined) return undefined;
  const status = raw.toUpperCase();
  if (!STATUSES.includes(status))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got '${raw}'`);
  return status as ExecutionStatus;
}

/**
 * The local executions' wall-clock dates, which no AWS member carries: locally every AWS date is
 * simulated, and a ×60 session's would read hours ahead of the real time it ran.
 */
async function realDates(endpoint: string, items: ExecutionListItem[]): Promise<Map<string, RealDates>> {
  const executionArns = items.map(({ executionArn }) => executionArn ?? '');
  if (executionArns.length === 0) return new Map();
  const { executions } = await callScalelab<{
    executions: { executionArn: string; realStartDate?: number; realStopDate?: number }[];
  }>(endpoint, 'ListExecutionRealDates', { executionArns });
  // Dates come as epoch seconds, as the AWS JSON protocol writes them.
  const date = (seconds: number | undefined) =>
    seconds === undefined ? undefined : new Date(seconds * 1000);
  return new Map(
    executions.map(({ executionArn, realStartDate, realStopDate }) => [
      executionArn,
      { realStartDate: date(realStartDate), realStopDate: date(realStopDate) },
    ]),
  );
}

export function listCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 0, async (target, values) => {
    const max = intOption('max', values.max, 50, 1, 10_000);
    const stateMachineArn = await target.stateMachineArn();
    const statusFilter = statusOption(values.status);
    const items: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await awsCall(target.where, () =>
        target.client.send(
          new ListExecutionsCommand({
            stateMachineArn,
            statusFilter,
            nextToken,
            maxResults: Math.min(1000, max - items.length),
          }),
        ),
      );
      items.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken && items.length < max);
    const real = values.aws ? undefined : await realDates(target.where, items);
    if (values.json) printJson(listJson(items, real));
    else printText(listText(items, real));
    return 0;
  });
}
