/**
 * `scalelab show <execution>`: status and phase timeline; for the lab, the verdict table of
 * `scalelab run` from the execution's run folder (else from its output and history).
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { evidenceOf } from '../../local-lab/run/verdict-view.js';
import { OPTIONS } from '../commands/show.js';
import { wantsColor } from '../progress/palette.js';
import { awsCall } from './errors.js';
import { labShowText, printJson, printText, showJson, showText } from './render.js';
import { isLabStateMachine } from './target.js';
import { fetchHistory, timeline } from './timeline.js';
import { withTarget } from './with-target.js';

const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** The lab's state machine, by the name in the execution's state machine ARN. */
export function isLabExecution(execution: DescribeExecutionOutput): boolean {
  const arn = execution.stateMachineArn ?? '';
  return isLabStateMachine(arn.slice(arn.lastIndexOf(':') + 1));
}

/** What `show` and `follow` print at the end: text for people, or one JSON document. */
export function printExecution(
  execution: DescribeExecutionOutput,
  events: readonly HistoryEvent[],
  values: { json?: boolean; 'runs-dir'?: string; aws?: boolean },
): void {
  const phases = timeline([...events]);
  // Locally every AWS date is the simulated clock's: said so, as the phase lines do.
  const simulated = values.aws !== true;
  if (!isLabExecution(execution)) {
    if (values.json) printJson(showJson(execution, phases));
    else printText(showText(execution, phases, { simulated }));
    return;
  }
  const evidence = evidenceOf(execution, events, {
    runsDir: values['runs-dir'] ?? '.scalelab/runs',
    realDates: values.aws === true,
  });
  if (values.json)
    printJson({
      ...(showJson(execution, phases) as object),
      runFolder: evidence.runFolder,
      summary: evidence.view,
    });
  else printText(labShowText(execution, phases, evidence, { color: wantsColor(process.stdout), simulated }));
}

export function showCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const execution = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    printExecution(execution, await fetchHistory(target.client, target.where, executionArn), values);
    // A running execution is not a failure; one that ended without succeeding is.
    return FAILED.has(execution.status ?? '') ? 1 : 0;
  });
}
