/**
 * The loop that acts for the local bus: delivers each (event, target) pair on its own, retries
 * failures with exponential backoff through the Clock, and lets callers wait for or cancel it all.
 */
import type { Clock, ClockTimer } from '../clock.js';
import { DeliveryTimeoutError, EventBusValidationError } from './errors.js';
import type { DeliveryFailure, EventBridgeEvent, LocalTarget, RetryPolicy } from './types.js';

/** AWS's default retry policy for a rule target: 185 retries, events up to 24 hours old. */
export const AWS_DEFAULT_RETRY_POLICY = {
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
} as const;

/**
 * The local bus's retry policy (assumption: AWS's 185 retries / 24 h scaled down so a failing
 * target gives up within minutes of simulated time). Backoff is deterministic, without AWS's
 * jitter, so tests can count attempts: 1, 2, 4, 8, 16, 32, 60, 60 simulated seconds.
 */
export const LOCAL_RETRY_POLICY: RetryPolicy = Object.freeze({
  maximumRetryAttempts: 8,
  maximumEventAgeSeconds: 600,
  initialDelaySeconds: 1,
  maxDelaySeconds: 60,
  attemptTimeoutMs: 30_000,
});

/** Throws when a retry policy is outside what the bus can honour. */
export function validateRetryPolicy(policy: RetryPolicy): void {
  const fields: [keyof RetryPolicy, number][] = [
    ['maximumRetryAttempts', 0],
    ['maximumEventAgeSeconds', 0],
    ['initialDelaySeconds', 0],
    ['maxDelaySeconds', 0],
    ['attemptTimeoutMs', 1],
  ];
  for (const [field, min] of fields) {
    const value = policy[field];
    if (!Number.isFinite(value) || value < min) {
      throw new EventBusValidationError(
        `retry policy ${field} must be a number >= ${min}, got ${String(value)}`,
      );
    }
  }
  if (!Number.isInteger(policy.maximumRetryAttempts)) {
    throw new EventBusValidationError('retry policy maximumRetryAttempts must be an integer');
  }
}

/** Simulated seconds to wait before retry number `retry` (1-based). */
export function retryDelaySeconds(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.initialDelaySeconds * 2 ** (retry - 1), policy.maxDelaySeconds);
}

export interface DeliveryQueueOptions {
  clock: Clock;
  policy: RetryPolicy;
  /** Called once per delivery that gives up (AWS would send it to the target's DLQ). */
  onFailure: (failure: DeliveryFailure) => void;
}

interface Delivery {
  ruleName: string;
  target: LocalTarget;
  event: EventBridgeEvent;
  /** Simulated epoch ms when the event was put, for the maximum event age. */
  putAt: number;
  attempts: number;
  timer?: ClockTimer;
  resolve: () => void;
}

export class DeliveryQueue {
  private readonly pending = new Set<Delivery>();
  private readonly settled = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: DeliveryQueueOptions) {}

  /** Starts delivering `event` to `target` on a later turn of the event loop, never synchronously. */
  enqueue(ruleName: string, target: LocalTarget, event: EventBridgeEvent): void {
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    const delivery: Delivery = {
      ruleName,
      target,
      event,
      putAt: this.options.clock.now(),
      attempts: 0,
      resolve,
    };
    this.pending.add(delivery);
    this.settled.add(done);
    done.then(() => this.settled.delete(done));
    setImmediate(() => this.attempt(delivery));
  }

  /** Number of deliveries not yet delivered or given up. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves once every delivery (including ones enqueued meanwhile and waiting retries) is settled. */
  async drain(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled]);
  }

  /** Cancels every waiting retry (no timers left); deliveries in flight finish their current attempt. */
  close(): void {
    this.closed = true;
    for (const delivery of this.pending) {
      if (delivery.timer) {
        delivery.timer.cancel();
        this.giveUp(delivery, new Error('event bus closed'), 'bus-closed');
      }
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.timer = undefined;
    if (this.closed && delivery.attempts > 0)
      return this.giveUp(delivery, new Error('event bus closed'), 'bus-closed');
    delivery.attempts += 1;
    try {
      await this.callWithTimeout(delivery);
      this.finish(delivery);
    } catch (error) {
      this.retryOrGiveUp(delivery, error);
    }
  }

  private async callWithTimeout(delivery: Delivery): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const limit = this.options.policy.attemptTimeoutMs;
    const timedOut = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => {
        reject(new DeliveryTimeoutError(`target ${delivery.target.id} did not settle within ${limit} ms`));
      }, limit);
    });
    try {
      // Promise.resolve().then keeps a synchronous throw in the handler an ordinary failed attempt.
      await Promise.race([Promise.resolve().then(() => delivery.target.handler(delivery.event)), timedOut]);
    } finally {
      clearTimeout(timeout);
    }
  }

  private retryOrGiveUp(delivery: Delivery, error: unknown): void {
    const { clock, policy } = this.options;
    const retry = delivery.attempts;
    const delay = retryDelaySeconds(policy, retry);
    const ageAtRetry = (clock.now() - delivery.putAt) / 1000 + delay;
    if (this.closed) this.giveUp(delivery, error, 'bus-closed');
    else if (retry > policy.maximumRetryAttempts) this.giveUp(delivery, error, 'retries-exhausted');
    else if (ageAtRetry > policy.maximumEventAgeSeconds) this.giveUp(delivery, error, 'event-too-old');
    else delivery.timer = clock.setTimeout(() => void this.attempt(delivery), delay);
  }

  private giveUp(delivery: Delivery, error: unknown, reason: DeliveryFailure['reason']): void {
    if (!this.pending.has(delivery)) return;
    const { ruleName, target, event, attempts } = delivery;
    this.finish(delivery);
    this.options.onFailure({ ruleName, targetId: target.id, event, attempts, error, reason });
  }

  private finish(delivery: Delivery): void {
    this.pending.delete(delivery);
    delivery.resolve();
  }
}
