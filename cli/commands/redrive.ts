/** `scalelab redrive <execution>`: a failed execution, on again from the step that failed. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, FOLLOW_OPTIONS, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab redrive` accepts. cli/executions/redrive.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = { ...FOLLOW_OPTIONS, ...TARGET_OPTIONS } as const satisfies OptionTable;

export const command = defineCommand({
  name: 'redrive',
  section: 'executions',
  operands: '<execution>',
  summary: 'rerun a failed execution from the failed step',
  description: `Reruns a failed execution from the step that failed. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/redrive.js')).redriveCommand(args),
});
