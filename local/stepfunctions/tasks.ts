/**
 * The local side of Task states: what the interpreter calls (through
 * `overrides.taskResourceLocalHandlers`, keyed by state name) instead of AWS Lambda. It invokes
 * the local handler behind `FunctionName`, shapes the result as the lambda:invoke integration
 * does, waits on task tokens for `.waitForTaskToken`, and records the Task* history events.
 */
import type { RunOptions } from 'aws-local-stepfunctions';
import { LOCAL_REGION } from '../arn.js';
import type { Clock, ClockTimer } from '../clock.js';
import { type AslMachine, forEachState, isRecord, LAMBDA_INVOKE_CALLBACK } from './definition.js';
import { TaskError } from './errors.js';
import type { HistoryLog } from './history.js';
import { statesTimeoutError } from './states-timeout.js';
import type { TaskTokens } from './tokens.js';

/** A local stand-in for a Lambda function: receives the resolved Payload, returns the result. */
export type TaskHandler = (event: unknown) => Promise<unknown>;

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalHandler = LocalHandlers[string];
type JsonValue = Awaited<ReturnType<LocalHandler>>;

/** What the task functions of one execution need from the runner. */
export interface TaskContext {
  executionArn: string;
  clock: Clock;
  tokens: TaskTokens;
  history: HistoryLog;
  /** Aborted when the execution stops: ends Clock sleeps. */
  signal: AbortSignal;
  /** False once the execution stopped or the service closed: late results are not recorded. */
  isActive(): boolean;
  handlerFor(functionName: string): TaskHandler | undefined;
}

/** Lambda results are JSON on the wire; `undefined` becomes null as the Lambda runtime does. */
function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** A thrown error as the lambda:invoke integration reports it: the error's name, a JSON cause. */
function lambdaError(error: unknown): TaskError {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage }));
}

// The interpreter writes StateEntered to its event queue and calls the task in the same tick; one
// macrotask lets the runner drain that queue first so history events keep their order.
function afterQueuedEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const STOPPED = Symbol('stopped');

/** The resolution of the Date.now() readings history events are stamped from, in real ms. */
const DATE_NOW_RESOLUTION_MS = 1;

/**
 * Settles with STOPPED as soon as the execution stops. The interpreter's task timeout timer is only
 * cleared when the task settles, and abort() does not settle it; without this a stopped callback
 * task would keep a timer (up to TimeoutSeconds) alive after the service closed.
 */
