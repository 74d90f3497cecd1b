/**
 * The notifier as a Lambda function: the EventBridge target of the notify rule (see
 * event/pattern.ts). A thin Middy wrapper like the other handlers', without their Cloud port (the
 * notifier needs none): the shared structured logging and input parsing, then the webhook URL
 * (inject-webhook.ts), then the core.
 *
 * Failure policy. EventBridge invokes the function asynchronously, so nothing here can slow or
 * fail the lab. When Slack kept answering 429 / 5xx (or nothing) until the delivery bound, the
 * handler throws SlackDeliveryFailed: Lambda's asynchronous retries (two by default, minutes
 * apart) then try again — a late message beats a lost verdict. A 4xx (revoked webhook, refused
 * payload) is final: retrying cannot help, so it is logged and the invocation succeeds.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type InputContext, parseInput } from '../middy/parse-input.js';
import { type LogSink, stdoutLog, structuredLogging } from '../middy/structured-logging.js';
import { NOTIFY_STEP, type NotifyResult, run } from './core.js';
import { type DeliveryOptions, deliveryOptions, LAMBDA_DELIVERY } from './delivery/deliver.js';
import { SlackDeliveryFailed } from './delivery/errors.js';
import { type NotifyEvent, parseNotifyEvent } from './event/event.js';
import { type InjectWebhookOptions, injectWebhook, type WebhookContext } from './inject-webhook.js';
import { awsConsoleLink, type EvidenceLink } from './message/evidence-link.js';
import { ExecutionMemory } from './message/memory.js';

export interface NotifyHandlerOptions extends InjectWebhookOptions {
  /** By default: the execution's page in the Step Functions console. */
  evidenceLink?: EvidenceLink;
  fetch?: typeof fetch;
  log?: LogSink;
  delivery?: Partial<DeliveryOptions>;
  memory?: ExecutionMemory;
}

export type NotifyHandler = MiddyfiedHandler<unknown, NotifyResult, Error, Context>;

/** The failure policy above: only a delivery a later retry could help fails the invocation. */
function failIfRetryWorthwhile(result: NotifyResult): NotifyResult {
  if (result.outcome === 'gave-up') {
    throw new SlackDeliveryFailed(
      `Slack did not accept the ${result.kind} message after ${result.attempts} attempts: ${result.error ?? 'no answer'}`,
    );
  }
  return result;
}

/** Builds the notify handler; every option defaults to what Lambda needs. */
export function createNotifyHandler(options: NotifyHandlerOptions = {}): NotifyHandler {
  const log = options.log ?? stdoutLog;
  const memory = options.memory ?? new ExecutionMemory();
  const evidenceLink = options.evidenceLink ?? awsConsoleLink(process.env.SCALELAB_STATE_MACHINE_ARN);
  const delivery = deliveryOptions(LAMBDA_DELIVERY, options.delivery, options.fetch);
  return middy<unknown, NotifyResult, Error, Context>()
    .use(structuredLogging({ step: NOTIFY_STEP, log }))
    .use(parseInput(NOTIFY_STEP, parseNotifyEvent))
    .use(injectWebhook({ webhook: options.webhook, getSecretValue: options.getSecretValue }))
    .handler(async function runCore(_event, context) {
      const { input, webhookUrl } = context as InputContext<NotifyEvent> & WebhookContext;
      return failIfRetryWorthwhile(await run(input, { webhookUrl, evidenceLink, memory, delivery, log }));
    });
}

/** The Lambda entry (`lambdas/notify/handler.ts`, export `handler`). */
export const handler = createNotifyHandler();
