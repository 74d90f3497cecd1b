import { UsageError } from './usage-error.js';

const USAGE = `Usage: scalelab <command> [options]

Commands:
  help                                   show this help`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {};

/** Runs one CLI invocation and returns its exit code: 0 success, 1 failure, 2 bad usage. */
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
    if (error instanceof UsageError) {
      process.stderr.write(`scalelab ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
