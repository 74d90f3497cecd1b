/**
 * Errors of the Slack notifier. None of them ever carries the webhook URL: every message is
 * built from redacted text (see redact.ts).
 */

/** Slack kept answering 429 / 5xx (or not at all) until the delivery bound ran out: worth a later retry. */
export class SlackDeliveryFailed extends Error {
  override name = 'SlackDeliveryFailed';
}

/** The notifier is missing what it needs: the secret's ARN, or a secret that holds no webhook URL. */
export class NotifyMisconfigured extends Error {
  override name = 'NotifyMisconfigured';
}
