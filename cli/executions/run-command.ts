/** What the operator commands share: option parsing, the target, `--follow`, exit codes. */
import type { ParseArgsConfig } from 'node:util';
import { intOption, parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { followExecution } from './follow.js';
import { printJson, printText, showJson, showText } from './render.js';
import { connect, TARGET_OPTIONS, type Target } from './target.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--follow` and its limits, for the commands that start an execution. */
export const FOLLOW_OPTIONS = {
  follow: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  'poll-ms': { type: 'string' },
} as const;

/** Exit code for an execution's final status: 0 only for SUCCEEDED. */
export function exitCodeFor(status: string | undefined): number {
  return status === 'SUCCEEDED' ? 0 : 1;
}

/** Parses `args` with the target options added, connects, runs `body`, and closes the client. */
export async function withTarget<T extends Options>(
  args: string[],
  options: T,
  positionalCount: number,
  body: (
    target: Target,
    values: ReturnType<typeof parseOptions<T & typeof TARGET_OPTIONS>>['values'],
    positionals: string[],
  ) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...TARGET_OPTIONS, ...options }, positionalCount > 0);
  if (positionals.length !== positionalCount) {
    throw new UsageError(
      positionalCount === 1
        ? `expected one execution (ARN or name), got ${positionals.length === 0 ? 'none' : `'${positionals.join(' ')}'`}`
        : `unexpected argument '${positionals.join(' ')}'`,
    );
  }
  const target = connect(values);
  try {
    return await body(target, values, positionals);
  } finally {
    target.close();
  }
}

/** Follows an execution to its end when `--follow` is set; returns the exit code. */
export async function maybeFollow(
  target: Target,
  executionArn: string,
  values: { follow?: boolean; timeout?: string; 'poll-ms'?: string; json?: boolean },
  latestAttemptOnly = false,
): Promise<number | undefined> {
  if (!values.follow) return undefined;
  const { execution, timeline } = await followExecution(target, executionArn, {
    pollMs: intOption('poll-ms', values['poll-ms'], 500, 10, 60_000),
    timeoutMs: intOption('timeout', values.timeout, 3600, 1, 7 * 24 * 3600) * 1000,
    print: values.json ? undefined : printText,
    latestAttemptOnly,
  });
  if (values.json) printJson(showJson(execution, timeline));
  else if (execution.status !== 'SUCCEEDED') printText(`\n${showText(execution, timeline)}`);
  return exitCodeFor(execution.status);
}
