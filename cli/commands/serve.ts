/** `scalelab serve`: the local engine behind an AWS endpoint, until SIGINT or SIGTERM. */
import { defineCommand, type OptionTable } from '../command.js';

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
  'time-scale': { type: 'string', value: 'N', help: 'simulated seconds per real second' },
  demo: {
    type: 'boolean',
    default: false,
    help: 'register a small demo state machine instead of the lab, to try every command in seconds',
  },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'serve',
  section: 'local',
  summary: 'the local engine as an AWS endpoint (Step Functions, EventBridge)',
  featured: ['port', 'state-dir'],
  description:
    'The local engine as an AWS endpoint (Step Functions, EventBridge) for the CLI, the console and SDKs.',
  options: OPTIONS,
  run: async (args) => (await import('../executions/serve.js')).serveCommand(args),
});
