/** The Slack notifier: what the stacks, the local run and the tests use. */
export { type NotifyDeps, type NotifyOutcome, type NotifyResult, notify } from './core.js';
export {
  type DeliveryOptions,
  type DeliveryResult,
  LAMBDA_DELIVERY,
  postToSlack,
  retryAfterMs,
} from './delivery/deliver.js';
export { NotifyMisconfigured, SlackDeliveryFailed } from './delivery/errors.js';
export { OUTBOX_FILE_NAME, type OutboxRecord } from './delivery/outbox.js';
export { REDACTED, redactorFor } from './delivery/redact.js';
export {
  type GetSecretValue,
  parseWebhookSecret,
  SLACK_SECRET_ENV,
  webhookFromSecret,
} from './delivery/webhook-secret.js';
export { type NotifyEvent, parseNotifyEvent } from './event/event.js';
export {
  NOTIFIED_STATUSES,
  NOTIFY_EVENT_PATTERN,
  type NotifyPatternOptions,
  notifyEventPattern,
  STATUS_CHANGE_DETAIL_TYPE,
} from './event/pattern.js';
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
export {
  awsConsoleLink,
  type EvidenceLink,
  LOCAL_RUNS_DIR,
  localRunFolderLink,
} from './message/evidence-link.js';
export { type EventKind, eventKind, type FormatOptions, formatMessage } from './message/format.js';
export { ExecutionMemory } from './message/memory.js';
export type { Block, SlackMessage } from './message/slack-message.js';
