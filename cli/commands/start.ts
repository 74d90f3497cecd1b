/** `scalelab start`: a new execution of the lab state machine. */
import { defineCommand, type OptionTable } from '../command.js';
import { FOLLOW_OPTIONS, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab start` accepts. cli/executions/start.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  config: { type: 'string', value: 'F', help: 'lab configuration file (JSON)' },
  set: { type: 'string', value: 'path=value', multiple: true, help: 'one configuration field (repeatable)' },
  input: {
    type: 'string',
    value: 'JSON',
    help: 'the whole execution input, e.g. {"Comment": "…"} (not with --config or --set)',
  },
  name: { type: 'string', value: 'NAME', help: 'execution name' },
  ...FOLLOW_OPTIONS,
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'start',
  section: 'executions',
  summary: 'start an execution; prints its ARN',
  featured: ['config', 'set', 'follow'],
  description:
    'Starts an execution of the lab state machine and prints its ARN. --config and --set override the\n' +
    "lab's deployed configuration (or the one `scalelab serve` was started with) for this run only, and\n" +
    'only its per-run fields (stress, timeouts, section 1 checks, scaleOutTo): the workflow refuses the rest.',
  options: OPTIONS,
  run: async (args) => (await import('../executions/start.js')).startCommand(args),
});
