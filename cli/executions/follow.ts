/**
 * `--follow`: polls DescribeExecution and GetExecutionHistory and prints each phase as it is
 * entered and left, until the execution ends or the deadline passes; the exit code is then the
 * execution's (0 only for SUCCEEDED).
 */
import { DescribeExecutionCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { intOption } from '../parse-options.js';
import { awsCall, FollowTimedOut } from './errors.js';
import { formatSeconds, printJson, printText, showJson, showText } from './render.js';
import type { Target } from './target.js';
import { fetchHistory, type Timeline, timeline } from './timeline.js';

export interface FollowOptions {
  /** Real milliseconds between two polls. */
  pollMs: number;
  /** Real milliseconds before giving up (the execution keeps running). */
  timeoutMs: number;
  /** Announce only the phases of the latest attempt (after a redrive), not the earlier ones. */
  latestAttemptOnly?: boolean;
  /** Where progress lines go; nothing is printed when absent (`--json`). */
  print?: (line: string) => void;
}

/** Resolves with the final DescribeExecution output and the timeline once the execution ends. */
export async function followExecution(
  target: Target,
  executionArn: string,
  options: FollowOptions,
): Promise<{ execution: DescribeExecutionOutput; timeline: Timeline }> {
  const deadline = Date.now() + options.timeoutMs;
  const entered = new Set<number>();
  const exited = new Set<number>();
  for (;;) {
    const execution = await awsCall(target.where, () =>
      target.client.send(new DescribeExecutionCommand({ executionArn })),
    );
    const current = timeline(await fetchHistory(target.client, target.where, executionArn));
    current.phases.forEach(function announce(phase, index) {
      if (options.latestAttemptOnly && index < current.attemptStart) return;
      if (!entered.has(index)) {
        entered.add(index);
        options.print?.(`  > ${phase.name} (${phase.type})`);
      }
      if (phase.exitedAt && !exited.has(index)) {
        exited.add(index);
        const caught = phase.error ? ` after ${phase.error} was caught` : '';
        options.print?.(
          `  ${phase.error ? '!' : '+'} ${phase.name} done in ${formatSeconds(phase.seconds ?? 0)}${caught}`,
        );
      }
    });
    if (execution.status !== 'RUNNING') {
      const failure = current.failure;
      if (failure && execution.status !== 'SUCCEEDED') {
        options.print?.(
          `  x ${failure.state ?? '?'} failed: ${failure.error ?? '?'}: ${failure.cause ?? ''}`,
        );
      }
      options.print?.(`${execution.status ?? 'UNKNOWN'}: ${execution.executionArn ?? executionArn}`);
      return { execution, timeline: current };
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

/** Follows an execution to its end when `--follow` is set; returns the exit code. */
export async function maybeFollow(
  target: Target,
  executionArn: string,
  values: { follow?: boolean; timeout?: string; 'poll-ms'?: string; json?: boolean },
  latestAttemptOnly = false,
): Promise<number | undefined> {
  if (!values.follow) return undefined;
  const { execution, timeline: phases } = await followExecution(target, executionArn, {
    pollMs: intOption('poll-ms', values['poll-ms'], 500, 10, 60_000),
    timeoutMs: intOption('timeout', values.timeout, 3600, 1, 7 * 24 * 3600) * 1000,
    print: values.json ? undefined : printText,
    latestAttemptOnly,
  });
  if (values.json) printJson(showJson(execution, phases));
  else if (execution.status !== 'SUCCEEDED') printText(`\n${showText(execution, phases)}`);
  return exitCodeFor(execution.status);
}
