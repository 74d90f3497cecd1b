/**
 * The workflow's handlers as local functions: each wired to a Cloud adapter and called with a
 * Lambda context, the way the local Step Functions and the local bus invoke them.
 */
import type { Context } from 'aws-lambda';
import type { LabConfig } from '../lab/config.js';
import type { Cloud } from '../lambdas/cloud/cloud.js';
import {
  EXECUTION_END_HANDLER,
  HANDLERS,
  type HandlerPlaceholder,
  type InvocableHandler,
  SCALING_EVENT_HANDLER,
} from '../lambdas/index.js';
import type { HandlerOptions } from '../lambdas/middy/handler.js';
import { arn } from '../local/arn.js';

/** A local stand-in for a Lambda function: takes the event, resolves with the result. */
export type LocalFunction = (event: unknown) => Promise<unknown>;

// Lambda's real context; middy reads getRemainingTimeInMillis to stop 5 ms early, so it must
// be long enough for the slowest local step (tear-down polling at a low time scale).
const LOCAL_TIMEOUT_MS = 15 * 60 * 1000;

/** A Lambda context for a local invocation of `functionName`. */
export function localLambdaContext(functionName: string): Context {
  const deadline = Date.now() + LOCAL_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn('lambda', `function:${functionName}`),
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function asLocal(name: string, handler: InvocableHandler): LocalFunction {
  return function invokeLocally(event: unknown) {
    return handler(event, localLambdaContext(name));
  };
}

/**
 * Options for local handlers: a Cloud instance instead of the aws adapter, and the configuration
 * the local lab was built with instead of the environment variable the stack sets on Lambda.
 */
export type LocalHandlerOptions = Omit<HandlerOptions, 'cloud' | 'deployedConfig'> & {
  cloud: Cloud;
  deployedConfig: LabConfig;
  /** Holds the local cloud's clock until the returned function is called (local/clock.ts). */
  holdClock?: () => () => void;
};

/**
 * Handlers whose whole work is a few HTTP round trips, which take milliseconds on AWS but here
 * take real ms × the time scale: at 240 the stress's POST and its workers' start (~200 ms) would
 * be 48 simulated seconds after the moment the verdict counts the stress from. The clock is held
 * while they run, so they take no simulated time. Arm-observer is one: through the `aws` adapter
 * its guard check and PutItem took 2-12 simulated seconds at x60, and an Auto Scaling event in
 * that time found only the previous round's closed token in the table, so the event path missed
 * it and the arming re-check saw it instead. Only handlers that never wait on the clock may be
 * held (no cloud.sleep, no health check to pass): a hold would stop what they wait for.
 */
const HELD_WHILE_RUNNING: ReadonlySet<string> = new Set<HandlerPlaceholder>([
  'VerifyLoadBalancingFunctionArn',
  'StartStressFunctionArn',
  'ArmObserverFunctionArn',
]);

/** `run`, with the clock held while it runs. */
function heldWhileRunning(run: LocalFunction, holdClock: () => () => void): LocalFunction {
  return async function invokeHeld(event: unknown) {
    const release = holdClock();
    try {
      return await run(event);
    } finally {
      release();
    }
  };
}

/** Every workflow handler, wired to `options.cloud`: the `substitutions` of LocalStepFunctions.createStateMachine. */
export function localTaskHandlers(options: LocalHandlerOptions): Record<HandlerPlaceholder, LocalFunction> {
  const { holdClock } = options;
  const entries = Object.entries(HANDLERS).map(([name, entry]) => {
    const local = asLocal(name, entry.create(options));
    return [name, holdClock && HELD_WHILE_RUNNING.has(name) ? heldWhileRunning(local, holdClock) : local];
  });
  return Object.fromEntries(entries) as Record<HandlerPlaceholder, LocalFunction>;
}

/** The Auto Scaling event target wired to `options.cloud`, for the local bus rule. */
export function localScalingEventTarget(options: LocalHandlerOptions): LocalFunction {
  return asLocal('OnScalingEvent', SCALING_EVENT_HANDLER.create(options));
}

/** The status-change target wired to `options.cloud`, for the local bus rule. */
export function localExecutionEndTarget(options: LocalHandlerOptions): LocalFunction {
  return asLocal('OnExecutionEnd', EXECUTION_END_HANDLER.create(options));
}
