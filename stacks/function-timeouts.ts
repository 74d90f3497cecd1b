/**
 * Lambda timeouts derived from what bounds each handler: the workflow's task TimeoutSeconds (a
 * function should end, with its own error, before its state gives up) and the lab configuration.
 */
import type { LabConfig } from '../lab/config.js';
import { labTimings } from '../lab/timings.js';
import { DRAIN_WAIT_SECONDS, HEALTHY_WAIT_SECONDS } from '../lambdas/on-scaling-event/lifecycle.js';

/** Lambda's ceiling. */
export const MAX_LAMBDA_SECONDS = 900;
/** A callback task's function only parks its token and looks once; the wait is not its own. */
export const CALLBACK_FUNCTION_SECONDS = 60;
/** Room left between the function's end and its state's TimeoutSeconds. */
const MARGIN_SECONDS = 5;
const MIN_SECONDS = 10;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every state of a definition, nested ones (Parallel branches, Map processors) included. */
function allStates(machine: Json): Json[] {
  const states = isRecord(machine.States) ? Object.values(machine.States).filter(isRecord) : [];
  return states.flatMap((state) => [
    state,
    ...(Array.isArray(state.Branches) ? state.Branches.filter(isRecord).flatMap(allStates) : []),
    ...(isRecord(state.ItemProcessor) ? allStates(state.ItemProcessor) : []),
    ...(isRecord(state.Iterator) ? allStates(state.Iterator) : []),
  ]);
}

/**
 * For each `${Name}` function placeholder of an ASL definition: its Lambda timeout in seconds.
 * Plain invocations get the smallest TimeoutSeconds of their tasks less a margin; functions
 * only used by `.waitForTaskToken` tasks get {@link CALLBACK_FUNCTION_SECONDS}.
 */
export function workflowFunctionTimeouts(definition: string): Map<string, number> {
  const timeouts = new Map<string, number>();
  for (const state of allStates(JSON.parse(definition) as Json)) {
    const parameters = isRecord(state.Parameters) ? state.Parameters : {};
    const name = /^\$\{(\w+)\}$/.exec(String(parameters.FunctionName ?? ''))?.[1];
    if (state.Type !== 'Task' || !name) continue;
    const callback = String(state.Resource).endsWith('.waitForTaskToken');
    const seconds = callback
      ? CALLBACK_FUNCTION_SECONDS
      : Math.max(MIN_SECONDS, Number(state.TimeoutSeconds ?? MAX_LAMBDA_SECONDS) - MARGIN_SECONDS);
    timeouts.set(name, Math.min(MAX_LAMBDA_SECONDS, seconds, timeouts.get(name) ?? MAX_LAMBDA_SECONDS));
  }
  return timeouts;
}

/**
 * on-scaling-event may poll target health for the observer's healthPollSeconds after a launch
 * (the same sum arm-observer stores: boot, healthy checks, one timeout), look for the launched
 * instance to turn healthy (HEALTHY_WAIT_SECONDS, side by side with the poll) and wait for a
 * terminating instance to drain (DRAIN_WAIT_SECONDS), plus a minute.
 */
export function scalingEventFunctionTimeout(config: LabConfig): number {
  const { healthCheck } = config;
  const poll =
    labTimings(config).bootUpperSeconds +
    healthCheck.healthyThresholdCount * healthCheck.intervalSeconds +
    healthCheck.timeoutSeconds;
  return Math.min(MAX_LAMBDA_SECONDS, Math.max(poll, HEALTHY_WAIT_SECONDS, DRAIN_WAIT_SECONDS) + 60);
}
