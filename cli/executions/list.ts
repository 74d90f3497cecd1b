/** `scalelab list`: ListExecutions of the lab's state machine, newest first. */
import { type ExecutionListItem, type ExecutionStatus, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/list.js';
import { intOption } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { awsCall } from './errors.js';
import { listJson, listText, printJson, printText } from './render.js';
import { withTarget } from './with-target.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

function statusOption(raw: string | undefined): ExecutionStatus | undefined {
  if (raw === undefined) return undefined;
  const status = raw.toUpperCase();
  if (!STATUSES.includes(status))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got '${raw}'`);
  return status as ExecutionStatus;
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
    if (values.json) printJson(listJson(items));
    else printText(listText(items));
    return 0;
  });
}
