import { UsageError } from './usage-error.js';

const USAGE = `Usage: scalelab <command> [options]

Commands:
  app seed|serve [--host H] [--port P]   run one instance server (the seed app or the serve app)
  help                                   show this help`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  app: async () => (await import('./app-command.js')).appCommand,
};

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 failure, 2 bad usage.
 * Errors are printed as one line naming the command; SCALELAB_DEBUG=1 adds the stack.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`scalelab: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`scalelab ${name}: ${message}\n`);
    if (process.env.SCALELAB_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
