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
};

/** Every workflow handler, wired to `options.cloud`: the `substitutions` of LocalStepFunctions.createStateMachine. */
export function localTaskHandlers(options: LocalHandlerOptions): Record<HandlerPlaceholder, LocalFunction> {
  const entries = Object.entries(HANDLERS).map(([name, entry]) => [
    name,
    asLocal(name, entry.create(options)),
  ]);
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