function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof STOPPED> {
  if (signal.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(STOPPED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The interpreter's own States.Timeout once `timeoutSeconds` of simulated time have passed (AWS
 * counts a Task's TimeoutSeconds from its start). On the Clock, so time the clock holds does not
 * count; never when the state sets no TimeoutSeconds (AWS: no timeout).
 */
function taskTimeout(timeoutSeconds: number, ctx: TaskContext): { expired: Promise<never>; cancel(): void } {
  if (!Number.isFinite(timeoutSeconds)) return { expired: new Promise<never>(() => undefined), cancel() {} };
  let timer: ClockTimer | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = ctx.clock.setTimeout(() => void statesTimeoutError().then(reject, reject), timeoutSeconds);
  });
  // Raced against the task's work; rejected only if nothing else settled first.
  expired.catch(() => undefined);
  return { expired, cancel: () => timer?.cancel() };
}

function lambdaTask(state: Record<string, unknown>, ctx: TaskContext): LocalHandler {
  const isCallback = state.Resource === LAMBDA_INVOKE_CALLBACK;
  const resource = isCallback ? 'invoke.waitForTaskToken' : 'invoke';
  const timeoutSeconds = Number(state.TimeoutSeconds);
  const heartbeatSeconds = Number(state.HeartbeatSeconds);
  const details = { resourceType: 'lambda', resource };

  async function invokeHandler(functionName: unknown, payload: unknown): Promise<unknown> {
    const handler = typeof functionName === 'string' ? ctx.handlerFor(functionName) : undefined;
    if (!handler) {
      throw new TaskError(
        'Lambda.ResourceNotFoundException',
        JSON.stringify({
          errorType: 'ResourceNotFoundException',
          errorMessage: `Function not found: ${String(functionName)}`,
        }),
      );
    }
    try {
      return toJson(await handler(structuredClone(payload)));
    } catch (error) {
      throw lambdaError(error);
    }
  }

  return async function runLambdaTask(input: unknown): Promise<JsonValue> {
    const parameters = isRecord(input) ? input : {};
    // Read before yielding: the token minted for this task is in this payload.
    const token = isCallback
      ? (ctx.tokens.findToken(input, ctx.executionArn) ?? ctx.tokens.mint(ctx.executionArn))
      : undefined;
    await afterQueuedEvents();
    if (!ctx.isActive()) return null;
    ctx.history.append({
      type: 'TaskScheduled',
      taskScheduledEventDetails: {
        ...details,
        region: LOCAL_REGION,
        parameters: JSON.stringify(input),
        timeoutInSeconds: timeoutSeconds,
        heartbeatInSeconds: isCallback ? heartbeatSeconds : undefined,
      },
    });
    ctx.history.append({ type: 'TaskStarted', taskStartedEventDetails: details });
    const timeout = taskTimeout(timeoutSeconds, ctx);
    try {
      return await (token === undefined
        ? runToResult(parameters, timeout.expired)
        : runToCallback(parameters, token, timeout.expired));
    } finally {
      timeout.cancel();
    }
  };

  async function runToResult(
    parameters: Record<string, unknown>,
    expired: Promise<never>,
  ): Promise<JsonValue> {
    const result = await untilStopped(
      Promise.race([invokeHandler(parameters.FunctionName, parameters.Payload), expired]),
      ctx.signal,
    );
    if (result === STOPPED) return null;
    const output = { StatusCode: 200, Payload: result, ExecutedVersion: '$LATEST' };
    if (ctx.isActive()) {
      ctx.history.append({
        type: 'TaskSucceeded',
        taskSucceededEventDetails: { ...details, output: JSON.stringify(output) },
      });
    }
    return toJson(output);
  }

  async function runToCallback(
    parameters: Record<string, unknown>,
    token: string,
    expired: Promise<never>,
  ): Promise<JsonValue> {
    // Registered before the handler runs: a handler may complete its own token before returning.
    const completion = ctx.tokens.wait(token, ctx.executionArn, { heartbeatSeconds, timeoutSeconds });
    // It may fail (heartbeat timeout, SendTaskFailure) while the handler still runs; it is awaited below.
    completion.catch(function awaitedBelow() {});
    let submitted: unknown;
    try {
      submitted = await untilStopped(
        Promise.race([invokeHandler(parameters.FunctionName, parameters.Payload), expired]),
        ctx.signal,
      );
    } catch (error) {
      ctx.tokens.cancel(token);
      throw error;
    }
    if (submitted === STOPPED) return null;
    if (ctx.isActive()) {
      const output = JSON.stringify({ StatusCode: 200, Payload: submitted, ExecutedVersion: '$LATEST' });
      ctx.history.append({ type: 'TaskSubmitted', taskSubmittedEventDetails: { ...details, output } });
    }
    const output = await untilStopped(Promise.race([completion, expired]), ctx.signal);
    if (output === STOPPED) return null;
    if (ctx.isActive()) {
      ctx.history.append({
        type: 'TaskSucceeded',
        taskSucceededEventDetails: { ...details, output: JSON.stringify(output) },
      });
    }
    return toJson(output);
  }
}

/** A Wait run as a task (see scaling.ts): sleeps on the Clock, passes its input on. */
function clockWaitTask(stateName: string, ctx: TaskContext): LocalHandler {
  return async function runClockWait(input: unknown): Promise<JsonValue> {
    const seconds = isRecord(input) ? input.seconds : undefined;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new TaskError(
        'States.Runtime',
        `Wait state '${stateName}': SecondsPath must point to an integer >= 0`,
      );
    }
    try {
      // History stamps come from Date.now(), whole ms: one more real ms keeps a Wait from ever
      // showing shorter than its Seconds there, where one ms is a simulated second at scale 1000.
      await ctx.clock.sleep(seconds + ctx.clock.toSimSeconds(DATE_NOW_RESOLUTION_MS), ctx.signal);
    } catch {
      // The execution was stopped mid-wait; the interpreter has already been aborted.
      return null;
    }
    return toJson(isRecord(input) ? input.input : null);
  };
}

/** The local handlers for every Task (and Clock-driven Wait) state of `machine`, by state name. */
export function taskOverrides(
  machine: AslMachine,
  clockWaits: ReadonlySet<string>,
  ctx: TaskContext,
): LocalHandlers {
  const handlers: LocalHandlers = {};
  forEachState(machine, function addHandler(name, state) {
    if (clockWaits.has(name)) handlers[name] = clockWaitTask(name, ctx);
    else if (state.Type === 'Task') handlers[name] = lambdaTask(state, ctx);
  });
  return handlers;
}
