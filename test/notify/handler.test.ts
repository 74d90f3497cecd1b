import { afterEach, describe, expect, it } from 'vitest';
import { type GetSecretValue, SLACK_SECRET_ENV } from '../../lambdas/notify/delivery/webhook-secret.js';
import { createNotifyHandler, handler, type NotifyHandlerOptions } from '../../lambdas/notify/handler.js';
import { localLambdaContext } from '../../local-lab/handlers.js';
import { fixture } from './fixtures.js';
import { SECRET_ARN, secretsManager } from './secrets-manager.js';
import { type FakeSlack, leaksWebhook, startFakeSlack } from './slack-server.js';

// Timeouts long enough that a loaded machine never turns an answered attempt into a retry.
const quick = {
  maxAttempts: 3,
  baseDelayMs: 10,
  maxDelayMs: 50,
  attemptTimeoutMs: 5_000,
  totalTimeoutMs: 10_000,
};

let slack: FakeSlack | undefined;
const savedSecretEnv = process.env[SLACK_SECRET_ENV];

afterEach(async () => {
  await slack?.close();
  slack = undefined;
  if (savedSecretEnv === undefined) delete process.env[SLACK_SECRET_ENV];
  else process.env[SLACK_SECRET_ENV] = savedSecretEnv;
});

function build(url: string, lines: string[], extra: Partial<NotifyHandlerOptions> = {}) {
  process.env[SLACK_SECRET_ENV] = SECRET_ARN;
  const getSecretValue = secretsManager(url);
  const notifyHandler = createNotifyHandler({
    getSecretValue,
    log: (line) => lines.push(line),
    delivery: quick,
    ...extra,
  });
  return { notifyHandler, getSecretValue };
}

