/**
 * `scalelab <command> --help`: each command's usage and options, as the README describes them.
 * A test holds each text to its command's option table: no option is accepted without a line here.
 */

const CONFIG = `  --config F         lab configuration file (JSON), over the defaults
  --set path=value   one configuration field, e.g. --set section2.maxSize=4 (repeatable)
  --time-scale N     simulated seconds per real second`;

const TARGET = `  --json             print one JSON document
Where the execution lives (default: the local engine of 'scalelab serve'):
  --endpoint URL     a Step Functions endpoint (default http://127.0.0.1:8083)
  --aws              AWS itself, with credentials and region from the usual AWS environment
  --region R         AWS region
  --state-machine-arn ARN   the lab state machine (or SCALELAB_STATE_MACHINE_ARN)`;

const FOLLOW = `  --follow           print each state as it is entered and done, until the execution ends
  --timeout S        with --follow: give up after S seconds
  --poll-ms MS       with --follow: how often to look`;

const EXECUTION = '<execution> is an execution ARN or name.';

export const COMMAND_HELP: Record<string, string> = {
  app: `Usage: scalelab app seed|serve [options]
Runs one instance server: the seed app (GET / returns the seed, POST {"num": N} sets it) or the
serve app (POST / starts CPU stress).
  --host H           bind address (default 127.0.0.1)
  --port P           port (default 5000)
  --instance-id ID   the instance id it reports
  --private-ip IP    the address it reports (default: the bind address)
  --imds             read id and address from the EC2 instance metadata service (IMDSv2)
  --time-scale N     stress seconds are simulated seconds
  --exit-on-stdin-close   end when stdin closes (how the local cloud keeps instances from outliving it)`,
  run: `Usage: scalelab run [options]
Runs the whole lab locally, end to end, and prints its verdict (what npm start does).
${CONFIG}
  --name NAME        execution name
  --json             the summary as the last line of stdout
  --state-dir D      where executions are kept (default .scalelab/state)
  --runs-dir D       where run folders (report, history, datapoints) go (default .scalelab/runs)`,
  up: `Usage: scalelab up [options]
Brings both sections of the lab up locally and prints every event on the bus until Ctrl-C.
${CONFIG}
  --web-port P       listener of load balancer "web" (default 8080, 0 = any free port)
  --scaling-port P   listener of load balancer "scaling" (default 8081, 0 = any free port)
  --json             the ready line and the events as JSON, one per line`,
  serve: `Usage: scalelab serve [options]
The local engine as an AWS endpoint (Step Functions, EventBridge) for the CLI, the console and SDKs.
  --host H           bind address (default 127.0.0.1)
  --port P           port (default 8083)
  --state-dir D      where executions are kept (default .scalelab/state)
  --time-scale N     simulated seconds per real second
  --demo             also register a small demo state machine, to try every command in seconds`,
  start: `Usage: scalelab start [options]
Starts an execution of the lab state machine and prints its ARN.
  --config F         lab configuration file (JSON)
  --set path=value   one configuration field (repeatable)
  --input JSON       the whole execution input (not with --config or --set)
  --name NAME        execution name
${FOLLOW}
${TARGET}`,
  list: `Usage: scalelab list [options]
Lists executions, newest first.
  --status S         only RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE
  --max N            at most N executions
${TARGET}`,
  show: `Usage: scalelab show <execution> [options]
Status, phase timeline, failing step and verdict of one execution. ${EXECUTION}
${TARGET}`,
  replay: `Usage: scalelab replay <execution> [options]
Starts a new execution with the same input. ${EXECUTION}
  --name NAME        name of the new execution
${FOLLOW}
${TARGET}`,
  redrive: `Usage: scalelab redrive <execution> [options]
Reruns a failed execution from the step that failed. ${EXECUTION}
${FOLLOW}
${TARGET}`,
  stop: `Usage: scalelab stop <execution> [options]
Stops a running execution. ${EXECUTION}
  --error CODE       the error it ends with
  --cause TEXT       the cause it ends with
${TARGET}`,
};

/** Whether the arguments ask for help: `--help` or `-h` before any `--`. */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
