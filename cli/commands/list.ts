/** `scalelab list`: the executions of the lab state machine. */
import { defineCommand, type OptionTable } from '../command.js';
import { TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab list` accepts. cli/executions/list.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  status: {
    type: 'string',
    value: 'S',
    help: 'only RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE',
  },
  max: { type: 'string', value: 'N', help: 'at most N executions' },
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'list',
  section: 'executions',
  summary: 'list executions, newest first',
  featured: ['status'],
  description: 'Lists executions, newest first.',
  options: OPTIONS,
  run: async (args) => (await import('../executions/list.js')).listCommand(args),
});
