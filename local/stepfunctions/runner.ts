/**
 * Runs one attempt of an execution (its start, or a redrive) on aws-local-stepfunctions: builds
 * the scaled copy and the task handlers, streams the interpreter's events into the history, and
 * settles the record when the run ends or is stopped.
 */
import {
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { Clock } from '../clock.js';
import { type AslMachine, stateTypes } from './definition.js';
import { HistoryLog, type LocalHistoryEvent } from './history.js';
import { recordInterpreterEvent } from './history-events.js';
import { installPromiseWithResolvers } from './polyfill.js';
import { clockWaitStates, prepareForRun } from './scaling.js';
import type { ExecutionRecord } from './store.js';
import { type TaskHandler, taskOverrides } from './tasks.js';
import type { TaskTokens } from './tokens.js';

installPromiseWithResolvers();

/** What a runner needs from the service. */
export interface RunnerDeps {
  clock: Clock;
  tokens: TaskTokens;
  historyFile: string;
  handlerFor(functionName: string): TaskHandler | undefined;
  /** Persists the record and announces the status change; called on every status change. */
  onStatusChange(record: ExecutionRecord): void;
  /** Told of every history event this attempt appends, once written. */
  onHistoryEvent?(executionArn: string, event: LocalHistoryEvent): void;
}

/** Where this attempt starts: the whole machine, or a redrive from one state. */
export interface RunStart {
  input: unknown;
  startAt?: string;
}

type Outcome = { ok: true; output: unknown } | { ok: false; error: unknown };

/** Error and cause of a failed run, as ExecutionFailed reports them. */
function failureOf(error: unknown): { error: string; cause: string } {
  const root = error instanceof ExecutionError ? error.cause : error;
  if (root instanceof Error) {
    const cause = (root as Error & { cause?: unknown }).cause;
    return { error: root.name, cause: typeof cause === 'string' ? cause : root.message };
  }
  return { error: 'States.Runtime', cause: String(root) };
}

export class ExecutionRunner {
  private ended: Promise<void> = Promise.resolve();
  private readonly history: HistoryLog;
  private readonly abortController = new AbortController();
  private abortRun: (() => void) | undefined;
  private active = true;

  constructor(
    readonly record: ExecutionRecord,
    private readonly machine: AslMachine,
    private readonly deps: RunnerDeps,
  ) {
    this.history = new HistoryLog(deps.historyFile, deps.clock, (event) =>
      deps.onHistoryEvent?.(record.executionArn, event),
    );
  }

  /** Appends the opening event (ExecutionStarted or ExecutionRedriven) and starts the run. */
  start(start: RunStart, redriven: boolean): Promise<void> {
    if (redriven) {
      this.history.append({
        type: 'ExecutionRedriven',
        executionRedrivenEventDetails: { redriveCount: this.record.redriveCount },
      });
    } else {
      this.history.append({
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: this.record.input, inputDetails: { truncated: false } },
      });
    }
    this.deps.onStatusChange(this.record);
    this.ended = this.run(start).catch((error: unknown) => this.settle({ ok: false, error }));
    return this.ended;
  }

  /** StopExecution: ends the run now as ABORTED with the caller's error and cause. */
  stop(error: string | undefined, cause: string | undefined): void {
    if (!this.halt()) return;
    this.finish('ABORTED', { error, cause });
    this.history.append({ type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } });
    this.history.close();
    this.deps.onStatusChange(this.record);
  }

  /** Resolves once the attempt has ended (settled, stopped or closed); never rejects. */
  get done(): Promise<void> {
    return this.ended;
  }

  get isActive(): boolean {
    return this.active;
  }

  private halt(): boolean {
    if (!this.active) return false;
    this.active = false;
    this.abortController.abort(new Error('execution stopped'));
    this.abortRun?.();
    this.deps.tokens.invalidateExecution(this.record.executionArn);
    return true;
  }

  private async run(start: RunStart): Promise<void> {
    const { clock, tokens } = this.deps;
    const executionArn = this.record.executionArn;
    const clockWaits = clockWaitStates(this.machine);
    const overrides = taskOverrides(this.machine, clockWaits, {
      executionArn,
      clock,
      tokens,
      history: this.history,
      signal: this.abortController.signal,
      isActive: () => this.active,
      handlerFor: (name) => this.deps.handlerFor(name),
    });
    const runnable = prepareForRun(this.machine, clock.scale, start.startAt);
    const interpreter = new StateMachine(runnable as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    const execution = interpreter.run(start.input as Parameters<StateMachine['run']>[0], {
      overrides: { taskResourceLocalHandlers: overrides },
      noThrowOnAbort: true,
      // The interpreter copies this object shallowly, so the Task getter survives and mints a
      // fresh token each time a state reads $$.Task.Token.
      context: {
        Execution: { Id: executionArn, Name: this.record.name },
        StateMachine: { Id: this.record.stateMachineArn, Name: this.record.stateMachineName },
        Task: {
          get Token(): string {
            return tokens.mint(executionArn);
          },
        },
      },
    });
    this.abortRun = execution.abort;
    const outcome = execution.result.then(
      (output): Outcome => ({ ok: true, output }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    const types = stateTypes(this.machine);
    for await (const event of execution.eventLogs) {
      if (this.active) recordInterpreterEvent(event, types, this.history);
    }
    this.settle(await outcome);
  }

  private settle(outcome: Outcome): void {
    if (!this.active) return;
    this.active = false;
    // Tasks still pending in aborted Parallel branches or Map iterations, or cut off by the
    // execution timeout, settle now so their timers end with the execution.
    this.abortController.abort(new Error('execution ended'));
    this.deps.tokens.invalidateExecution(this.record.executionArn);
    if (outcome.ok) {
      const output = JSON.stringify(outcome.output ?? null);
      this.finish('SUCCEEDED', { output });
      this.history.append({
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output, outputDetails: { truncated: false } },
      });
    } else if (outcome.error instanceof ExecutionTimeoutError) {
      const failure = {
        error: 'States.Timeout',
        cause: 'The execution ran longer than the state machine TimeoutSeconds',
      };
      this.finish('TIMED_OUT', failure);
      this.history.append({ type: 'ExecutionTimedOut', executionTimedOutEventDetails: failure });
    } else {
      const failure = failureOf(outcome.error);
      this.finish('FAILED', failure);
      this.history.append({ type: 'ExecutionFailed', executionFailedEventDetails: failure });
    }
    this.history.close();
    this.deps.onStatusChange(this.record);
  }

  private finish(
    status: ExecutionRecord['status'],
    result: { output?: string; error?: string; cause?: string },
  ): void {
    this.record.status = status;
    this.record.stopDate = new Date(this.deps.clock.now()).toISOString();
    this.record.realStopDate = new Date().toISOString();
    if (result.output !== undefined) this.record.output = result.output;
    if (result.error !== undefined) this.record.error = result.error;
    if (result.cause !== undefined) this.record.cause = result.cause;
  }

  /** The service is closing: abort the run and release timers, recording `cause` as ABORTED. */
  close(cause: string): void {
    this.stop('States.Runtime', cause);
  }
}
