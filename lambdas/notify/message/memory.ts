/**
 * What the notifier remembers of recent executions: the phases each reached, to skip a polling
 * phase's repeats and to name the failing step (a status change event does not say which step
 * failed). In memory only: on Lambda a cold start forgets it, and the messages then say less
 * (the failure points to the execution's page instead of naming the step) but are still sent.
 */
import { REPEATING_PHASES } from './phases.js';

/** The error path of the workflow: TearDownAfterError then VerdictAfterError, each announcing its phase. */
const ERROR_PATH = ['tear-down', 'verdict'] as const;
const MAX_PHASES_KEPT = 64;
const DEFAULT_MAX_EXECUTIONS = 100;

export class ExecutionMemory {
  private readonly phases = new Map<string, string[]>();

  constructor(private readonly maxExecutions = DEFAULT_MAX_EXECUTIONS) {}

  /** Forgets an execution's phases: it started, or a redrive starts it again from its failed step. */
  reset(executionArn: string): void {
    this.phases.delete(executionArn);
  }

  /** Records that `executionArn` reached `phase`; `repeated` when a polling phase comes again in a row. */
  notePhase(executionArn: string, phase: string): { repeated: boolean } {
    let seen = this.phases.get(executionArn);
    if (!seen) {
      seen = [];
      this.phases.set(executionArn, seen);
      this.evictOldest();
    }
    const repeated = seen.at(-1) === phase && REPEATING_PHASES.has(phase);
    if (!repeated) {
      seen.push(phase);
      if (seen.length > MAX_PHASES_KEPT) seen.shift();
    }
    return { repeated };
  }

  /**
   * The step an execution failed in: its last phase, once the error path's tear-down and verdict
   * (which run after any failure) are set aside. Undefined when no phase of it was seen.
   */
  failingStepOf(executionArn: string): string | undefined {
    const seen = this.phases.get(executionArn) ?? [];
    const tail = seen.slice(-ERROR_PATH.length);
    const onErrorPath = seen.length > ERROR_PATH.length && tail.every((phase, i) => phase === ERROR_PATH[i]);
    return (onErrorPath ? seen.slice(0, -ERROR_PATH.length) : seen).at(-1);
  }

  private evictOldest(): void {
    // A Map iterates in insertion order: the first key is the execution heard of longest ago.
    while (this.phases.size > this.maxExecutions) {
      const oldest = this.phases.keys().next().value;
      if (oldest === undefined) return;
      this.phases.delete(oldest);
    }
  }
}
