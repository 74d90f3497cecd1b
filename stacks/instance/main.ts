/**
 * The program an EC2 instance runs: only `scalelab app seed|serve …`, bundled by esbuild into one
 * file (see stacks/constructs/instance-app.ts) so the instance needs Node.js and nothing else.
 * Same arguments as the full CLI, so the systemd unit reads like the README.
 */
import { appCommand } from '../../cli/app-command.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'app') {
    process.stderr.write(`usage: main.js app seed|serve [options] (got '${argv.join(' ')}')\n`);
    return 2;
  }
  return appCommand(rest);
}

process.exitCode = await main(process.argv.slice(2));
