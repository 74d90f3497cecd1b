/** `scalelab stop <execution>`: a running execution, stopped. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab stop` accepts. cli/executions/stop.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  error: { type: 'string', value: 'CODE', help: 'the error it ends with' },
  cause: { type: 'string', value: 'TEXT', help: 'the cause it ends with' },
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'stop',
  section: 'executions',
  operands: '<execution>',
  summary: 'stop a running execution',
  description: `Stops a running execution. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/stop.js')).stopCommand(args),
});
