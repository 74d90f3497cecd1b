import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryOptions, postToSlack, retryAfterMs } from '../../../lambdas/notify/delivery/deliver.js';
import type { SlackMessage } from '../../../lambdas/notify/message/slack-message.js';
import { waitFor } from '../../helpers/wait-for.js';
import { deadWebhookUrl, type FakeSlack, leaksWebhook, startFakeSlack } from '../slack-server.js';

const message: SlackMessage = { text: 'scalelab: test', blocks: [{ type: 'divider' }] };
/**
 * Small delays so retries show in milliseconds, not seconds; timeouts long enough that a loaded
 * machine (a first request loads undici) never turns an answered attempt into a retry.
 */
const quick: DeliveryOptions = {
  maxAttempts: 4,
  baseDelayMs: 20,
  maxDelayMs: 200,
  attemptTimeoutMs: 5_000,
  totalTimeoutMs: 10_000,
};
/** Short timeouts, for the tests of what happens when they run out. */
const hasty: DeliveryOptions = { ...quick, attemptTimeoutMs: 300, totalTimeoutMs: 800 };

let slack: FakeSlack | undefined;

afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe('postToSlack', () => {
  it('posts the message as JSON and succeeds on the first 200', async () => {
    slack = await startFakeSlack();

    const result = await postToSlack(slack.url, message, quick);

    expect(result).toMatchObject({ delivered: true, attempts: 1, status: 200, retryable: false });
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(JSON.parse(slack.requests[0]?.body ?? '')).toEqual(message);
  });

  it('retries a 429 after the Retry-After Slack asked for, then succeeds', async () => {
    // Prepare: Retry-After: 1 s, well above the backoff, well below the cap.
    slack = await startFakeSlack();
    slack.script({ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });

    // Act
    const result = await postToSlack(slack.url, message, {
      ...quick,
      maxDelayMs: 5_000,
      totalTimeoutMs: 5_000,
    });

    // Assess
    expect(result).toMatchObject({ delivered: true, attempts: 2, status: 200 });
    const [first, second] = slack.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(1_500);
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    slack = await startFakeSlack();
    slack.script({ status: 429, headers: { 'retry-after': '30' } });

    const started = performance.now();
    const result = await postToSlack(slack.url, message, { ...quick, maxDelayMs: 150 });

    expect(result).toMatchObject({ delivered: true, attempts: 2 });
    const [first, second] = slack.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(145);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('retries 500 and 503 with backoff, then succeeds', async () => {
    slack = await startFakeSlack();
    slack.script({ status: 500, body: 'rollup_error' }, { status: 503, headers: { 'retry-after': '0' } });

    const result = await postToSlack(slack.url, message, quick);

    expect(result).toMatchObject({ delivered: true, attempts: 3, status: 200 });
    expect(slack.requests).toHaveLength(3);
  });

  it('does not retry a 400 (a refused payload) nor a 404 (a revoked webhook)', async () => {
    slack = await startFakeSlack();
    slack.script({ status: 400, body: 'invalid_payload' }, { status: 404, body: 'no_service' });

    const refused = await postToSlack(slack.url, message, quick);
    const revoked = await postToSlack(slack.url, message, quick);

    expect(refused).toMatchObject({
      delivered: false,
      attempts: 1,
      status: 400,
      retryable: false,
      error: 'Slack answered 400: invalid_payload',
    });
    expect(revoked).toMatchObject({ delivered: false, attempts: 1, status: 404, retryable: false });
    expect(slack.requests).toHaveLength(2);
  });

  it('gives up on a webhook that keeps failing after maxAttempts, retryable', async () => {
    slack = await startFakeSlack({ status: 502 });

    const result = await postToSlack(slack.url, message, quick);

    expect(result).toMatchObject({ delivered: false, attempts: 4, status: 502, retryable: true });
    expect(slack.requests).toHaveLength(4);
  });

  it('returns within its bound when nothing listens (connection refused), without quoting the URL', async () => {
    const url = await deadWebhookUrl();

    const result = await postToSlack(url, message, hasty);

    expect(result.delivered).toBe(false);
    expect(result.retryable).toBe(true);
    expect(result.elapsedMs).toBeLessThan(hasty.totalTimeoutMs ?? 0);
    expect(result.error).toContain('ECONNREFUSED');
    expect(leaksWebhook(JSON.stringify(result), url)).toBe(false);
  });

  it('returns within its bound when the webhook never answers, and the caller is not held past it', async () => {
    slack = await startFakeSlack('hang');
    const started = performance.now();

    const result = await postToSlack(slack.url, message, hasty);

    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ delivered: false, retryable: true });
    expect(result.error).toMatch(/TimeoutError|aborted/i);
    expect(elapsed).toBeLessThan(1_000);
    expect(elapsed).toBeGreaterThanOrEqual(hasty.attemptTimeoutMs ?? 0);
    expect(leaksWebhook(JSON.stringify(result), slack.url)).toBe(false);
  });

  it('retries a dropped connection', async () => {
    slack = await startFakeSlack();
    slack.script('drop');

    const result = await postToSlack(slack.url, message, quick);

    expect(result).toMatchObject({ delivered: true, attempts: 2 });
  });

  it('stops at once when its signal aborts', async () => {
    slack = await startFakeSlack('hang');
    const abort = new AbortController();
    const delivery = postToSlack(slack.url, message, {
      ...quick,
      attemptTimeoutMs: 10_000,
      signal: abort.signal,
    });
    await waitForRequest(slack);
    const started = performance.now();

    abort.abort();
    const result = await delivery;

    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:02 GMT', now)).toBe(2_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});

async function waitForRequest(server: FakeSlack): Promise<void> {
  await waitFor(() => server.requests.length > 0, { timeoutMs: 2_000, what: 'the first request' });
}
