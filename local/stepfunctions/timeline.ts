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
  return { phases, failure: failedStep(phases.slice(attemptStart), executionFailure), attemptStart };
}

/** The failed step of the latest attempt: an earlier attempt's failure was redriven past. */
function failedStep(phases: Phase[], execution: FailedStep | undefined): FailedStep | undefined {
  const failed = [...phases].reverse().find((phase) => phase.error !== undefined && phase.type !== 'Fail');
  if (failed) return { state: failed.name, error: failed.error, cause: failed.cause };
  if (!execution) return undefined;
  const last = phases.at(-1);
  return { state: last?.name, ...execution };
}
