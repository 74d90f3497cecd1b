/**
 * The program an EC2 instance runs: only `scalelab app seed|serve`, bundled by esbuild into one
 * file (see stacks/constructs/instance-app.ts) so the instance needs Node.js and nothing else.
 */
import { appCommand } from '../../cli/app-command.js';

process.exitCode = await appCommand(process.argv.slice(2));
