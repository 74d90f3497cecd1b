/** `scalelab redrive <execution>`: RedriveExecution, from the step that did not succeed. */
import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/redrive.js';
import { awsCall } from './errors.js';
import { maybeFollow } from './follow.js';
import { printJson, printText } from './render.js';
import { withTarget } from './with-target.js';

export function redriveCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const { redriveDate } = await awsCall(target.where, () =>
      target.client.send(new RedriveExecutionCommand({ executionArn })),
    );
    if (values.json && !values.follow) {
      printJson({ executionArn, redriveDate: redriveDate?.toISOString() });
      return 0;
    }
    // Locally the date is the simulated clock's, as every AWS date there: said so.
    const simulated = values.aws ? '' : ' (simulated)';
    if (!values.json)
      printText(`redriven ${executionArn} at ${redriveDate?.toISOString() ?? '?'}${simulated}`);
    return (await maybeFollow(target, executionArn, values, true)) ?? 0;
  });
}
