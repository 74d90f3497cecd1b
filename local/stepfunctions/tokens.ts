/**
 * Task tokens of `.waitForTaskToken` tasks: minted when `$$.Task.Token` is read, waited on by the
 * task, completed by SendTaskSuccess / SendTaskFailure, kept alive by SendTaskHeartbeat.
 * HeartbeatSeconds is enforced here; TimeoutSeconds is enforced by tasks.ts on the Clock (with the
 * interpreter's own States.Timeout, which States.TaskFailed does not match) and only retires the
 * token here.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, ClockTimer } from '../clock.js';
import { InvalidOutput, InvalidToken, TaskDoesNotExist, TaskError, TaskTimedOut } from './errors.js';

const TOKEN_PREFIX = 'SFNLOCAL';
const TOKEN_PATTERN = /^SFNLOCAL[A-Za-z0-9_-]{64}$/;
// Retired tokens are remembered so a late call gets TaskTimedOut / TaskDoesNotExist, not
// InvalidToken; the oldest are forgotten first.
const MAX_RETIRED = 10_000;

interface PendingTask {
  executionArn: string;
  heartbeatSeconds: number;
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeatTimer: ClockTimer;
  timeoutTimer: ClockTimer;
}

/** Durations of one callback task, in simulated seconds. */
export interface TokenWaitOptions {
  heartbeatSeconds: number;
  timeoutSeconds: number;
}

export class TaskTokens {
  private readonly minted = new Map<string, string>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly retired = new Map<string, 'completed' | 'timed-out'>();

  constructor(private readonly clock: Clock) {}

  /** A fresh token for a task of `executionArn`. */
  mint(executionArn: string): string {
    const token = `${TOKEN_PREFIX}${randomBytes(48).toString('base64url')}`;
    this.minted.set(token, executionArn);
    return token;
  }

  /** The first token minted for `executionArn` found anywhere inside `value` (the task's payload). */
  findToken(value: unknown, executionArn: string): string | undefined {
    if (typeof value === 'string') return this.minted.get(value) === executionArn ? value : undefined;
    const children = Array.isArray(value)
      ? value
      : typeof value === 'object' && value !== null
        ? Object.values(value)
        : [];
    for (const child of children) {
      const token = this.findToken(child, executionArn);
      if (token !== undefined) return token;
    }
    return undefined;
  }

  /** Resolves with the output sent by SendTaskSuccess; rejects on failure or heartbeat timeout. */
  wait(token: string, executionArn: string, options: TokenWaitOptions): Promise<unknown> {
    this.minted.delete(token);
    return new Promise((resolve, reject) => {
      const onHeartbeatTimeout = (): void => {
        this.retire(token, 'timed-out');
        reject(new TaskError('States.HeartbeatTimeout', `no heartbeat within ${options.heartbeatSeconds} s`));
      };
      const onTimeout = (): void => this.retire(token, 'timed-out');
      this.pending.set(token, {
        executionArn,
        heartbeatSeconds: options.heartbeatSeconds,
        resolve,
        reject,
        heartbeatTimer: this.clock.setTimeout(onHeartbeatTimeout, this.capped(options.heartbeatSeconds)),
        timeoutTimer: this.clock.setTimeout(onTimeout, this.capped(options.timeoutSeconds)),
      });
    });
  }

  /** Forgets a token whose task ended another way (its handler threw, the state was left). */
  cancel(token: string): void {
    this.retire(token, 'completed');
  }

  succeed(token: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch (error) {
      throw new InvalidOutput(`Invalid Output: the output is not valid JSON (${String(error)})`, {
        cause: error,
      });
    }
    const task = this.take(token);
    task.resolve(parsed);
  }

  fail(token: string, error: string | undefined, cause: string | undefined): void {
    const task = this.take(token);
    task.reject(new TaskError(error ?? 'States.TaskFailed', cause ?? ''));
  }

  heartbeat(token: string): void {
    const task = this.lookup(token);
    task.heartbeatTimer.cancel();
    task.heartbeatTimer = this.clock.setTimeout(() => {
      this.retire(token, 'timed-out');
      task.reject(new TaskError('States.HeartbeatTimeout', `no heartbeat within ${task.heartbeatSeconds} s`));
    }, this.capped(task.heartbeatSeconds));
  }

  /** Retires every token of a stopped or finished execution: later calls get TaskDoesNotExist. */
  invalidateExecution(executionArn: string): void {
    for (const [token, owner] of this.minted) if (owner === executionArn) this.retire(token, 'completed');
    for (const [token, task] of this.pending)
      if (task.executionArn === executionArn) this.retire(token, 'completed');
  }

  /** Cancels every timer; pending tasks stay unsettled (their executions are being stopped). */
  close(): void {
    for (const token of [...this.pending.keys(), ...this.minted.keys()]) this.retire(token, 'completed');
  }

  private capped(simSeconds: number): number {
    return Math.min(simSeconds, this.clock.toSimSeconds(2_147_483_000));
  }

  private lookup(token: string): PendingTask {
    if (!TOKEN_PATTERN.test(token)) throw new InvalidToken('Invalid Token: the task token is malformed');
    const task = this.pending.get(token);
    if (task) return task;
    if (this.retired.get(token) === 'timed-out')
      throw new TaskTimedOut('Task Timed Out: the task has already timed out');
    throw new TaskDoesNotExist('Task Does Not Exist: no running task has this token');
  }

  private take(token: string): PendingTask {
    const task = this.lookup(token);
    this.retire(token, 'completed');
    return task;
  }

  private retire(token: string, how: 'completed' | 'timed-out'): void {
    const task = this.pending.get(token);
    task?.heartbeatTimer.cancel();
    task?.timeoutTimer.cancel();
    this.pending.delete(token);
    this.minted.delete(token);
    this.retired.set(token, how);
    if (this.retired.size > MAX_RETIRED) {
      const oldest = this.retired.keys().next().value;
      if (oldest !== undefined) this.retired.delete(oldest);
    }
  }
}
