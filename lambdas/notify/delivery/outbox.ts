/**
 * The notifications file of a local run (`notifications.jsonl` in the run folder): every message
 * the notifier made, one JSON line each, with what became of it. Without a webhook it is where
 * the messages go; with one it is the record of what was sent. It never holds the webhook URL.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { NotifyOutcome } from '../core.js';
import type { SlackMessage } from '../message/slack-message.js';

/** The file name in the run folder. */
export const OUTBOX_FILE_NAME = 'notifications.jsonl';

/** One line of the outbox. */
export interface OutboxRecord {
  /** Real time the message was settled. */
  at: string;
  event: { id: string; source: string; detailType: string; time: string };
  kind: string;
  delivery: {
    outcome: Exclude<NotifyOutcome, 'skipped'>;
    attempts: number;
    status?: number;
    error?: string;
  };
  message: SlackMessage;
}

/** Appends records to `file`, creating its folder; the caller redacts what it writes. */
export async function appendToOutbox(file: string, record: OutboxRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
}
