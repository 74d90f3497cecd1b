/** `scalelab run` (= `npm start`): the whole lab, end to end, and its verdict. */
import { defineCommand, type OptionTable } from '../command.js';
import { CONFIG_OPTIONS, EVENT_FAULT_OPTIONS } from '../options.js';

/**
 * The options `scalelab run` accepts. cli/run-lab-command.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...EVENT_FAULT_OPTIONS,
  'fail-scale-out-apps': {
    type: 'boolean',
    default: false,
    help: '(testing) the apps the group launches after its first answer 503, as failed starts: the launch hook abandons them and the verdict says why',
  },
  name: { type: 'string', value: 'NAME', help: 'execution name' },
  json: {
    type: 'boolean',
    default: false,
    help: 'stdout is the summary alone (one JSON document); the verdict goes to stderr',
  },
  adapter: {
    type: 'string',
    value: 'local|aws',
    default: 'local',
    help: "the handlers' cloud port: local (default), or aws: the adapter Lambda runs, through the real AWS SDK against the local AWS endpoint",
  },
  'state-dir': {
    type: 'string',
    value: 'D',
    default: '.scalelab/state',
    help: 'where executions are kept (default .scalelab/state)',
  },
  'runs-dir': {
    type: 'string',
    value: 'D',
    default: '.scalelab/runs',
    help: 'where run folders (report, history, datapoints) go (default .scalelab/runs)',
  },
  'console-port': {
    type: 'string',
    value: 'P',
    help: 'the web console, on 127.0.0.1 while the run lasts: its port (default 0, a free one; the URL is printed)',
  },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'run',
  section: 'local',
  summary: 'run the whole lab locally and print its verdict (npm start)',
  featured: ['time-scale', 'set', 'json'],
  description:
    'Runs the whole lab locally, end to end, and prints its verdict (what npm start does).\n' +
    'While it runs, the web console (graph, history, charts) is at the URL printed on stderr.',
  options: OPTIONS,
  run: async (args) => (await import('../run-lab-command.js')).runLabCommand(args),
});
