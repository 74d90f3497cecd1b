/**
 * The workflow's error contract: every error name the ASL's Retry / Catch / Fail states see.
 *
 * Handlers throw the classes below; the lambda:invoke integration reports a thrown error by its
 * `name`, so renaming a class changes the workflow's contract. The ASL also raises names no
 * handler throws: Step Functions' own `States.*` errors, the Lambda service errors of the
 * lambda:invoke integration, and two names the workflow itself raises (a Pass or Fail state).
 * test/state-machines checks that every name the ASL uses is listed here.
 */

/** A named error of the workflow; input parsing lets these through unchanged (see lambdas/middy). */
export class WorkflowError extends Error {}

/** The lab configuration (or an override of it) is invalid; the message names the field. */
export class InvalidLabConfig extends WorkflowError {
  override name = 'InvalidLabConfig';
}

/** A handler received an event it cannot read; the message names the handler and the field. */
export class InvalidHandlerInput extends WorkflowError {
  override name = 'InvalidHandlerInput';
}

/** A call to the cloud (AWS or local) failed in a way worth retrying: throttling, a 5xx, a reset. */
export class TransientCloudError extends WorkflowError {
  override name = 'TransientCloudError';
}

/** The Cloud adapter is missing something it needs (an environment variable, a resource). */
export class CloudMisconfigured extends WorkflowError {
  override name = 'CloudMisconfigured';
}

/** Section 1 did not behave as a round-robin load balancer in front of two seed apps. */
export class LoadBalancingNotVerified extends WorkflowError {
  override name = 'LoadBalancingNotVerified';
}

/** The serve app did not accept the stress request through load balancer "scaling". */
export class StressNotStarted extends WorkflowError {
  override name = 'StressNotStarted';
}

/** Tear-down ran out of time with resources still up; the message lists them. Retried by the workflow. */
export class TearDownIncomplete extends WorkflowError {
  override name = 'TearDownIncomplete';
}

/**
 * The lab never became healthy within `timeouts.healthySeconds`. No handler throws it: the
 * workflow's health-wait loop raises it (a Pass state writing `$.error`) when its counter runs out.
 */
export class HealthCheckTimeout extends WorkflowError {
  override name = 'HealthCheckTimeout';
}

/**
 * The lab ran to its end but an expectation did not hold. No handler throws it: the workflow's
 * final Fail state carries it with the verdict's reason as cause.
 */
export class LabVerdictFail extends WorkflowError {
  override name = 'LabVerdictFail';
}

/**
 * A scaling the lab waited for was not seen before its observation deadline (1.5 × the budget's
 * upper bound). No handler throws it: the workflow raises it (a Pass state) after an observe step
 * ends with `held: false`.
 */
export class ScalingNotObserved extends WorkflowError {
  override name = 'ScalingNotObserved';
}

/**
 * Another execution, still running, holds the lab: one lab runs one execution at a time. The
 * message names the holder. The workflow ends at once, without tear-down: the lab is not its own.
 */
export class LabBusy extends WorkflowError {
  override name = 'LabBusy';
}

/**
 * The lab was claimed but still runs instances (left by an execution that ended without its
 * tear-down, or started by hand); the message lists them. The workflow tears them down and fails:
 * a lab that did not start from rest could count someone else's instances as its own scaling.
 */
export class LabNotAtRest extends WorkflowError {
  override name = 'LabNotAtRest';
}

/**
 * The lab is on its way to rest but not there yet: section-1 instances still `stopping` (right
 * after a deploy, whose custom resource stops them, or an earlier tear-down). StartInstances would
 * refuse them (IncorrectInstanceState), so Validate waits: the workflow retries it for a minute.
 */
export class LabSettling extends WorkflowError {
  override name = 'LabSettling';
}

/** Every workflow error class, by name. */
export const WORKFLOW_ERRORS = {
  InvalidLabConfig,
  InvalidHandlerInput,
  TransientCloudError,
  CloudMisconfigured,
  LoadBalancingNotVerified,
  StressNotStarted,
  TearDownIncomplete,
  HealthCheckTimeout,
  ScalingNotObserved,
  LabVerdictFail,
  LabBusy,
  LabNotAtRest,
  LabSettling,
} as const;

/**
 * Errors Step Functions raises itself (task timeout, missed heartbeat, any error). `States.ALL`
 * matches everything; `States.TaskFailed` everything but `States.Timeout`.
 */
export const STATES_ERRORS = [
  'States.ALL',
  'States.TaskFailed',
  'States.Timeout',
  'States.HeartbeatTimeout',
] as const;

/**
 * Lambda service errors the lambda:invoke integration raises when the invocation itself fails
 * (not the handler): the transient ones the workflow retries, AWS's recommended four (Step
 * Functions' "Handle Lambda service exceptions") and the throttling one.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Every error name the workflow may see: the ASL may use these and no other. */
export function workflowErrorNames(): Set<string> {
  const classNames = Object.values(WORKFLOW_ERRORS).map((ErrorClass) => new ErrorClass('').name);
  return new Set([...classNames, ...STATES_ERRORS, ...LAMBDA_SERVICE_ERRORS]);
}
