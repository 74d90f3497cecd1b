/**
 * The frame of every execution command: its options parsed with the target options added, its
 * operand counted, the client connected and closed again whatever happens.
 */
import type { ParseArgsConfig } from 'node:util';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { connect, TARGET_OPTIONS, type Target } from './target.js';

type Options = NonNullable<ParseArgsConfig['options']>;

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
