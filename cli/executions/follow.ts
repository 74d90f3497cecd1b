/**
 * `--follow` and `scalelab follow`: polls DescribeExecution and GetExecutionHistory and prints what
 * happens (announcers.ts) until the execution ends or the deadline passes, then its verdict; the
 * exit code is then the execution's (0 only for SUCCEEDED).
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { runFolderSummary } from '../../local-lab/run/verdict-view.js';
import { OPTIONS } from '../commands/follow.js';
import { intOption } from '../parse-options.js';
import { type Announcer, LabPhaseAnnouncer, StateAnnouncer } from './announcers.js';
import { awsCall, FollowTimedOut } from './errors.js';
import { printText } from './render.js';
import { isLabExecution, printExecution } from './show.js';
import type { Target } from './target.js';
import { fetchHistory, timeline } from './timeline.js';
import { withTarget } from './with-target.js';

export interface FollowOptions {
  /** Real milliseconds between two polls. */
  pollMs: number;
  /** Real milliseconds before giving up (the execution keeps running). */
  timeoutMs: number;
  /** Announce only the phases of the latest attempt (after a redrive), not the earlier ones. */
  latestAttemptOnly?: boolean;
  /** Re-attaching (`scalelab follow`): only what happens from now on. */
  fromNow?: boolean;
  /** Where progress lines go; nothing is printed when absent (`--json`). */
  print?: (line: string) => void;
}

/** Resolves with the final DescribeExecution output and the history once the execution ends. */
export async function followExecution(
  target: Target,
  executionArn: string,
  options: FollowOptions,
): Promise<{ execution: DescribeExecutionOutput; events: HistoryEvent[] }> {
  const deadline = Date.now() + options.timeoutMs;
  let announcer: Announcer | undefined;
  for (;;) {
    const execution = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    const events = await fetchHistory(target.client, target.where, executionArn);
    const ended = execution.status === 'RUNNING' ? undefined : { status: execution.status ?? 'UNKNOWN' };
    if (options.print) {
      const announcing = { ...options, print: options.print };
      announcer ??= isLabExecution(execution)
        ? new LabPhaseAnnouncer(announcing)
        : new StateAnnouncer(announcing);
      announcer.announce(events, ended);
    }
    if (ended) {
      const failure = timeline(events).failure;
      if (failure && ended.status !== 'SUCCEEDED')
        options.print?.(
          `  x ${failure.state ?? '?'} failed: ${failure.error ?? '?'}: ${failure.cause ?? ''}`,
        );
      options.print?.(`${ended.status}: ${execution.executionArn ?? executionArn}`);
      return { execution, events };
    }
    if (Date.now() > deadline) {
      throw new FollowTimedOut(
        `stopped following after ${Math.round(options.timeoutMs / 1000)} s; the execution is still RUNNING`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

/** Exit code for an execution's final status: 0 only for SUCCEEDED. */
function exitCodeFor(status: string | undefined): number {
  return status === 'SUCCEEDED' ? 0 : 1;
}

/** How long the verdict waits for `serve` to write the run folder of an execution that just ended. */
const RUN_FOLDER_GRACE_MS = 5_000;

/** Locally, the run folder is written just after the end: its summary has the run's measurements. */
async function awaitRunFolder(
  execution: DescribeExecutionOutput,
  values: FollowValues,
  pollMs: number,
): Promise<void> {
  if (values.aws || !isLabExecution(execution)) return;
  const runsDir = values['runs-dir'] ?? '.scalelab/runs';
  const until = Date.now() + RUN_FOLDER_GRACE_MS;
  while (!runFolderSummary(runsDir, execution) && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, pollMs));
}

export interface FollowValues {
  timeout?: string;
  'poll-ms'?: string;
  json?: boolean;
  'runs-dir'?: string;
  aws?: boolean;
}

/** Follows an execution to its end, prints its verdict (or the document), returns the exit code. */
export async function follow(
  target: Target,
  executionArn: string,
  values: FollowValues,
  how: { latestAttemptOnly?: boolean; fromNow?: boolean } = {},
): Promise<number> {
  const pollMs = intOption('poll-ms', values['poll-ms'], 500, 10, 60_000);
  const { execution, events } = await followExecution(target, executionArn, {
    pollMs,
    timeoutMs: intOption('timeout', values.timeout, 3600, 1, 7 * 24 * 3600) * 1000,
    print: values.json ? undefined : printText,
    ...how,
  });
  await awaitRunFolder(execution, values, pollMs);
  const lab = isLabExecution(execution);
  // A demo execution that succeeded said all there is in its lines; the lab's verdict always shows.
  if (values.json || lab || execution.status !== 'SUCCEEDED') {
    if (!values.json) printText('');
    printExecution(execution, events, values);
  }
  return exitCodeFor(execution.status);
}

/** Follows an execution to its end when `--follow` is set; returns the exit code. */
export async function maybeFollow(
  target: Target,
  executionArn: string,
  values: FollowValues & { follow?: boolean },
  latestAttemptOnly = false,
): Promise<number | undefined> {
  if (!values.follow) return undefined;
  return follow(target, executionArn, values, { latestAttemptOnly });
}

/** `scalelab follow <execution>`: re-attaches to an execution, from now on, until it ends. */
export function followCommand(args: string[]): Promise<number> {
  return withTarget(args, OPTIONS, 1, async (target, values, [reference]) => {
    const executionArn = await target.executionArn(reference ?? '');
    if (!values.json) printText(`following ${executionArn}`);
    return follow(target, executionArn, values, { fromNow: true });
  });
}
