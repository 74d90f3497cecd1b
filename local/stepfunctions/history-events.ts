/**
 * Translation from the interpreter's event log to AWS history events, and the reverse question a
 * redrive asks of a history: which top-level state did not finish, and with what input.
 */
import type { HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';
import type { AslMachine } from './definition.js';
import type { HistoryLog, LocalHistoryEvent } from './history.js';

/** One event of the interpreter's `eventLogs`. */
export type InterpreterEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const ENTERED: Record<string, HistoryEventType> = {
  Task: 'TaskStateEntered',
  Pass: 'PassStateEntered',
  Wait: 'WaitStateEntered',
  Choice: 'ChoiceStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
  Map: 'MapStateEntered',
  Parallel: 'ParallelStateEntered',
};

// Fail states have no exit event on AWS: the execution fails from inside them.
const EXITED: Record<string, HistoryEventType> = {
  Task: 'TaskStateExited',
  Pass: 'PassStateExited',
  Wait: 'WaitStateExited',
  Choice: 'ChoiceStateExited',
  Succeed: 'SucceedStateExited',
  Map: 'MapStateExited',
  Parallel: 'ParallelStateExited',
};

const TIMEOUT_ERRORS = new Set(['States.Timeout', 'States.HeartbeatTimeout']);

function causeText(cause: unknown): string {
  return typeof cause === 'string' ? cause : JSON.stringify(cause ?? '');
}

/**
 * Appends the AWS history events that one interpreter event stands for. `types` gives each
 * state's type in the original definition (a Clock-driven Wait runs as a Task but is a Wait).
 */
export function recordInterpreterEvent(
  event: InterpreterEvent,
  types: ReadonlyMap<string, string>,
  history: HistoryLog,
): void {
  switch (event.type) {
    case 'StateEntered': {
      const type = ENTERED[types.get(event.state.name) ?? event.state.type];
      const details = {
        name: event.state.name,
        input: JSON.stringify(event.state.input),
        inputDetails: { truncated: false },
      };
      if (type) history.append({ type, stateEnteredEventDetails: details }, event.timestamp);
      return;
    }
    case 'StateExited': {
      const type = EXITED[types.get(event.state.name) ?? event.state.type];
      const details = {
        name: event.state.name,
        output: JSON.stringify(event.state.output ?? null),
        outputDetails: { truncated: false },
      };
      if (type) history.append({ type, stateExitedEventDetails: details }, event.timestamp);
      return;
    }
    case 'StateFailed':
      recordStateFailed(event, types, history);
      return;
    case 'StateRetried':
      history.annotateNext({
        retried: {
          state: event.state.name,
          errorEquals: event.retry.retrier.ErrorEquals,
          attempt: event.retry.attempt,
        },
      });
      return;
    case 'StateCaught':
      history.annotateNext({
        caught: {
          state: event.state.name,
          errorEquals: event.catch.catcher.ErrorEquals,
          next: event.catch.catcher.Next,
        },
      });
      return;
    case 'MapIterationStarted':
      history.append(
        {
          type: 'MapIterationStarted',
          mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index },
        },
        event.timestamp,
      );
      return;
    case 'MapIterationSucceeded':
      history.append(
        {
          type: 'MapIterationSucceeded',
          mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index },
        },
        event.timestamp,
      );
      return;
    case 'MapIterationFailed':
      history.append(
        {
          type: 'MapIterationFailed',
          mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index },
        },
        event.timestamp,
      );
      return;
    default:
      // Execution-level events are written by the runner from the run's result; Parallel
      // branch events have no AWS counterpart.
      return;
  }
}

function recordStateFailed(
  event: Extract<InterpreterEvent, { type: 'StateFailed' }>,
  types: ReadonlyMap<string, string>,
  history: HistoryLog,
): void {
  const type = types.get(event.state.name) ?? event.state.type;
  const error = String(event.Error);
  const cause = causeText(event.Cause);
  if (type === 'Task') {
    const resource = { resourceType: 'lambda', resource: 'invoke', error, cause };
    if (TIMEOUT_ERRORS.has(error))
      history.append({ type: 'TaskTimedOut', taskTimedOutEventDetails: resource }, event.timestamp);
    else history.append({ type: 'TaskFailed', taskFailedEventDetails: resource }, event.timestamp);
  } else if (type === 'Map') {
    history.append({ type: 'MapStateFailed' }, event.timestamp);
  } else if (type === 'Parallel') {
    history.append({ type: 'ParallelStateFailed' }, event.timestamp);
  }
}

/** Where a redrive restarts: a top-level state and the input it is run with. */
export interface RedrivePoint {
  state: string;
  input: unknown;
}

function parseOr(text: string | undefined, fallback: unknown): unknown {
  try {
    return text === undefined ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

/**
 * The unsuccessful top-level state of a history: the last top-level state entered and not exited,
 * with its recorded input. States that succeeded before it are not rerun. A crash between one
 * state's exit and the next entry restarts at the exited state's Next with its output.
 */
export function redrivePoint(
  events: LocalHistoryEvent[],
  machine: AslMachine,
  executionInput: unknown,
): RedrivePoint {
  for (let i = events.length - 1; i >= 0; i--) {
    const entered = events[i]?.stateEnteredEventDetails;
    if (!entered?.name || !(entered.name in machine.States)) continue;
    const exit = events.slice(i + 1).find((e) => e.stateExitedEventDetails?.name === entered.name);
    const state = machine.States[entered.name];
    const next = state?.Next;
    if (exit && typeof next === 'string' && state?.Type !== 'Choice') {
      return { state: next, input: parseOr(exit.stateExitedEventDetails?.output, null) };
    }
    return { state: entered.name, input: parseOr(entered.input, null) };
  }
  return { state: machine.StartAt, input: executionInput };
}
