/**
 * Posting a message to a Slack incoming webhook: retried with exponential backoff on 429, 5xx
 * and network errors, honouring Retry-After, within a total time bound. It never throws: the
 * caller gets a result and decides (the Lambda handler rethrows a transient failure so Lambda's
 * asynchronous retries try again later; the local target only logs).
 */
import type { SlackMessage } from '../message/slack-message.js';
import { describeError, redactorFor } from './redact.js';

export interface DeliveryOptions {
  /** The fetch to use (tests, or undici); global fetch by default. */
  fetch?: typeof fetch;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles each retry (with jitter), up to maxDelayMs. */
  baseDelayMs: number;
  /** Cap on any one delay, Retry-After included. */
  maxDelayMs: number;
  /** How long one attempt may wait for Slack's answer. */
  attemptTimeoutMs?: number;
  /** Bound on the whole delivery, sleeps included: no attempt or sleep runs past it. */
  totalTimeoutMs?: number;
  /** Aborts the delivery (and the attempt in flight) early, e.g. when the lab closes. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter; Math.random by default. */
  random?: () => number;
  now?: () => number;
}

/** How a delivery ended. `error` is redacted: it never holds the webhook URL. */
export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status Slack answered, if it answered. */
  status?: number;
  /** Whether trying again later could help (429, 5xx, no answer) — false for a 4xx or success. */
  retryable: boolean;
  elapsedMs: number;
  error?: string;
}

/** Defaults for a Lambda: well inside a 30 s function timeout. */
export const LAMBDA_DELIVERY: DeliveryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 5_000,
  totalTimeoutMs: 20_000,
};

/**
 * A wrapper's delivery options: its `defaults` (LAMBDA_DELIVERY, LOCAL_DELIVERY), then the
 * caller's overrides, then a fetch given on its own (a handler option), which wins over both.
 */
export function deliveryOptions(
  defaults: DeliveryOptions,
  overrides: Partial<DeliveryOptions> = {},
  fetchImpl?: typeof fetch,
): DeliveryOptions {
  return { ...defaults, ...overrides, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
}

const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;
/** Slack's error bodies are a short word ("invalid_payload"); read no more than this much. */
const MAX_BODY_CHARS = 200;

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

interface AttemptOutcome {
  ok: boolean;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  error?: string;
}

async function readBody(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, MAX_BODY_CHARS);
  } catch {
    return '';
  }
}

/**
 * Posts `message` to the Slack incoming webhook `url` and reports how it went; never throws.
 * 2xx is success; 429 / 5xx / network errors / no answer within attemptTimeoutMs are retried
 * after a delay (Retry-After when Slack sends one, else exponential backoff with jitter, both
 * capped by maxDelayMs); any other 4xx is final (a revoked webhook, a bad payload).
 */
export async function postToSlack(
  url: string,
  message: SlackMessage,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const redact = redactorFor(url);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const started = now();
  const deadline = started + (options.totalTimeoutMs ?? Number.POSITIVE_INFINITY);
  const body = JSON.stringify(message);
  let outcome: AttemptOutcome = { ok: false, retryable: true, error: 'no attempt made' };
  let attempts = 0;

  async function attempt(): Promise<AttemptOutcome> {
    const remaining = deadline - now();
    const signals = [AbortSignal.timeout(Math.max(1, Math.min(attemptTimeoutMs, remaining)))];
    if (options.signal) signals.push(options.signal);
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any(signals),
        redirect: 'error',
      });
      const text = await readBody(response);
      if (response.ok) return { ok: true, retryable: false, status: response.status };
      return {
        ok: false,
        retryable: isRetryableStatus(response.status),
        status: response.status,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now()),
        error: redact(`Slack answered ${response.status}${text ? `: ${text}` : ''}`),
      };
    } catch (error) {
      return { ok: false, retryable: true, error: redact(describeError(error)) };
    }
  }

  function delayBefore(retry: number, previous: AttemptOutcome): number {
    if (previous.retryAfterMs !== undefined) return Math.min(previous.retryAfterMs, options.maxDelayMs);
    const exponential = Math.min(options.baseDelayMs * 2 ** (retry - 1), options.maxDelayMs);
    // Equal jitter: half fixed, half random, so retries from many senders do not line up.
    return exponential / 2 + (exponential / 2) * random();
  }

  while (attempts < options.maxAttempts && !options.signal?.aborted) {
    attempts += 1;
    outcome = await attempt();
    if (outcome.ok || !outcome.retryable || attempts >= options.maxAttempts) break;
    const delay = delayBefore(attempts, outcome);
    // A retry that could not finish before the bound is not worth starting.
    if (now() + delay >= deadline) break;
    await sleep(delay, options.signal);
  }
  if (options.signal?.aborted && !outcome.ok) {
    outcome = { ...outcome, retryable: true, error: outcome.error ?? 'delivery aborted' };
  }
  return {
    delivered: outcome.ok,
    attempts,
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
    retryable: !outcome.ok && outcome.retryable,
    elapsedMs: now() - started,
    ...(outcome.error === undefined || outcome.ok ? {} : { error: outcome.error }),
  };
}
