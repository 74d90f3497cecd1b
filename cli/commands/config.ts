/** `scalelab config`: the lab configuration a run would use, without running anything. */
import { defineCommand, type OptionTable } from '../command.js';
import { CONFIG_OPTIONS } from '../options.js';

/**
 * The options `scalelab config` accepts: the lab configuration's, read exactly as `scalelab run`
 * and `scalelab up` read them, and --json. `printConfig` parses with this table.
 */
export const OPTIONS = {
  ...CONFIG_OPTIONS,
  json: { type: 'boolean', default: false, help: 'the configuration on one line, for scripts' },
} as const satisfies OptionTable;

/** Prints the effective configuration as JSON; a bad value is a usage error naming the field (exit 2). */
async function printConfig(args: string[]): Promise<number> {
  // Imported here rather than above: the registry imports every declaration on every run.
  const { parseOptions } = await import('../parse-options.js');
  const { labConfigFrom } = await import('../config-options.js');
  const { values } = parseOptions(args, OPTIONS);
  const config = labConfigFrom(values);
  process.stdout.write(`${JSON.stringify(config, null, values.json ? undefined : 2)}\n`);
  return 0;
}

export const command = defineCommand({
  name: 'config',
  section: 'local',
  summary: 'print the lab configuration a run would use, as JSON',
  featured: ['config', 'set'],
  description:
    'Prints the lab configuration scalelab run and scalelab up would use, as JSON: the defaults, then\n' +
    '--config, then each --set, then --time-scale, checked as they check it. Nothing runs.',
  options: OPTIONS,
  run: printConfig,
});
