/**
 * `scalelab serve`: the local engine and the local cloud as a long-running service behind the
 * local AWS endpoint, until SIGINT or SIGTERM.
 */

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LAB_CONFIG, type LabConfig } from '../../lab/config.js';
import { type ApiServer, DEFAULT_API_PORT, type Operation, startApiServer } from '../../local/api/index.js';
import { LocalAws } from '../../local/local-aws.js';
import { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import { type ConsoleMount, consoleMount } from '../../local-lab/console/console-server.js';
import { labResetOperations } from '../../local-lab/lab-reset-operation.js';
import { LOCAL_OBSERVER_TABLE_SPEC } from '../../local-lab/run/aws-adapter.js';
import { setUpLocalLab } from '../../local-lab/run/lab-setup.js';
import {
  fillOrphanedRunFolders,
  instanceLedger,
  takeChargeOfInstances,
} from '../../local-lab/run/orphaned-runs.js';
import type { RunEvidence } from '../../local-lab/run/run-folder.js';
import { ServeRunFolders } from '../../local-lab/run/serve-run-folders.js';
import { OPTIONS } from '../commands/serve.js';
import { labConfigFrom } from '../config-options.js';
import { intOption, parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { registerDemoStateMachine } from './demo-state-machine.js';

/** Where `scalelab run` keeps its executions: serving the same directory lists them too. */
export const DEFAULT_STATE_DIR = '.scalelab/state';

/** Where `scalelab run` writes its run folders: the serve's lab executions get theirs there too. */
export const DEFAULT_RUNS_DIR = '.scalelab/runs';

export interface ServeContext {
  stepFunctions: LocalStepFunctions;
  cloud: LocalAws;
  /** The lab configuration the serve was started with (the local cloud runs at its time scale). */
  config: LabConfig;
  /** Something to end when the serve closes, once its executions have ended, before the cloud. */
  onClose(close: () => Promise<void>): void;
  /** scalelab's own operations for the endpoint to serve (`ScalelabLocal.<Op>`, e.g. ResetLab). */
  serveOperations(operations: Record<string, Operation>): void;
  /**
   * Where the console finds a lab execution's evidence: live while it runs (for its charts), and
   * its run folder (verdict, charts) once it has ended.
   */
  provideEvidence(find: (executionArn: string) => RunEvidence | undefined, runsDir: string): void;
}

/** Creates the state machines the endpoint serves (with their local handlers); returns their ARNs. */
export type RegisterStateMachines = (context: ServeContext) => string[] | Promise<string[]>;

export interface ServeOptions {
  host?: string;
  port?: number;
  stateDir?: string;
  /** Where each lab execution's run folder goes when it ends (default {@link DEFAULT_RUNS_DIR}). */
  runsDir?: string;
  /**
   * The lab configuration the local lab is built with, as a deploy builds the lab on AWS: its
   * `timeScale` runs the clock, its `instanceBootSeconds` boots the instances, and every execution
   * may change only its per-run fields (lab/config-per-run.ts). Default: the defaults.
   */
  config?: LabConfig;
  /** Default: the lab (state-machines/lab-lifecycle.asl.json with its handlers). */
  register?: RegisterStateMachines;
}

export interface RunningServe {
  url: string;
  /** The web console on the same endpoint, e.g. `http://127.0.0.1:8083/console/`. */
  consoleUrl: string;
  stateMachineArns: string[];
  /** Closes the endpoint, then every execution (ABORTED), then the local cloud. */
  close(): Promise<void>;
}

/** The demo state machine: every operator command can be tried in seconds (`serve --demo`). */
export const registerDemo: RegisterStateMachines = (context) => [
  registerDemoStateMachine(context.stepFunctions),
];

/**
 * The lab itself, as `scalelab run` sets it up: its resources at zero cost in the local cloud and
 * the lab-lifecycle state machine with the real handlers, built from the serve's configuration,
 * which every execution's input is then merged over. The handlers' logs go to
 * `<stateDir>/handler-log.jsonl`; each execution's run folder to `<runsDir>/<name>/` when it ends.
 * The endpoint gets `ScalelabLocal.ResetLab`, which resets the local cloud to this lab's start.
 */
export function registerLab(stateDir: string, runsDir = DEFAULT_RUNS_DIR): RegisterStateMachines {
  return async ({ stepFunctions, cloud, config, onClose, serveOperations, provideEvidence }) => {
    mkdirSync(stateDir, { recursive: true });
    const logFile = join(stateDir, 'handler-log.jsonl');
    const log = (line: string): void => appendFileSync(logFile, `${line}\n`);
    const { stateMachineArn, lab, labCloud } = await setUpLocalLab({ cloud, stepFunctions, config, log });
    serveOperations(
      labResetOperations({
        target: { cloud, lab, config, running: false, records: labCloud },
        stepFunctions,
      }),
    );
    const folders = new ServeRunFolders({
      cloud,
      stepFunctions,
      stateMachineArn,
      config,
      lab,
      runsDir,
      stateDir,
      log,
    });
    onClose(() => folders.close());
    provideEvidence((executionArn) => folders.evidenceOf(executionArn), runsDir);
    return [stateMachineArn];
  };
}

/** Starts the local cloud, the local Step Functions on `stateDir` and the endpoint in front. */
export async function startServe(options: ServeOptions = {}): Promise<RunningServe> {
  const config = options.config ?? DEFAULT_LAB_CONFIG;
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const ledger = instanceLedger(stateDir);
  const cloud = new LocalAws({
    timeScale: config.timeScale,
    bootSeconds: config.instanceBootSeconds,
    ledger,
  });
  let stepFunctions: LocalStepFunctions;
  try {
    // Refuses a state folder another live process holds: the cloud must not outlive that refusal.
    stepFunctions = new LocalStepFunctions({
      stateDir,
      clock: cloud.clock,
      publish: (event) => void cloud.bus.putEvents([event]),
    });
  } catch (error) {
    await cloud.close();
    throw error;
  }
  let server: ApiServer | undefined;
  let consoleMounted: ConsoleMount | undefined;
  const closers: (() => Promise<void>)[] = [];
  let scalelabOperations: Record<string, Operation> | undefined;
  let liveEvidence: ((executionArn: string) => RunEvidence | undefined) | undefined;
  let labRunsDir: string | undefined;
  // After the executions end (their run folders are written then), before the cloud goes.
  const closeRegistered = async (): Promise<void> => {
    for (const close of closers.splice(0)) await close();
  };
  try {
    // A `scalelab run` killed on this state folder left its execution RUNNING and its run folder
    // without a summary: the execution is now ABORTED, and its run folder gets what is known.
    fillOrphanedRunFolders(stepFunctions, stateDir);
    takeChargeOfInstances(cloud, ledger, stateDir);
    const register = options.register ?? registerLab(stateDir, options.runsDir);
    const stateMachineArns = await register({
      stepFunctions,
      cloud,
      config,
      onClose: (close) => void closers.push(close),
      serveOperations: (operations) => {
        scalelabOperations = { ...scalelabOperations, ...operations };
      },
      provideEvidence: (find, runsDir) => {
        liveEvidence = find;
        labRunsDir = runsDir;
      },
    });
    consoleMounted = consoleMount({
      stepFunctions,
      cloud,
      config,
      runsDir: labRunsDir,
      liveEvidence: (executionArn) => liveEvidence?.(executionArn),
    });
    server = await startApiServer({
      stepFunctions,
      bus: cloud.bus,
      cloud,
      scalelabOperations,
      host: options.host,
      port: options.port ?? DEFAULT_API_PORT,
      // The table the lab's aws adapter keeps its observers in, as `up` and `run --adapter aws` have it.
      tables: [LOCAL_OBSERVER_TABLE_SPEC],
      mount: consoleMounted,
    });
    const api = server;
    const mounted = consoleMounted;
    return {
      url: api.url,
      consoleUrl: `${api.url}${mounted.prefix}/`,
      stateMachineArns,
      async close() {
        mounted.close();
        await api.close();
        // The state directory is let go last: its next owner ends any instance it finds alive.
        await stepFunctions.close({ keepLock: true });
        try {
          await closeRegistered();
          await cloud.close();
        } finally {
          stepFunctions.releaseStateDir();
        }
      },
    };
  } catch (error) {
    consoleMounted?.close();
    await server?.close();
    await stepFunctions.close({ keepLock: true });
    try {
      await closeRegistered();
      await cloud.close();
    } finally {
      stepFunctions.releaseStateDir();
    }
    throw error;
  }
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** `scalelab serve [--port P] [--state-dir D] [--runs-dir D] [--config F] [--set path=value] [--time-scale N] [--host H]` */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'`);
  const config = labConfigFrom(values);
  const stop = signalled();
  const running = await startServe({
    host: values.host,
    port: intOption('port', values.port, DEFAULT_API_PORT, 0, 65535),
    stateDir: values['state-dir'],
    runsDir: values['runs-dir'],
    config,
    ...(values.demo && { register: registerDemo }),
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE')
      throw new Error(`cannot listen on ${values.host}:${values.port ?? DEFAULT_API_PORT}: port in use`, {
        cause: error,
      });
    throw error;
  });
  const names = running.stateMachineArns.map((arn) => arn.slice(arn.lastIndexOf(':') + 1));
  process.stdout.write(
    `scalelab serve: AWS endpoint ${running.url} (Step Functions, EventBridge, EC2, Auto Scaling, ELBv2, CloudWatch, DynamoDB; region us-east-1; state machines ${names.join(', ')}; state ${values['state-dir']}${values.demo ? '' : `; run folders ${values['runs-dir']}`}; pid ${process.pid})\n` +
      `scalelab serve: console ${running.consoleUrl}\n`,
  );
  const reason = await stop;
  await running.close();
  process.stdout.write(`scalelab serve: stopped (${reason})\n`);
  return 0;
}
