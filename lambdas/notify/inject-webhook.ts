/**
 * The notifier's one middleware of its own, its counterpart of injectCloud: the other handlers
 * need a Cloud port, the notifier needs only the webhook URL, which lives in Secrets Manager.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { cachedLookup } from '../middy/cached-lookup.js';
import { sdkGetSecretValue } from './delivery/secrets-manager-sdk.js';
import { type GetSecretValue, webhookFromSecret } from './delivery/webhook-secret.js';

/** The webhook URL, or how to get it (once per cold start; a failure is retried next time). */
export type WebhookProvider = string | (() => Promise<string | undefined>);

export interface InjectWebhookOptions {
  /** By default: the secret named by SCALELAB_SLACK_SECRET_ARN, read with `getSecretValue`. */
  webhook?: WebhookProvider;
  /** Secrets Manager's GetSecretValue; the AWS SDK's by default. */
  getSecretValue?: GetSecretValue;
}

/** The Lambda context with the webhook URL the core posts to (undefined: Slack is not set up yet). */
export interface WebhookContext extends Context {
  webhookUrl: string | undefined;
}

/**
 * Puts the webhook URL on `context.webhookUrl`, looked up once and kept for warm invocations.
 * A failed lookup, or a secret without a value yet, is looked up again next time, so setting the
 * secret takes effect without waiting for a cold start.
 */
export function injectWebhook(
  options: InjectWebhookOptions = {},
): MiddlewareObj<unknown, unknown, Error, Context> {
  const provider =
    options.webhook ??
    function lookUpSecret(): Promise<string | undefined> {
      return webhookFromSecret(options.getSecretValue ?? sdkGetSecretValue());
    };
  const url = cachedLookup(
    function lookUpWebhook() {
      return typeof provider === 'string' ? provider : provider();
    },
    function isSetUp(value) {
      return value !== undefined;
    },
  );
  return {
    name: 'injectWebhook',
    before: async function attachWebhook(request) {
      Object.assign(request.context, { webhookUrl: await url() });
    },
  };
}
