/**
 * The notifier as a target of the local bus. The handler only queues the event and returns at
 * once: delivery runs off the lab's path, one message at a time so Slack shows them in order,
 * each within its delivery bound, so a dead webhook can neither fail nor slow the lab. close()
 * gives the queue a grace period, then abandons what is left.
 */
import type { LogSink } from '../middy/structured-logging.js';
import { NOTIFY_STEP, type NotifyResult, run } from './core.js';
import { type DeliveryOptions, deliveryOptions } from './delivery/deliver.js';
import { describeError, redactorFor } from './delivery/redact.js';
import { parseNotifyEvent } from './event/event.js';
import type { EvidenceLink } from './message/evidence-link.js';
import { ExecutionMemory } from './message/memory.js';

/** Local delivery: a few quick retries, a few seconds at most per message. */
export const LOCAL_DELIVERY: DeliveryOptions = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  attemptTimeoutMs: 2_000,
  totalTimeoutMs: 5_000,
};

/** Messages waiting beyond this are dropped: a dead webhook must not grow the queue without bound. */
export const DEFAULT_MAX_QUEUED = 100;

export interface LocalNotifyTargetOptions {
  /** `SLACK_WEBHOOK_URL`; without it the messages only go to the outbox file. */
  webhookUrl?: string;
  /** The run folder's `notifications.jsonl`. */
  outboxFile: string;
  /** Locally: the run folder, see localRunFolderLink. */
  evidenceLink: EvidenceLink;
  fetch?: typeof fetch;
  log: LogSink;
  delivery?: Partial<DeliveryOptions>;
  maxQueued?: number;
  /** The bus target id. */
  id?: string;
}

/** A local bus target (`{ id, handler }`) that also reports and ends its deliveries. */
export interface LocalNotifyTarget {
  readonly id: string;
  /** Queues the event and returns at once; never throws. */
  handler(event: unknown): void;
  /** Resolves once every message queued so far is delivered, refused or given up. */
  flush(): Promise<void>;
  /** Stops taking events, waits up to `graceMs` for the queue, then abandons the rest. */
  close(graceMs?: number): Promise<void>;
  /** What became of each event, in order. */
  readonly results: readonly NotifyResult[];
}

/** The notifier for the local bus; the lead wires it as a target of NOTIFY_EVENT_PATTERN's rule. */
export function localNotifyTarget(options: LocalNotifyTargetOptions): LocalNotifyTarget {
  const abort = new AbortController();
  const memory = new ExecutionMemory();
  const redact = redactorFor(options.webhookUrl);
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const delivery: DeliveryOptions = {
    ...deliveryOptions(LOCAL_DELIVERY, options.delivery, options.fetch),
    signal: abort.signal,
  };
  const results: NotifyResult[] = [];
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let closed = false;
  let dropped = 0;

  function warn(message: string, extra: Record<string, unknown> = {}): void {
    options.log(redact(JSON.stringify({ level: 'warn', step: NOTIFY_STEP, message, ...extra })));
  }

  async function deliver(event: unknown): Promise<void> {
    try {
      if (abort.signal.aborted) {
        dropped += 1;
        return;
      }
      const result = await run(parseNotifyEvent(event), {
        webhookUrl: options.webhookUrl,
        outboxFile: options.outboxFile,
        evidenceLink: options.evidenceLink,
        memory,
        delivery,
        log: options.log,
      });
      results.push(result);
    } catch (error) {
      warn('event not notified', { error: describeError(error) });
    } finally {
      queued -= 1;
    }
  }

  function handler(event: unknown): void {
    if (closed) {
      warn('event after close not notified');
      return;
    }
    if (queued >= maxQueued) {
      warn('notification queue full: event dropped', { maxQueued });
      return;
    }
    queued += 1;
    queue = queue.then(() => deliver(event));
  }

  async function flush(): Promise<void> {
    let current: Promise<void>;
    do {
      current = queue;
      await current;
    } while (current !== queue);
  }

  async function close(graceMs = 0): Promise<void> {
    closed = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([flush(), grace]);
    clearTimeout(timer);
    abort.abort();
    await flush();
    if (dropped > 0) warn('notifications abandoned at close', { abandoned: dropped });
  }

  return { id: options.id ?? 'notify-slack', handler, flush, close, results };
}
