/**
 * How many terminal columns a string takes, for tables that align names people type: a CJK
 * character or an emoji takes two, a combining mark or a joiner none. `string-width` (sindresorhus,
 * ~1.5 G downloads a month) keeps up with Unicode's width tables, which a hand-written copy would
 * not; v8 is the line that supports Node 20.
 */
import stringWidth from 'string-width';

/** The number of terminal columns `text` takes. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` followed by spaces up to `width` columns (never cut). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
