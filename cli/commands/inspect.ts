/** `scalelab inspect`: what the lab's cloud holds now. */
import { defineCommand, type OptionTable } from '../command.js';

/** The options `scalelab inspect` accepts; cli/inspect/inspect-command.ts parses with this table. */
export const OPTIONS = {
  json: { type: 'boolean', default: false, help: 'print one JSON document' },
  endpoint: {
    type: 'string',
    value: 'URL',
    heading: "Where the lab lives (default: the local endpoint of 'scalelab serve' or 'up'):",
    help: 'a local AWS endpoint (default http://127.0.0.1:8083, or SCALELAB_ENDPOINT)',
  },
  aws: {
    type: 'boolean',
    default: false,
    help: 'the deployed lab on AWS, with credentials and region from the usual AWS environment',
  },
  region: { type: 'string', value: 'R', help: 'AWS region' },
  group: {
    type: 'string',
    value: 'NAME',
    help: "the lab's scaling group (default the configuration's, scalelab-serve)",
  },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'inspect',
  section: 'executions',
  summary: "what the lab's cloud holds now: group, instances, target health, alarms",
  description:
    "Lists what the lab's cloud holds now, through the AWS APIs: the scaling group, the instances of both sections, each target group's health and the group's alarms. Locally from the endpoint of 'scalelab serve' or 'up'; with --aws, the deployed lab.",
  options: OPTIONS,
  run: async (args) => (await import('../inspect/inspect-command.js')).inspectCommand(args),
});
