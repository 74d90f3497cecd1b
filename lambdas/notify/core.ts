/**
 * The notifier's core: from one event to at most one Slack message, delivered to the webhook
 * (or, without one, to the outbox file), with one log line saying what became of it. It never
 * throws for a delivery that failed: it reports it, and the caller decides (see handler.ts and
 * local-target.ts). Nothing it logs or writes holds the webhook URL.
 */
import type { LogSink } from '../middy/structured-logging.js';
import { type DeliveryOptions, type DeliveryResult, postToSlack } from './delivery/deliver.js';
import { appendToOutbox, type OutboxRecord } from './delivery/outbox.js';
import { describeError, type Redact, redactorFor } from './delivery/redact.js';
import { type NotifyEvent, stringOf } from './event/event.js';
import { type EventKind, eventKind } from './event/kind.js';
import type { EvidenceLink } from './message/evidence-link.js';
import { formatMessage } from './message/format.js';
import type { ExecutionMemory } from './message/memory.js';
import type { SlackMessage } from './message/slack-message.js';

/** The notifier's name in logs, as a workflow step's is in theirs. */
export const NOTIFY_STEP = 'notify';

/** What the core uses besides the event; the Lambda handler and the local target each build one. */
export interface NotifyDeps {
  /** The incoming webhook; without one the message only goes to the outbox. */
  webhookUrl?: string;
  /** The run folder's notifications file (local runs); none on Lambda. */
  outboxFile?: string;
  evidenceLink: EvidenceLink;
  memory: ExecutionMemory;
  delivery: DeliveryOptions;
  log: LogSink;
}

/**
 * - delivered: Slack answered 2xx; rejected: a 4xx other than 429 (retrying cannot help);
 * - gave-up: 429 / 5xx / no answer until the bound ran out (a later retry could help);
 * - abandoned: the delivery was aborted (the local run closed);
 * - not-configured: no webhook, the message went to the outbox; skipped: no message for the event.
 */
export type NotifyOutcome = 'delivered' | 'rejected' | 'gave-up' | 'abandoned' | 'not-configured' | 'skipped';

export interface NotifyResult {
  kind: EventKind;
  outcome: NotifyOutcome;
  attempts: number;
  status?: number;
  /** Redacted. */
  error?: string;
}

function outcomeOf(result: DeliveryResult, signal: AbortSignal | undefined): NotifyOutcome {
  if (result.delivered) return 'delivered';
  if (signal?.aborted) return 'abandoned';
  return result.retryable ? 'gave-up' : 'rejected';
}

/** Keeps the execution memory in step with the event; true when the event repeats a polling phase. */
function remember(kind: EventKind, event: NotifyEvent, memory: ExecutionMemory): boolean {
  const { detail } = event;
  if (kind === 'execution-started' || kind === 'execution-redriven') {
    memory.reset(stringOf(detail, 'executionArn'));
  }
  if (kind === 'phase') {
    const executionArn = stringOf(detail, 'executionId') || stringOf(detail, 'executionName');
    return memory.notePhase(executionArn, stringOf(detail, 'phase')).repeated;
  }
  return false;
}

async function writeOutbox(
  deps: NotifyDeps,
  redact: Redact,
  event: NotifyEvent,
  result: NotifyResult,
  message: SlackMessage,
): Promise<void> {
  const { outcome } = result;
  if (!deps.outboxFile || outcome === 'skipped') return;
  const record: OutboxRecord = {
    at: new Date().toISOString(),
    event: { id: event.id, source: event.source, detailType: event['detail-type'], time: event.time },
    kind: result.kind,
    delivery: {
      outcome,
      attempts: result.attempts,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.error === undefined ? {} : { error: result.error }),
    },
    message,
  };
  try {
    // Redacted as a whole: a message quoting the URL (an error text in a cause) is hidden too.
    await appendToOutbox(deps.outboxFile, JSON.parse(redact(JSON.stringify(record))) as OutboxRecord);
  } catch (error) {
    logResult(deps, redact, event, result, `outbox not written: ${describeError(error)}`);
  }
}

function logResult(
  deps: NotifyDeps,
  redact: Redact,
  event: NotifyEvent,
  result: NotifyResult,
  problem?: string,
): void {
  const level = problem || result.outcome === 'gave-up' || result.outcome === 'rejected' ? 'warn' : 'info';
  const line = JSON.stringify({
    level,
    step: NOTIFY_STEP,
    message: problem ?? `notification ${result.outcome}`,
    eventId: event.id,
    kind: result.kind,
    execution: stringOf(event.detail, 'executionName') || stringOf(event.detail, 'name') || undefined,
    attempts: result.attempts,
    status: result.status,
    error: result.error,
  });
  deps.log(redact(line));
}

/** Formats `event`, delivers the message (or writes it to the outbox) and reports the outcome. */
export async function run(event: NotifyEvent, deps: NotifyDeps): Promise<NotifyResult> {
  const redact = redactorFor(deps.webhookUrl);
  const kind = eventKind(event);
  const repeated = remember(kind, event, deps.memory);
  const message = repeated
    ? undefined
    : formatMessage(event, {
        evidenceLink: deps.evidenceLink,
        failingStepOf: (arn) => deps.memory.failingStepOf(arn),
      });
  let result: NotifyResult;
  if (!message) {
    result = { kind, outcome: 'skipped', attempts: 0 };
  } else if (!deps.webhookUrl) {
    result = { kind, outcome: 'not-configured', attempts: 0 };
  } else {
    const delivery = await postToSlack(deps.webhookUrl, message, deps.delivery);
    result = {
      kind,
      outcome: outcomeOf(delivery, deps.delivery.signal),
      attempts: delivery.attempts,
      ...(delivery.status === undefined ? {} : { status: delivery.status }),
      ...(delivery.error === undefined ? {} : { error: redact(delivery.error) }),
    };
  }
  logResult(deps, redact, event, result);
  if (message) await writeOutbox(deps, redact, event, result, message);
  return result;
}
