/** `scalelab show <execution>`: one execution, phase by phase. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab show` accepts. cli/executions/show.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = { ...TARGET_OPTIONS } as const satisfies OptionTable;

export const command = defineCommand({
  name: 'show',
  section: 'executions',
  operands: '<execution>',
  summary: 'status, phase timeline, failing step, verdict',
  description: `Status, phase timeline, failing step and verdict of one execution. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/show.js')).showCommand(args),
});
