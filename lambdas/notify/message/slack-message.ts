/**
 * The Block Kit subset the notifier uses, and builders that keep within Slack's limits (a header
 * is 150 characters, a section text 3000, a field 2000, a context 10 elements) so a long cause
 * or expectation never gets a message refused with `invalid_blocks`.
 */

import { humanDuration } from '../../../lab/durations.js';

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

/** What an incoming webhook takes: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const MAX_FIELDS = 10;
const MAX_CONTEXT_ELEMENTS = 10;

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code: backticks inside would end it early, so they become quotes. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

/** A preformatted block of text (a cause, a stack line), cut to fit a section. */
export function codeBlock(text: string, max = SECTION_MAX - 8): string {
  return `\`\`\`${truncate(escapeMrkdwn(text).replace(/```/g, "'''"), max)}\`\`\``;
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, HEADER_MAX), emoji: true } };
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_MAX) } };
}

/** A section of label/value pairs, shown two per row. */
export function fields(pairs: ReadonlyArray<readonly [string, string]>): Block {
  return {
    type: 'section',
    fields: pairs.slice(0, MAX_FIELDS).map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: truncate(`*${label}*\n${value}`, FIELD_MAX),
    })),
  };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, MAX_CONTEXT_ELEMENTS)
      .map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, SECTION_MAX) })),
  };
}

/**
 * A time Slack shows in each reader's own time zone, with the UTC time as the fallback for
 * clients (and notifications) that cannot localise it.
 */
export function slackTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const utc = new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  return `<!date^${Math.floor(ms / 1000)}^{date_short} {time_secs}|${utc}>`;
}

/** A link when `target` is a URL, else the path as inline code (a local run folder). */
export function linkOrPath(target: string, label: string): string {
  return /^https?:\/\//.test(target) ? `<${target}|${escapeMrkdwn(label)}>` : code(target);
}

/** "3 min 12 s" for a duration in milliseconds. */
export function formatDuration(ms: number): string {
  return humanDuration(ms / 1000);
}
