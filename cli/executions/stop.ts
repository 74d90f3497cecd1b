/**
 * `scalelab stop <execution>`: StopExecution, with an optional error and cause for the record.
 *
 * A stop skips every Catch, so the workflow's own tear-down never runs: the lab's on-execution-end
 * handler tears it down on the status-change event, on AWS and locally alike. The command says
 * what the lab was running, from the execution's history, and that tear-down follows; stopping an
 * execution that already ended is refused (exit 1) rather than reported as done.
 */
import { DescribeExecutionCommand, type HistoryEvent, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { OPTIONS } from '../commands/stop.js';
import { awsCall, ExecutionNotRunning } from './errors.js';
import { printJson, printText } from './render.js';
import { isLabStateMachine } from './target.js';
import { fetchHistory } from './timeline.js';
import { withTarget } from './with-target.js';

/** What the stopped execution had provisioned and where it was, read from its history. */
export interface StoppedLab {
  /** The last state it entered. */
  state?: string;
  /** The section-1 instances its Provision step started. */
  section1: string[];
  /** The group size its Provision step set. */
  groupDesired?: number;
}

function parsed(output: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(output ?? '{}') as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Reads {@link StoppedLab} from `history`: the last state entered and Provision's output. */
export function stoppedLab(history: readonly HistoryEvent[]): StoppedLab {
  const state = history.findLast((e) => e.stateEnteredEventDetails)?.stateEnteredEventDetails?.name;
  const exited = history.findLast((e) => e.stateExitedEventDetails?.name === 'Provision');
  const provision = parsed(exited?.stateExitedEventDetails?.output).provision as
    | { section1?: { instanceId?: string }[]; group?: { desiredCapacity?: number } }
    | undefined;
  return {
    ...(state && { state }),
    section1: (provision?.section1 ?? []).map((i) => String(i.instanceId)),
    ...(typeof provision?.group?.desiredCapacity === 'number' && {
      groupDesired: provision.group.desiredCapacity,
    }),
  };
}

/** The state machine's name in an execution ARN (`…:execution:<state machine>:<name>`). */
function stateMachineNameOf(executionArn: string): string | undefined {
  return executionArn.split(':').at(-2);
}

function stoppedText(executionArn: string, stopDate: string, lab: StoppedLab): string {
  const where = lab.state ? ` in state ${lab.state}` : '';
  const stopped = `stopped ${executionArn} at ${stopDate}${where}`;
  if (!isLabStateMachine(stateMachineNameOf(executionArn))) return stopped;
  const provisioned =
    lab.section1.length > 0 || lab.groupDesired !== undefined
      ? `it had started section-1 instances ${lab.section1.join(', ') || 'none'} and sized the group to ${lab.groupDesired ?? '?'}`
      : 'no Provision step had finished yet';
  return [
    stopped,
    `${provisioned}; if it still holds the lab, on-execution-end now tears it down (the status-change event) and puts a "Lab Torn Down" event listing what it stopped`,
  ].join('\n');
}

export function stopCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    const before = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    if (before.status !== 'RUNNING') {
      const ended = before.stopDate ? ` at ${before.stopDate.toISOString()}` : '';
      throw new ExecutionNotRunning(
        `execution ${before.name ?? executionArn} is not running: it is ${before.status}${ended}; nothing to stop`,
      );
    }
    const { stopDate } = await awsCall(target.where, () =>
      target.client.send(
        new StopExecutionCommand({ executionArn, error: values.error, cause: values.cause }),
      ),
    );
    // The stop took: what follows only describes it, and must not turn it into a failure.
    const lab = await fetchHistory(target.client, target.where, executionArn)
      .then(stoppedLab)
      .catch(() => ({ section1: [] }) as StoppedLab);
    if (values.json) printJson({ executionArn, stopDate: stopDate?.toISOString(), ...lab });
    else printText(stoppedText(executionArn, stopDate?.toISOString() ?? 'an unknown time', lab));
    return 0;
  });
}
