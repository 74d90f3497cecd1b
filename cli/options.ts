/**
 * Options several commands share, with their help. Declarations spread them into their own
 * tables; the order they are spread in is the order `--help` lists them.
 */
import type { OptionTable } from './command.js';

/** The lab configuration a command runs with (read by `labConfigFrom` in config-options.ts). */
export const CONFIG_OPTIONS = {
  config: { type: 'string', value: 'F', help: 'lab configuration file (JSON), over the defaults' },
  set: {
    type: 'string',
    value: 'path=value',
    multiple: true,
    help: 'one configuration field, e.g. --set section2.maxSize=4 (repeatable)',
  },
  'time-scale': { type: 'string', value: 'N', help: 'simulated seconds per real second' },
} as const satisfies OptionTable;

/** Fault injection for Auto Scaling events in the local cloud (read by `eventFaultsFrom`). */
export const EVENT_FAULT_OPTIONS = {
  'event-faults': {
    type: 'string',
    value: 'SPEC',
    help: 'disturb Auto Scaling events as AWS may (best effort): drop=F,duplicate=F,delay=F,reorder=F, fractions 0-1, e.g. drop=1',
  },
  'fault-seed': {
    type: 'string',
    value: 'N',
    help: 'with --event-faults: the seed that picks the events (default 1)',
  },
} as const satisfies OptionTable;

/** Where `show` and `follow` read a lab execution's run folder (`run` and `serve` write it). */
export const RUNS_DIR_OPTIONS = {
  'runs-dir': {
    type: 'string',
    value: 'D',
    default: '.scalelab/runs',
    help: "where the lab's run folders are (default .scalelab/runs); the verdict is read from there",
  },
} as const satisfies OptionTable;

/** `--follow` and its limits, for the commands that start an execution (read by `maybeFollow`). */
export const FOLLOW_OPTIONS = {
  follow: {
    type: 'boolean',
    default: false,
    help: 'print each lab phase as it ends (other state machines: each state), then the verdict',
  },
  timeout: { type: 'string', value: 'S', help: 'with --follow: give up after S seconds' },
  'poll-ms': { type: 'string', value: 'MS', help: 'with --follow: how often to look' },
  ...RUNS_DIR_OPTIONS,
} as const satisfies OptionTable;

/** Where an execution command's calls go, and `--json`: every execution command takes them (`withTarget`). */
export const TARGET_OPTIONS = {
  json: { type: 'boolean', default: false, help: 'print one JSON document' },
  endpoint: {
    type: 'string',
    value: 'URL',
    heading: "Where the execution lives (default: the local engine of 'scalelab serve'):",
    help: 'a Step Functions endpoint (default http://127.0.0.1:8083)',
  },
  aws: {
    type: 'boolean',
    default: false,
    help: 'AWS itself, with credentials and region from the usual AWS environment',
  },
  region: { type: 'string', value: 'R', help: 'AWS region' },
  'state-machine-arn': {
    type: 'string',
    value: 'ARN',
    help: 'the lab state machine (or SCALELAB_STATE_MACHINE_ARN)',
  },
} as const satisfies OptionTable;

/** The sentence a command taking `<execution>` ends its description with. */
export const EXECUTION_OPERAND = '<execution> is an execution ARN or name.';
