/** The Slack notifier: what the stacks, the local run and the tests use. */
export { type NotifyDeps, type NotifyOutcome, type NotifyResult, notify } from './core.js';
export {
  type DeliveryOptions,
  type DeliveryResult,
  LAMBDA_DELIVERY,
  postToSlack,
  retryAfterMs,
} from './deliver.js';
export { NotifyMisconfigured, SlackDeliveryFailed } from './errors.js';
export { type NotifyEvent, parseNotifyEvent } from './event.js';
export { awsConsoleLink, type EvidenceLink, LOCAL_RUNS_DIR, localRunFolderLink } from './evidence-link.js';
export { type EventKind, eventKind, type FormatOptions, formatMessage } from './format.js';
export {
  createNotifyHandler,
  handler,
  type NotifyHandler,
  type NotifyHandlerOptions,
  type WebhookProvider,
} from './handler.js';
export {
  DEFAULT_MAX_QUEUED,
  LOCAL_DELIVERY,
  type LocalNotifyTarget,
  type LocalNotifyTargetOptions,
  localNotifyTarget,
} from './local-target.js';
export { ExecutionMemory } from './memory.js';
export { OUTBOX_FILE_NAME, type OutboxRecord } from './outbox.js';
export {
  NOTIFIED_STATUSES,
  NOTIFY_EVENT_PATTERN,
  type NotifyPatternOptions,
  notifyEventPattern,
  STATUS_CHANGE_DETAIL_TYPE,
} from './pattern.js';
export { REDACTED, redactorFor } from './redact.js';
export type { Block, SlackMessage } from './slack-message.js';
export {
  type GetSecretValue,
  parseWebhookSecret,
  SLACK_SECRET_ENV,
  webhookFromSecret,
} from './webhook-secret.js';
