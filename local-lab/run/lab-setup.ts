import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig } from '../../lab/config.js';
import type { Cloud } from '../../lambdas/cloud/cloud.js';
import { executionEndPattern, scalingEventPattern } from '../../lambdas/index.js';
import type { ApiServer } from '../../local/api/index.js';
import type { LocalAws } from '../../local/local-aws.js';
import {
  type LocalStepFunctions,
  StateMachineAlreadyExists,
  stateMachineArn as stateMachineArnOf,
  type TaskHandler,
} from '../../local/stepfunctions/index.js';
import { projectRoot } from '../../node-app/project-root.js';
import { localExecutionEndTarget, localScalingEventTarget, localTaskHandlers } from '../handlers.js';
import { LocalCloud } from '../local-cloud.js';
import { createLocalLab, type LocalLab } from '../resources.js';
import { startLocalAwsAdapter } from './aws-adapter.js';

/** The lab state machine's local name; the operator commands find it by this name. */
export const LAB_STATE_MACHINE_NAME = 'lab-lifecycle';

export const LAB_DEFINITION_PATH = join(projectRoot(), 'state-machines', 'lab-lifecycle.asl.json');

/** The rule that feeds the group's Auto Scaling events to the observer. */
const SCALING_RULE = 'lab-scaling-events';
/** The rule that feeds the lab workflow's ends to on-execution-end (tear-down after a stop). */
const EXECUTION_END_RULE = 'lab-execution-ends';

export interface LabSetup {
  lab: LocalLab;
  labCloud: LocalCloud;
  stateMachineArn: string;
  /** The local AWS endpoint the `aws` adapter calls, when the handlers use it; close it first. */
  endpoint?: ApiServer;
}

/**
 * Which Cloud port the handlers get: `local`, the local cloud in process (local-cloud.ts); or
 * `aws`, the adapter Lambda runs, through the real SDK against the local endpoint (aws-adapter.ts).
 */
export type HandlerAdapter = 'local' | 'aws';

/**
 * Creates the lab state machine, or updates it when the state directory holds an older
 * definition (a newer scalelab), as a deploy would; returns its ARN.
 */
function registerLabStateMachine(
  stepFunctions: LocalStepFunctions,
  substitutions: Record<string, TaskHandler>,
): string {
  const definition = readFileSync(LAB_DEFINITION_PATH, 'utf8');
  try {
    return (
      stepFunctions.createStateMachine({ name: LAB_STATE_MACHINE_NAME, definition, substitutions })
        .stateMachineArn ?? ''
    );
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    const stateMachineArn = stateMachineArnOf(LAB_STATE_MACHINE_NAME);
    stepFunctions.updateStateMachine({ stateMachineArn, definition, substitutions });
    return stateMachineArn;
  }
}

/**
 * What a deploy does on AWS, done in the local cloud: the lab's resources at zero cost, the state
 * machine wired to the same handlers through the local Cloud port, and the Auto Scaling and
 * execution-end rules with the shared patterns. Used by `scalelab run` and `scalelab serve`.
 */
export async function setUpLocalLab(options: {
  cloud: LocalAws;
  stepFunctions: LocalStepFunctions;
  config: LabConfig;
  log: (line: string) => void;
  adapter?: HandlerAdapter;
}): Promise<LabSetup> {
  const { cloud, stepFunctions, config } = options;
  // The instances' user data logs like a handler: what it did with each launch action.
  const lab = await createLocalLab(cloud, config, {
    running: false,
    onUserData: (outcome) =>
      options.log(
        JSON.stringify({
          level: 'INFO',
          message: 'launch action',
          service: 'instance-user-data',
          ...outcome,
        }),
      ),
    onError: (error) =>
      options.log(
        JSON.stringify({
          level: 'ERROR',
          message: 'launch action not completed',
          service: 'instance-user-data',
          error: String(error),
        }),
      ),
  });
  const labCloud = new LocalCloud(cloud, lab, config);
  labCloud.attach(stepFunctions);
  const aws =
    options.adapter === 'aws'
      ? await startLocalAwsAdapter({ cloud, stepFunctions, config, lab, onError: logError(options.log) })
      : undefined;
  try {
    const stateMachineArn = wireHandlers(options, aws?.cloud ?? labCloud);
    return { lab, labCloud, stateMachineArn, endpoint: aws?.endpoint };
  } catch (error) {
    await aws?.endpoint.close();
    throw error;
  }
}

/** An endpoint failure as a handler log line: the run's evidence, not the terminal. */
function logError(log: (line: string) => void): (error: unknown) => void {
  return (error) =>
    log(
      JSON.stringify({
        level: 'ERROR',
        message: 'local AWS endpoint',
        service: 'local-api',
        error: String(error),
      }),
    );
}

/**
 * The state machine and the two bus rules, wired to the handlers with `handlerCloud`; returns the
 * state machine's ARN.
 */
function wireHandlers(
  options: {
    cloud: LocalAws;
    stepFunctions: LocalStepFunctions;
    config: LabConfig;
    log: (line: string) => void;
  },
  handlerCloud: Cloud,
): string {
  const { cloud, stepFunctions, config } = options;
  // The lab was built from `config`: it is every execution's base, as the deployed one is on AWS.
  const handlerOptions = {
    cloud: handlerCloud,
    log: options.log,
    deployedConfig: config,
    holdClock: () => cloud.clock.hold(),
  };
  cloud.bus.putRule({
    name: SCALING_RULE,
    eventPattern: scalingEventPattern(config.section2.autoScalingGroupName),
  });
  const onScalingEvent = localScalingEventTarget(handlerOptions);
  cloud.bus.putTargets(SCALING_RULE, [
    { id: 'on-scaling-event', handler: async (event) => void (await onScalingEvent(event)) },
  ]);
  const stateMachineArn = registerLabStateMachine(stepFunctions, localTaskHandlers(handlerOptions));
  cloud.bus.putRule({ name: EXECUTION_END_RULE, eventPattern: executionEndPattern(stateMachineArn) });
  const onExecutionEnd = localExecutionEndTarget(handlerOptions);
  cloud.bus.putTargets(EXECUTION_END_RULE, [
    { id: 'on-execution-end', handler: async (event) => void (await onExecutionEnd(event)) },
  ]);
  return stateMachineArn;
}
