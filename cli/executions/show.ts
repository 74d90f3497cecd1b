/** `scalelab show <execution>`: status, phase timeline with durations, failed step, verdict. */
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/show.js';
import { awsCall } from './errors.js';
import { printJson, printText, showJson, showText } from './render.js';
import { fetchHistory, timeline } from './timeline.js';
import { withTarget } from './with-target.js';

const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export function showCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const execution = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    const phases = timeline(await fetchHistory(target.client, target.where, executionArn));
    if (values.json) printJson(showJson(execution, phases));
    else printText(showText(execution, phases));
    // A running execution is not a failure; one that ended without succeeding is.
    return FAILED.has(execution.status ?? '') ? 1 : 0;
  });
}
