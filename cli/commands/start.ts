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
  input: { type: 'string', value: 'JSON', help: 'the whole execution input (not with --config or --set)' },
  name: { type: 'string', value: 'NAME', help: 'execution name' },
  ...FOLLOW_OPTIONS,
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'start',
  section: 'executions',
  summary: 'start an execution; prints its ARN',
  featured: ['config', 'set', 'follow'],
  description: 'Starts an execution of the lab state machine and prints its ARN.',
  options: OPTIONS,
  run: async (args) => (await import('../executions/start.js')).startCommand(args),
});
