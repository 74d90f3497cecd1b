import { asksForHelp, COMMAND_HELP } from './help.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: scalelab <command> [options]

Commands:
  app seed|serve [--host H] [--port P]   run one instance server (the seed app or the serve app)
  run [--time-scale N] [--set k=v] [--json]  run the whole lab locally and print its verdict (npm start)
  up [--time-scale N] [--json]            bring both sections of the lab up locally until Ctrl-C
  serve [--port P] [--state-dir D]       the local engine as an AWS endpoint (Step Functions, EventBridge)
  start [--config F] [--set k=v] [--follow]  start an execution; prints its ARN
  list [--status S]                      list executions, newest first
  show <execution>                       status, phase timeline, failing step, verdict
  replay <execution>                     a new execution with the same input
  redrive <execution>                    rerun a failed execution from the failed step
  stop <execution>                       stop a running execution
  help                                   show this help

'scalelab <command> --help' shows a command's options.`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  app: async () => (await import('./app-command.js')).appCommand,
  up: async () => (await import('./up-command.js')).upCommand,
  run: async () => (await import('./run-lab-command.js')).runLabCommand,
  serve: async () => (await import('./executions/commands.js')).serveCommand,
  start: async () => (await import('./executions/commands.js')).startCommand,
  list: async () => (await import('./executions/commands.js')).listCommand,
  show: async () => (await import('./executions/commands.js')).showCommand,
  replay: async () => (await import('./executions/commands.js')).replayCommand,
  redrive: async () => (await import('./executions/commands.js')).redriveCommand,
  stop: async () => (await import('./executions/commands.js')).stopCommand,
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
  if (asksForHelp(rest)) {
    process.stdout.write(`${COMMAND_HELP[name] ?? USAGE}\n`);
    return 0;
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
