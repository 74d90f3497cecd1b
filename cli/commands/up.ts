/** `scalelab up`: both sections of the lab in the local cloud, kept up for a person to try. */
import { defineCommand, type OptionTable } from '../command.js';
import { CONFIG_OPTIONS } from '../options.js';

/**
 * The options `scalelab up` accepts. cli/up-command.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  ...CONFIG_OPTIONS,
  'web-port': {
    type: 'string',
    value: 'P',
    help: 'listener of load balancer "web" (default 8080, 0 = any free port)',
  },
  'scaling-port': {
    type: 'string',
    value: 'P',
    help: 'listener of load balancer "scaling" (default 8081, 0 = any free port)',
  },
  'api-port': {
    type: 'string',
    value: 'P',
    help: 'the local AWS endpoint for aws --endpoint-url and SDK clients (default 8083, 0 = any free port)',
  },
  json: { type: 'boolean', default: false, help: 'the ready line and the events as JSON, one per line' },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'up',
  section: 'local',
  summary: 'bring both sections of the lab up locally until Ctrl-C',
  featured: ['time-scale', 'json'],
  description:
    'Brings both sections of the lab up locally, serves the local AWS endpoint for it, and prints every event on the bus until Ctrl-C.',
  options: OPTIONS,
  run: async (args) => (await import('../up-command.js')).upCommand(args),
});