describe('the notify handler (Middy wrapper)', () => {
  it('reads the webhook from the secret once, posts the message and logs a redacted outcome', async () => {
    // Prepare
    slack = await startFakeSlack();
    const lines: string[] = [];
    const { notifyHandler, getSecretValue } = build(slack.url, lines);

    // Act
    const first = await notifyHandler(fixture('execution-running'), localLambdaContext('Notify'));
    const second = await notifyHandler(fixture('scale-out'), localLambdaContext('Notify'));

    // Assess
    expect(first).toMatchObject({ kind: 'execution-started', outcome: 'delivered', attempts: 1 });
    expect(second).toMatchObject({ kind: 'scale-out', outcome: 'delivered' });
    expect(getSecretValue.calls).toEqual([SECRET_ARN]);
    expect(slack.requests.map((r) => JSON.parse(r.body).text)).toEqual([
      'scalelab: Lab started: lab-20261128-045650-4ee0',
      'scalelab: ⬆️ Scale-out observed: i-5171c6ffc97da60ec launched in scalelab-serve',
    ]);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged).toContainEqual(expect.objectContaining({ step: 'notify', message: 'step started' }));
    expect(logged).toContainEqual(
      expect.objectContaining({
        step: 'notify',
        message: 'notification delivered',
        kind: 'execution-started',
      }),
    );
    expect(leaksWebhook(lines.join('\n'), slack.url)).toBe(false);
  });

  it('links the evidence to the execution page in the Step Functions console', async () => {
    slack = await startFakeSlack();
    const { notifyHandler } = build(slack.url, []);

    await notifyHandler(fixture('verdict-pass'), localLambdaContext('Notify'));

    expect(slack.requests[0]?.body).toContain(
      'https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/arn:aws:states:us-east-1:000000000000:execution:scalelab-lab-lifecycle:lab-20261128-045650-4ee0',
    );
  });

  it('throws SlackDeliveryFailed after the bound when Slack keeps failing, so Lambda retries later — without the URL', async () => {
    slack = await startFakeSlack({ status: 503, headers: { 'retry-after': '0' } });
    const lines: string[] = [];
    const { notifyHandler } = build(slack.url, lines);

    const call = notifyHandler(fixture('verdict-fail'), localLambdaContext('Notify'));

    await expect(call).rejects.toMatchObject({
      name: 'SlackDeliveryFailed',
      message: 'Slack did not accept the verdict message after 3 attempts: Slack answered 503',
    });
    expect(slack.requests).toHaveLength(3);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      level: 'error',
      message: 'step failed',
      error: { name: 'SlackDeliveryFailed' },
    });
    expect(leaksWebhook(lines.join('\n'), slack.url)).toBe(false);
  });

  it('logs a refused message (4xx) and succeeds: a retry cannot help', async () => {
    slack = await startFakeSlack({ status: 410, body: 'channel_is_archived' });
    const lines: string[] = [];
    const { notifyHandler } = build(slack.url, lines);

    const result = await notifyHandler(fixture('phase-changed'), localLambdaContext('Notify'));

    expect(result).toMatchObject({ outcome: 'rejected', status: 410, attempts: 1 });
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'notification rejected',
        error: 'Slack answered 410: channel_is_archived',
      }),
    );
  });

  it('refuses an event that is not an EventBridge envelope with InvalidHandlerInput', async () => {
    const { notifyHandler } = build('https://hooks.slack.com/services/T0/B0/unused', []);

    await expect(notifyHandler({ detail: 'nope' }, localLambdaContext('Notify'))).rejects.toMatchObject({
      name: 'InvalidHandlerInput',
      message: expect.stringContaining('notify: the input cannot be read'),
    });
  });

  it('fails with NotifyMisconfigured without the secret ARN, and again (not cached) until it is set', async () => {
    delete process.env[SLACK_SECRET_ENV];
    slack = await startFakeSlack();
    const getSecretValue = secretsManager(slack.url);
    const notifyHandler = createNotifyHandler({ getSecretValue, log: () => undefined, delivery: quick });

    await expect(notifyHandler(fixture('phase-changed'), localLambdaContext('Notify'))).rejects.toMatchObject(
      {
        name: 'NotifyMisconfigured',
        message: 'SCALELAB_SLACK_SECRET_ARN is not set: the notifier cannot find the webhook secret',
      },
    );
    process.env[SLACK_SECRET_ENV] = SECRET_ARN;
    const result = await notifyHandler(fixture('phase-changed'), localLambdaContext('Notify'));

    expect(result).toMatchObject({ outcome: 'delivered' });
  });

  it('posts nothing while the secret has no value, then delivers once it is set, without a cold start', async () => {
    process.env[SLACK_SECRET_ENV] = SECRET_ARN;
    slack = await startFakeSlack();
    let value: string | undefined;
    const getSecretValue: GetSecretValue = async () => {
      // What Secrets Manager answers for a secret created without a value (boto3 issue #2794).
      if (value === undefined)
        throw Object.assign(
          new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"),
          { name: 'ResourceNotFoundException' },
        );
      return { SecretString: value };
    };
    const notifyHandler = createNotifyHandler({ getSecretValue, log: () => undefined, delivery: quick });

    const before = await notifyHandler(fixture('phase-changed'), localLambdaContext('Notify'));
    value = slack.url;
    const after = await notifyHandler(fixture('verdict-pass'), localLambdaContext('Notify'));

    expect(before).toMatchObject({ outcome: 'not-configured', attempts: 0 });
    expect(after).toMatchObject({ outcome: 'delivered' });
    expect(slack.requests).toHaveLength(1);
  });

  it('still fails with ResourceNotFoundException when the secret itself is missing', async () => {
    process.env[SLACK_SECRET_ENV] = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:deleted-AbCdEf';
    const notifyHandler = createNotifyHandler({
      getSecretValue: secretsManager('https://hooks.slack.com/services/T0/B0/unused'),
      log: () => undefined,
      delivery: quick,
    });

    await expect(notifyHandler(fixture('phase-changed'), localLambdaContext('Notify'))).rejects.toMatchObject(
      {
        name: 'ResourceNotFoundException',
      },
    );
  });

  it('exports a Lambda entry that loads without touching AWS', () => {
    expect(typeof handler).toBe('function');
  });
});
