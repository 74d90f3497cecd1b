/** `scalelab replay <execution>`: a new execution of the same state machine with the same input. */
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { replayName } from '../../local/stepfunctions/index.js';
import { OPTIONS } from '../commands/replay.js';
import { awsCall } from './errors.js';
import { maybeFollow } from './follow.js';
import { printJson, printText } from './render.js';
import { withTarget } from './with-target.js';

export function replayCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const original = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    const started = await awsCall(target.where, () =>
      target.client.send(
        new StartExecutionCommand({
          stateMachineArn: original.stateMachineArn,
          name: values.name ?? replayName(original.name ?? 'execution'),
          input: original.input,
        }),
      ),
    );
    const replayArn = started.executionArn ?? '';
    if (values.json && !values.follow) {
      printJson({
        executionArn: replayArn,
        replayOf: executionArn,
        startDate: started.startDate?.toISOString(),
      });
      return 0;
    }
    if (!values.json) printText(replayArn);
    return (await maybeFollow(target, replayArn, values)) ?? 0;
  });
}
