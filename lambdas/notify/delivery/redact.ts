/**
 * The webhook URL is a bearer credential (whoever has it can post to the channel), so it must
 * never reach a log line, an error or a file. A redactor hides the whole URL and, because error
 * texts from the HTTP stack may quote only part of it, its path and each long path segment too.
 */

/** Replaces every appearance of the webhook URL (or a recognisable part of it) in a text. */
export type Redact = (text: string) => string;

export const REDACTED = '[redacted webhook]';

// Slack's secret path segments are a team id and a bot id (9+ characters) and a 24-character
// token; shorter ones ("services") are not secret, and hiding them would mangle ordinary words.
const SECRET_SEGMENT_MIN_LENGTH = 9;

function secretPartsOf(url: string): string[] {
  const parts = [url];
  try {
    const parsed = new URL(url);
    parts.push(parsed.href, `${parsed.pathname}${parsed.search}`);
    for (const segment of parsed.pathname.split('/')) {
      if (segment.length >= SECRET_SEGMENT_MIN_LENGTH) parts.push(segment);
    }
    for (const value of parsed.searchParams.values()) {
      if (value.length >= SECRET_SEGMENT_MIN_LENGTH) parts.push(value);
    }
  } catch {
    // Not a URL: hiding the text as a whole is all that can be done.
  }
  // Longest first, so the whole URL is replaced before a segment of it would split it.
  return [...new Set(parts.filter((part) => part.length > 1))].sort((a, b) => b.length - a.length);
}

/** A redactor for `webhookUrl`; without a URL there is nothing to hide. */
export function redactorFor(webhookUrl: string | undefined): Redact {
  if (!webhookUrl) return (text) => text;
  const parts = secretPartsOf(webhookUrl);
  return function redact(text: string): string {
    let out = text;
    for (const part of parts) out = out.split(part).join(REDACTED);
    return out;
  };
}

/** The text of an error and its causes, on one line, for a log (redact it before writing). */
export function describeError(error: unknown): string {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code;
      texts.push(`${current.name}: ${current.message}${typeof code === 'string' ? ` (${code})` : ''}`);
      current = current.cause;
    } else {
      texts.push(String(current));
      current = undefined;
    }
  }
  return texts.join(' <- ');
}
