/** `scalelab serve`: the local engine behind an AWS endpoint, until SIGINT or SIGTERM. */
import { defineCommand, type OptionTable } from '../command.js';
import { CONFIG_OPTIONS } from '../options.js';

/**
 * The options `scalelab serve` accepts. cli/executions/serve.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  host: { type: 'string', value: 'H', default: '127.0.0.1', help: 'bind address (default 127.0.0.1)' },
  port: { type: 'string', value: 'P', help: 'port (default 8083)' },
  // The directory `scalelab run` keeps its executions in: serving it lists them too.
  'state-dir': {
    type: 'string',
    value: 'D',
    default: '.scalelab/state',
    help: 'where executions are kept (default .scalelab/state)',
  },
  // Where `scalelab run` writes its run folders: each lab execution's folder goes there at its end.
  'runs-dir': {
    type: 'string',
    value: 'D',
    default: '.scalelab/runs',
    help: 'where each lab execution writes its run folder when it ends (default .scalelab/runs)',
  },
  // The lab is built from these, as a deploy builds it: executions may change only per-run fields.
  ...CONFIG_OPTIONS,
  demo: {
    type: 'boolean',
    default: false,
    help: 'no lab: the demo state machine scalelab-demo instead (echoing steps, about 10 s an execution at time scale 20), to try the execution commands; no run folders, nothing to inspect or reset',
  },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'serve',
  section: 'local',
  summary: 'the lab and the local cloud behind an AWS endpoint (Step Functions, EC2, Auto Scaling, …)',
  featured: ['port', 'state-dir', 'set'],
  description:
    'The lab in the local cloud, with the local Step Functions, behind one AWS endpoint (Step Functions,\n' +
    'EventBridge, EC2, Auto Scaling, ELBv2, CloudWatch, DynamoDB) for the CLI, the AWS CLI and SDKs.\n' +
    'The web console is on the same port at /console/ (both URLs are printed when it is ready).\n' +
    'The lab is built from --config / --set / --time-scale as a deploy builds it on AWS: an execution\n' +
    'may then change only the per-run fields (stress, timeouts, section 1 checks, scaleOutTo).',
  options: OPTIONS,
  run: async (args) => (await import('../executions/serve.js')).serveCommand(args),
});
