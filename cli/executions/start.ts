/** `scalelab start`: StartExecution with the lab configuration; prints the execution ARN. */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/start.js';
import { awsCall } from './errors.js';
import { maybeFollow } from './follow.js';
import { executionInput } from './input.js';
import { printJson, printText } from './render.js';
import { withTarget } from './with-target.js';

export function startCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 0, async (target, values) => {
    const input = executionInput({ config: values.config, set: values.set, input: values.input });
    const stateMachineArn = await target.stateMachineArn();
    const started = await awsCall(target.where, () =>
      target.client.send(new StartExecutionCommand({ stateMachineArn, name: values.name, input })),
    );
    const executionArn = started.executionArn ?? '';
    if (!values.follow) {
      if (values.json) printJson({ executionArn, startDate: started.startDate?.toISOString() });
      else printText(executionArn);
      return 0;
    }
    if (!values.json) printText(executionArn);
    return (await maybeFollow(target, executionArn, values)) ?? 0;
  });
}
