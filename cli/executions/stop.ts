/** `scalelab stop <execution>`: StopExecution, with an optional error and cause for the record. */
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/stop.js';
import { awsCall } from './errors.js';
import { printJson, printText } from './render.js';
import { withTarget } from './with-target.js';

export function stopCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const { stopDate } = await awsCall(target.where, () =>
      target.client.send(
        new StopExecutionCommand({ executionArn, error: values.error, cause: values.cause }),
      ),
    );
    if (values.json) printJson({ executionArn, stopDate: stopDate?.toISOString() });
    else printText(`stopped ${executionArn} at ${stopDate?.toISOString() ?? '?'}`);
    return 0;
  });
}
