/** `scalelab replay <execution>`: the same input, once more. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, FOLLOW_OPTIONS, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab replay` accepts. cli/executions/replay.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  name: { type: 'string', value: 'NAME', help: 'name of the new execution' },
  ...FOLLOW_OPTIONS,
  ...TARGET_OPTIONS,
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'replay',
  section: 'executions',
  operands: '<execution>',
  summary: 'a new execution with the same input',
  description: `Starts a new execution with the same input. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/replay.js')).replayCommand(args),
});
