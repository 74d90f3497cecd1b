/** `scalelab app seed|serve`: one instance server, as each EC2 instance of the lab runs it. */
import { defineCommand, type OptionTable } from '../command.js';

/**
 * The options `scalelab app` accepts. cli/app-command.ts parses with this very table and
 * `--help` lists it, so the two cannot disagree.
 */
export const OPTIONS = {
  host: { type: 'string', value: 'H', default: '127.0.0.1', help: 'bind address (default 127.0.0.1)' },
  port: { type: 'string', value: 'P', help: 'port (default 5000)' },
  'instance-id': { type: 'string', value: 'ID', help: 'the instance id it reports' },
  'private-ip': { type: 'string', value: 'IP', help: 'the address it reports (default: the bind address)' },
  imds: {
    type: 'boolean',
    default: false,
    help: 'read id and address from the EC2 instance metadata service (IMDSv2)',
  },
  'time-scale': { type: 'string', value: 'N', help: 'stress seconds are simulated seconds' },
  'cpu-share': {
    type: 'string',
    value: 'F',
    help: 'host core per vCPU for stress workers (default 1; the local cloud passes 0.5)',
  },
  // The local cloud holds the other end of stdin: when it dies, even by SIGKILL, the pipe
  // closes and the instance exits instead of lingering as an orphan.
  'exit-on-stdin-close': {
    type: 'boolean',
    default: false,
    help: 'end when stdin closes (how the local cloud keeps instances from outliving it)',
  },
  // The local cloud's clock stands still while modelled work finishes in real time; a stress
  // ends on its simulated moment by following the held time the local cloud writes here.
  'held-clock': {
    type: 'string',
    value: 'F',
    help: "stress deadlines move by the held real ms this file holds (the local cloud's clock)",
  },
  // For tests: an app whose start failed behind a server that runs (the lab's launch hook then
  // abandons the instance, as on EC2 when user data sees no app).
  'fail-start': {
    type: 'boolean',
    default: false,
    help: '(testing) listen, but answer every request 503, as an app whose start failed',
  },
  // The local cloud starts an instance's process during its simulated boot, so the real time a
  // Node.js process takes to start is spent inside the boot, and lets it bind its address at the
  // boot's end.
  'wait-for-go': {
    type: 'boolean',
    default: false,
    help: 'load, print "<app> app ready (pid N)", and listen only once a line "go" arrives on stdin',
  },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'app',
  section: 'local',
  operands: 'seed|serve',
  summary: 'run one instance server (the seed app or the serve app)',
  featured: ['host', 'port'],
  description:
    'Runs one instance server: the seed app (GET / returns the seed, POST {"num": N} sets it) or the\n' +
    'serve app (POST / starts CPU stress).',
  options: OPTIONS,
  run: async (args) => (await import('../app-command.js')).appCommand(args),
});
