/**
 * The handlers wired to the workflow, by the `${Name}` placeholder each replaces in
 * state-machines/lab-lifecycle.asl.json (CDK definitionSubstitutions on AWS, local handlers in the
 * local Step Functions), plus the Auto Scaling event target and its rule pattern.
 */
import type { Context } from 'aws-lambda';
import { createArmObserverHandler } from './arm-observer/handler.js';
import { createCheckHealthHandler } from './check-health/handler.js';
import type { HandlerOptions } from './middy/handler.js';
import { createOnExecutionEndHandler } from './on-execution-end/handler.js';
import { createOnScalingEventHandler } from './on-scaling-event/handler.js';
import { createProvisionHandler } from './provision/handler.js';
import { createStartStressHandler } from './start-stress/handler.js';
import { createTearDownHandler } from './tear-down/handler.js';
import { createValidateHandler } from './validate/handler.js';
import { createVerdictHandler } from './verdict/handler.js';
import { createVerifyLoadBalancingHandler } from './verify-load-balancing/handler.js';

export { ENDED_STATUSES, executionEndPattern } from './on-execution-end/pattern.js';
export {
  LIFECYCLE_DETAIL_TYPES,
  lifecycleActionPattern,
  SCALING_DETAIL_TYPES,
  SCALING_EVENT_PATTERN,
  scalingActivityPattern,
  scalingEventPattern,
} from './on-scaling-event/pattern.js';

/** One handler: its folder under lambdas/ (the CDK entry is `<dir>/handler.ts`, export `handler`) and its factory. */
export interface HandlerEntry {
  dir: string;
  create(options?: HandlerOptions): InvocableHandler;
}

/** What a built handler is to its callers: Lambda's (event, context) => result. */
export type InvocableHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The workflow's handlers by placeholder name. */
export const HANDLERS = {
  ValidateFunctionArn: { dir: 'validate', create: createValidateHandler },
  ProvisionFunctionArn: { dir: 'provision', create: createProvisionHandler },
  CheckHealthFunctionArn: { dir: 'check-health', create: createCheckHealthHandler },
  VerifyLoadBalancingFunctionArn: { dir: 'verify-load-balancing', create: createVerifyLoadBalancingHandler },
  StartStressFunctionArn: { dir: 'start-stress', create: createStartStressHandler },
  ArmObserverFunctionArn: { dir: 'arm-observer', create: createArmObserverHandler },
  TearDownFunctionArn: { dir: 'tear-down', create: createTearDownHandler },
  VerdictFunctionArn: { dir: 'verdict', create: createVerdictHandler },
} as const satisfies Record<string, HandlerEntry>;

export type HandlerPlaceholder = keyof typeof HANDLERS;

/** The Auto Scaling event target (not in the workflow: an EventBridge rule invokes it). */
export const SCALING_EVENT_HANDLER: HandlerEntry = {
  dir: 'on-scaling-event',
  create: createOnScalingEventHandler,
};

/** The status-change target: tears down the lab of an execution that ended holding it. */
export const EXECUTION_END_HANDLER: HandlerEntry = {
  dir: 'on-execution-end',
  create: createOnExecutionEndHandler,
};
