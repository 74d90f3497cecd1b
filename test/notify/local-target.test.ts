import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_FILE_NAME, type OutboxRecord } from '../../lambdas/notify/delivery/outbox.js';
import type { NotifyEvent } from '../../lambdas/notify/event/event.js';
import { notifyEventPattern } from '../../lambdas/notify/event/pattern.js';
import { type LocalNotifyTarget, localNotifyTarget } from '../../lambdas/notify/local-target.js';
import { localRunFolderLink } from '../../lambdas/notify/message/evidence-link.js';
import { Clock } from '../../local/clock.js';
import { LocalEventBus } from '../../local/eventbridge/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture } from './fixtures.js';
import { deadWebhookUrl, type FakeSlack, leaksWebhook, startFakeSlack } from './slack-server.js';

const quick = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, attemptTimeoutMs: 200, totalTimeoutMs: 500 };
/**
 * For tests that count what Slack received: an attempt that outlives a 200 ms timeout on a busy
 * machine is retried, and Slack then rightly sees the message twice (delivery is at least once).
 */
const patient = { ...quick, attemptTimeoutMs: 5_000, totalTimeoutMs: 10_000 };

let dir: string;
let outboxFile: string;
let slack: FakeSlack | undefined;
let target: LocalNotifyTarget | undefined;
let bus: LocalEventBus | undefined;
let lines: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scalelab-notify-'));
  outboxFile = join(dir, 'runs', 'lab-1', OUTBOX_FILE_NAME);
  lines = [];
});

afterEach(async () => {
  bus?.close();
  await target?.close();
  await slack?.close();
  await rm(dir, { recursive: true, force: true });
  bus = undefined;
  target = undefined;
  slack = undefined;
});

function makeTarget(
  webhookUrl: string | undefined,
  extra: { maxQueued?: number; delivery?: typeof quick } = {},
): LocalNotifyTarget {
  target = localNotifyTarget({
    webhookUrl,
    outboxFile,
    evidenceLink: localRunFolderLink(join(dir, 'runs')),
    log: (line) => lines.push(line),
    delivery: quick,
    ...extra,
  });
  return target;
}

function phase(name: string): NotifyEvent {
  const event = fixture('phase-changed');
  event.detail.phase = name;
  return event;
}

async function outbox(): Promise<OutboxRecord[]> {
  const text = await readFile(outboxFile, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutboxRecord);
}

