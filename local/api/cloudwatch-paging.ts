/** CloudWatch's NextToken paging over a list the endpoint computes afresh on every call. */
import { InvalidNextToken } from './cloudwatch-errors.js';

const TOKEN_PREFIX = 'local:';

function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : Number.NaN;
  if (!Number.isInteger(offset) || offset < 0)
    throw new InvalidNextToken('The service cannot process the NextToken.');
  return offset;
}

/** The page of `items` that `token` points at, and the token of the next page if there is one. */
export function page<T>(
  items: readonly T[],
  size: number,
  token: string | undefined,
): { items: T[]; next?: string } {
  const start = offsetOf(token);
  const end = start + size;
  const next =
    end < items.length ? Buffer.from(`${TOKEN_PREFIX}${end}`, 'utf8').toString('base64url') : undefined;
  return { items: items.slice(start, end), next };
}
