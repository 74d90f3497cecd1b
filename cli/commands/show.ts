/** `scalelab show <execution>`: one execution, phase by phase. */
import { defineCommand, type OptionTable } from '../command.js';
import { EXECUTION_OPERAND, RUNS_DIR_OPTIONS, TARGET_OPTIONS } from '../options.js';

/**
 * The options `scalelab show` accepts. cli/executions/show.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = { ...RUNS_DIR_OPTIONS, ...TARGET_OPTIONS } as const satisfies OptionTable;

export const command = defineCommand({
  name: 'show',
  section: 'executions',
  operands: '<execution>',
  summary: 'status, phase timeline, failing step, verdict',
  description:
    'Status, phase timeline, failing step and verdict of one execution; for the lab, the verdict table\n' +
    `of \`scalelab run\`, from the execution's run folder when there is one. ${EXECUTION_OPERAND}`,
  options: OPTIONS,
  run: async (args) => (await import('../executions/show.js')).showCommand(args),
});
