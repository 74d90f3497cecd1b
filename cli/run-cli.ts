/** One invocation of `scalelab`: help, or the named command from the registry, and its exit code. */
import { asksForHelp, commandHelp, usage } from './help.js';
import { allCommands, findCommand } from './registry.js';
import { UsageError } from './usage-error.js';

function isHelp(name: string): boolean {
  return name === 'help' || name === '--help' || name === '-h';
}

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 failure, 2 bad usage.
 * Errors are printed as one line naming the command; SCALELAB_DEBUG=1 adds the stack.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name)) {
    process.stdout.write(`${usage(await allCommands())}\n`);
    // Without a command the invocation was wrong, even if the help it gets is the same.
    return name === undefined ? 2 : 0;
  }
  const command = await findCommand(name);
  if (!command) {
    process.stderr.write(`scalelab: unknown command '${name}'\n\n${usage(await allCommands())}\n`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`scalelab ${name}: ${message}\n`);
    if (process.env.SCALELAB_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
