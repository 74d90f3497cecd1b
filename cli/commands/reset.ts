/** `scalelab reset`: the local cloud back to the lab's clean state. */
import { defineCommand, type OptionTable } from '../command.js';

/** The options `scalelab reset` accepts; cli/inspect/reset-command.ts parses with this table. */
export const OPTIONS = {
  json: { type: 'boolean', default: false, help: 'print one JSON document: what the reset changed' },
  endpoint: {
    type: 'string',
    value: 'URL',
    heading: "Where the lab lives (the local endpoint of 'scalelab serve' or 'up'):",
    help: 'a local AWS endpoint (default http://127.0.0.1:8083, or SCALELAB_ENDPOINT)',
  },
  // Accepted only to refuse it with a reason: a deployed lab is reset by its own tear-down.
  aws: { type: 'boolean', default: false, help: 'refused: reset works on the local cloud only' },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'reset',
  section: 'local',
  summary: "the local cloud back to the lab's clean state (refused while an execution runs)",
  description:
    "Resets the local cloud of 'scalelab serve' (or 'up') to the state the lab starts from: every instance\n" +
    "the lab does not start with terminated, section 1 stopped ('up': running), the group back to its\n" +
    'configured size with no activity in progress, no stray targets, the alarms back to INSUFFICIENT_DATA,\n' +
    "waiting lifecycle actions completed, and the lab's claim and armed observers forgotten. Refused,\n" +
    "changing nothing, while an execution runs: stop it first. Not an AWS API: scalelab's own operation\n" +
    'ScalelabLocal.ResetLab on the local endpoint (local/api/README.md).',
  options: OPTIONS,
  run: async (args) => (await import('../inspect/reset-command.js')).resetCommand(args),
});