describe('localNotifyTarget', () => {
  it('posts one message per event, in order, once for a polling phase, naming the failing step', async () => {
    // Prepare
    slack = await startFakeSlack();
    const notifier = makeTarget(slack.url, { delivery: patient });
    const events = [
      fixture('execution-running'),
      phase('validate'),
      phase('provision'),
      phase('check-health'),
      phase('check-health'),
      phase('check-health'),
      phase('tear-down'),
      phase('verdict'),
      fixture('verdict-fail'),
      fixture('execution-failed'),
    ];

    // Act
    for (const event of events) notifier.handler(event);
    await notifier.flush();

    // Assess
    const texts = slack.requests.map((request) => JSON.parse(request.body).text as string);
    expect(texts).toEqual([
      'scalelab: Lab started: lab-20261128-045650-4ee0',
      'scalelab: lab-20261128-045650-4ee0 is validating the configuration',
      'scalelab: lab-20261128-045650-4ee0 is provisioning the lab',
      'scalelab: lab-20261128-045650-4ee0 is waiting until every target is healthy',
      'scalelab: lab-20261128-045650-4ee0 is tearing down',
      'scalelab: lab-20261128-045650-4ee0 is judging the run',
      'scalelab: lab-20261128-045650-4ee0: FAIL (3/6 expectations held)',
      'scalelab: Lab failed: lab-20261128-045650-4ee0 (HealthCheckTimeout)',
    ]);
    expect(slack.requests.at(-1)?.body).toContain('waiting until every target is healthy (`check-health`)');
    expect(slack.requests.at(-1)?.body).toContain(`${join(dir, 'runs', 'lab-20261128-045650-4ee0')}/`);
    expect(notifier.results.map((r) => r.outcome)).toEqual([
      ...Array(4).fill('delivered'),
      'skipped',
      'skipped',
      ...Array(4).fill('delivered'),
    ]);
    expect((await outbox()).map((record) => record.delivery.outcome)).toEqual(Array(8).fill('delivered'));
  });

  it('without a webhook, appends every message to notifications.jsonl in the run folder', async () => {
    const notifier = makeTarget(undefined);

    notifier.handler(fixture('execution-running'));
    notifier.handler(fixture('scale-out'));
    notifier.handler(fixture('verdict-pass'));
    await notifier.flush();

    const records = await outbox();
    expect(records.map((r) => [r.kind, r.delivery.outcome])).toEqual([
      ['execution-started', 'not-configured'],
      ['scale-out', 'not-configured'],
      ['verdict', 'not-configured'],
    ]);
    expect(records[2]?.event).toMatchObject({ source: 'scalelab', detailType: 'Lab Verdict' });
    expect(records[2]?.message.text).toBe('scalelab: lab-20261128-045650-4ee0: PASS (6/6 expectations held)');
  });

  it('returns at once to the bus even when the webhook never answers: delivery is off the lab path', async () => {
    // Prepare: the real local bus with the notifier's rule, a webhook that never answers.
    slack = await startFakeSlack('hang');
    const notifier = makeTarget(slack.url);
    bus = new LocalEventBus({ clock: new Clock({ scale: 60 }) });
    bus.putRule({ name: 'lab-notify', eventPattern: notifyEventPattern() });
    bus.putTargets('lab-notify', [{ id: notifier.id, handler: (event) => notifier.handler(event) }]);
    const started = performance.now();

    // Act
    bus.putEvents([fixture('execution-running'), phase('provision'), fixture('scale-out')]);
    await bus.drain();
    const drainedAfter = performance.now() - started;
    await waitFor(() => slack?.requests.length === 1, { timeoutMs: 2_000, what: 'the first post' });
    const closing = performance.now();
    await notifier.close(0);
    const closedAfter = performance.now() - closing;

    // Assess
    expect(drainedAfter).toBeLessThan(250);
    expect(closedAfter).toBeLessThan(250);
    expect(slack.requests).toHaveLength(1);
    expect(notifier.results.map((r) => r.outcome)).toEqual(['abandoned']);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      message: 'notifications abandoned at close',
      abandoned: 2,
    });
  });

  it('gives up on a dead webhook within its bound per message, never quoting the URL in logs or the outbox', async () => {
    const refused = await deadWebhookUrl();
    const notifier = makeTarget(refused);
    const started = performance.now();

    notifier.handler(fixture('execution-failed'));
    notifier.handler(fixture('verdict-fail'));
    await notifier.flush();

    expect(performance.now() - started).toBeLessThan(2 * quick.totalTimeoutMs);
    expect(notifier.results.map((r) => [r.outcome, r.attempts])).toEqual([
      ['gave-up', 3],
      ['gave-up', 3],
    ]);
    const written = await readFile(outboxFile, 'utf8');
    expect(written).toContain('ECONNREFUSED');
    expect(leaksWebhook(written, refused)).toBe(false);
    expect(lines.join('\n')).toContain('notification gave-up');
    expect(leaksWebhook(lines.join('\n'), refused)).toBe(false);
  });

  it('keeps the URL out of logs and the outbox even when Slack rate-limits and errors', async () => {
    slack = await startFakeSlack({ status: 500, body: 'rollup_error' });
    slack.script({ status: 429, headers: { 'retry-after': '0' } });
    const notifier = makeTarget(slack.url);

    notifier.handler(fixture('scale-in'));
    await notifier.flush();

    expect(notifier.results[0]).toMatchObject({ outcome: 'gave-up', attempts: 3, status: 500 });
    expect(leaksWebhook(await readFile(outboxFile, 'utf8'), slack.url)).toBe(false);
    expect(leaksWebhook(lines.join('\n'), slack.url)).toBe(false);
  });

  it('lets close() wait a grace period for the queue before abandoning it', async () => {
    slack = await startFakeSlack();
    const notifier = makeTarget(slack.url);

    notifier.handler(fixture('verdict-pass'));
    await notifier.close(2_000);
    notifier.handler(fixture('scale-out'));

    expect(notifier.results.map((r) => r.outcome)).toEqual(['delivered']);
    expect(slack.requests).toHaveLength(1);
    expect(lines.map((line) => JSON.parse(line).message)).toContain('event after close not notified');
  });

  it('drops events beyond its queue bound, and ignores an event it cannot read', async () => {
    slack = await startFakeSlack('hang');
    const notifier = makeTarget(slack.url, { maxQueued: 2 });

    notifier.handler({ not: 'an event' });
    notifier.handler(fixture('scale-out'));
    notifier.handler(fixture('scale-in'));
    await notifier.close(0);

    const messages = lines.map((line) => JSON.parse(line).message);
    expect(messages).toContain('notification queue full: event dropped');
    expect(messages).toContain('event not notified');
  });
});
