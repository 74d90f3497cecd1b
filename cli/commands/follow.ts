/** `scalelab follow <execution>`: re-attach to a running execution. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, RUNS_DIR_OPTIONS, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab follow` accepts. cli/executions/follow.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  timeout: { type: 'string', value: 'S', help: 'give up after S seconds (the execution runs on)' },
  'poll-ms': { type: 'string', value: 'MS', help: 'how often to look (default 500)' },
  ...RUNS_DIR_OPTIONS,
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'follow',
  section: 'executions',
  operands: '<execution>',
  summary: 're-attach to an execution: its phases from now on, then its verdict',
  description:
    'Re-attaches to an execution (after Ctrl-C during --follow, or one started elsewhere): prints where it\n' +
    'is, each phase as it ends from now on, then its verdict; exit 0 only when it SUCCEEDED, as\n' +
    `\`start --follow\`. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/follow.js')).followCommand(args),
});
