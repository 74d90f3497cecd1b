/**
 * The notifier as a Lambda function: the EventBridge target of the notify rule (see event/pattern.ts).
 * A thin Middy wrapper of its own (it needs no Cloud port): the shared structured logging and
 * input parsing, then the webhook URL from Secrets Manager, then the pure core.
 *
 * Failure policy. EventBridge invokes the function asynchronously, so nothing here can slow or
 * fail the lab. When Slack kept answering 429 / 5xx (or nothing) until the delivery bound, the
 * handler throws SlackDeliveryFailed: Lambda's asynchronous retries (two by default, minutes
 * apart) then try again — a late message beats a lost verdict. A 4xx (revoked webhook, refused
 * payload) is final: retrying cannot help, so it is logged and the invocation succeeds.
 */
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseInput } from '../middy/parse-input.js';
import { type LogSink, structuredLogging } from '../middy/structured-logging.js';
import { type NotifyResult, notify } from './core.js';
import { type DeliveryOptions, LAMBDA_DELIVERY } from './delivery/deliver.js';
import { SlackDeliveryFailed } from './delivery/errors.js';
import { sdkGetSecretValue } from './delivery/secrets-manager-sdk.js';
import { type GetSecretValue, webhookFromSecret } from './delivery/webhook-secret.js';
import { type NotifyEvent, parseNotifyEvent } from './event/event.js';
import { awsConsoleLink, type EvidenceLink } from './message/evidence-link.js';
import { ExecutionMemory } from './message/memory.js';

/** The webhook URL, or how to get it (once per cold start; a failure is retried next time). */
export type WebhookProvider = string | (() => Promise<string | undefined>);

export interface NotifyHandlerOptions {
  /** By default: the secret named by SCALELAB_SLACK_SECRET_ARN, read with `getSecretValue`. */
  webhook?: WebhookProvider;
  /** Secrets Manager's GetSecretValue; the AWS SDK's by default. */
  getSecretValue?: GetSecretValue;
  /** By default: the execution's page in the Step Functions console. */
  evidenceLink?: EvidenceLink;
  fetch?: typeof fetch;
  log?: LogSink;
  delivery?: Partial<DeliveryOptions>;
  memory?: ExecutionMemory;
}

/** The Lambda context with the webhook URL the core posts to. */
interface WebhookContext extends Context {
  input: NotifyEvent;
  webhookUrl: string | undefined;
}

export type NotifyHandler = MiddyfiedHandler<unknown, NotifyResult, Error, Context>;

/**
 * Puts the webhook URL on `context.webhookUrl`, looked up once and kept for warm invocations.
 * A failed lookup, or a secret without a value yet, is looked up again next time, so setting the
 * secret takes effect without waiting for a cold start.
 */
function injectWebhook(provider: WebhookProvider): MiddlewareObj<unknown, unknown, Error, Context> {
  let url: Promise<string | undefined> | undefined;
  const forget = (): void => {
    url = undefined;
  };
  return {
    name: 'injectWebhook',
    before: async function attachWebhook(request) {
      url ??= typeof provider === 'string' ? Promise.resolve(provider) : provider();
      url.then((value) => value === undefined && forget(), forget);
      Object.assign(request.context, { webhookUrl: await url });
    },
  };
}

function defaultLog(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Builds the notify handler; every option defaults to what Lambda needs. */
export function createNotifyHandler(options: NotifyHandlerOptions = {}): NotifyHandler {
  const log = options.log ?? defaultLog;
  const memory = options.memory ?? new ExecutionMemory();
  const evidenceLink = options.evidenceLink ?? awsConsoleLink(process.env.SCALELAB_STATE_MACHINE_ARN);
  const webhook = options.webhook ?? (() => webhookFromSecret(options.getSecretValue ?? sdkGetSecretValue()));
  const delivery: DeliveryOptions = {
    ...LAMBDA_DELIVERY,
    ...options.delivery,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return middy<unknown, NotifyResult, Error, Context>()
    .use(structuredLogging({ step: 'notify', log }))
    .use(parseInput('notify', parseNotifyEvent))
    .use(injectWebhook(webhook))
    .handler(async function runCore(_event, context) {
      const { input, webhookUrl } = context as WebhookContext;
      const result = await notify(input, { webhookUrl, evidenceLink, memory, delivery, log });
      if (result.outcome === 'gave-up') {
        throw new SlackDeliveryFailed(
          `Slack did not accept the ${result.kind} message after ${result.attempts} attempts: ${result.error ?? 'no answer'}`,
        );
      }
      return result;
    });
}

/** The Lambda entry (`lambdas/notify/handler.ts`, export `handler`). */
export const handler = createNotifyHandler();
