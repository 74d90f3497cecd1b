/**
 * Pagination of describe results by position: the token is the offset of the next page, encoded
 * so that clients treat it as opaque. The local lists only grow at their end or lose items, so an
 * offset may skip or repeat an item across pages where AWS's tokens would not (documented).
 */
import type { QueryError } from './errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encode(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decode(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** One page of `items`: `size` items (all when undefined) from where `token` says. */
export function pageOf<T>(
  items: readonly T[],
  { token, size }: { token?: string; size?: number },
  invalidToken: (token: string) => QueryError,
): Page<T> {
  const offset = token === undefined ? 0 : decode(token);
  if (offset === undefined || offset > items.length) throw invalidToken(token ?? '');
  const end = size === undefined ? items.length : offset + size;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encode(end);
  return page;
}
