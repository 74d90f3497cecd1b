/**
 * The frame of every execution command: its options parsed (they include the target options),
 * its operand counted, the client connected and closed again whatever happens.
 */
import type { TARGET_OPTIONS } from '../options.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { connect, type Target } from './target.js';

/** Parses `args` with the command's option table, connects, runs `body`, and closes the client. */
export async function withTarget<T extends typeof TARGET_OPTIONS>(
  args: string[],
  options: T,
  positionalCount: number,
  body: (
    target: Target,
    values: ReturnType<typeof parseOptions<T>>['values'],
    positionals: string[],
  ) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseOptions(args, options, positionalCount > 0);
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
