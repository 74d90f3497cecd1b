/**
 * An execution's history as the operator reads it: the top-level states it went through (the
 * lab's phases) with their durations, and the step that failed with its error and cause.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface Phase {
  name: string;
  /** The state type as the history names it: Task, Wait, Pass, Map, Fail… */
  type: string;
  enteredAt: Date;
  exitedAt?: Date;
  /** Seconds between entering and leaving, from the history's timestamps. */
  seconds?: number;
  /** Set while the state's last attempt ended in an error (a retry that succeeds clears it). */
  error?: string;
  cause?: string;
}

export interface FailedStep {
  state?: string;
  error?: string;
  cause?: string;
}

export interface Timeline {
  phases: Phase[];
  failure?: FailedStep;
  /** Index in `phases` of the first phase of the latest attempt (after the last redrive). */
  attemptStart: number;
}

/** The error and cause a failure event carries, whatever its type. */
function failureOf(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails ??
    event.lambdaFunctionFailedEventDetails;
  if (details) return { error: details.error, cause: details.cause };
  return event.type?.endsWith('Failed') || event.type?.endsWith('TimedOut') ? {} : undefined;
}

const NESTING = /^(Map|Parallel)State(Entered|Exited|Failed|Aborted|Succeeded)$/;

/** Builds the {@link Timeline} of a history (oldest first). */
export function timeline(events: readonly HistoryEvent[]): Timeline {
  const phases: Phase[] = [];
  let open: Phase | undefined;
  // States inside a Map or Parallel state belong to that phase, not to the top level.
  let depth = 0;
  let executionFailure: FailedStep | undefined;
  let attemptStart = 0;
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp ?? new Date(0);
    const nesting = NESTING.exec(type);
    if (type === 'ExecutionRedriven') {
      depth = 0;
      open = undefined;
      executionFailure = undefined;
      attemptStart = phases.length;
    } else if (type.endsWith('StateEntered')) {
      if (depth === 0) {
        open = {
          name: event.stateEnteredEventDetails?.name ?? '?',
          type: type.replace('StateEntered', ''),
          enteredAt: at,
        };
        phases.push(open);
      }
      if (nesting) depth += 1;
    } else if (type.endsWith('StateExited')) {
      if (nesting) depth = Math.max(0, depth - 1);
      if (depth === 0 && open) {
        open.exitedAt = at;
        open.seconds = (at.getTime() - open.enteredAt.getTime()) / 1000;
        open = undefined;
      }
    } else if (nesting && nesting[2] !== 'Entered') {
      depth = Math.max(0, depth - 1);
    } else if (type === 'TaskSucceeded' && open && depth === 0) {
      delete open.error;
      delete open.cause;
    }
    const failure = failureOf(event);
    if (!failure) continue;
    if (type.startsWith('Execution')) executionFailure = failure;
    else if (open) Object.assign(open, failure);
  }
  return { phases, failure: failedStep(phases, attemptStart, executionFailure), attemptStart };
}

/**
 * The failed step: the one whose error the execution failed with (a Fail state such as the lab's
 * LabFailed passes on the error a Catch caught), else the latest attempt's last failed step. A
 * redrive that restarts at such a Fail state fails again with an earlier attempt's error: the step
 * that raised it is still the failed one, not the Fail state. An earlier attempt's failure that a
 * redrive went past is history.
 */
function failedStep(
  phases: Phase[],
  attemptStart: number,
  execution: FailedStep | undefined,
): FailedStep | undefined {
  const failed = (phase: Phase): boolean => phase.error !== undefined && phase.type !== 'Fail';
  const raisedExecutionError = (phase: Phase): boolean =>
    failed(phase) && execution?.error !== undefined && phase.error === execution.error;
  const latest = phases.slice(attemptStart);
  const step =
    latest.findLast(raisedExecutionError) ??
    latest.findLast(failed) ??
    phases.slice(0, attemptStart).findLast(raisedExecutionError);
  if (step) return { state: step.name, error: step.error, cause: step.cause };
  if (!execution) return undefined;
  return { state: latest.at(-1)?.name, ...execution };
}
