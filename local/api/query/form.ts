/**
 * The body of a query-protocol request (`application/x-www-form-urlencoded`) as a tree: flattened
 * keys such as EC2's `Filter.1.Value.2` or AWS query's `Targets.member.1.Id` become nested objects
 * and 1-based arrays (`{ Filter: [{ Value: [, 'x'] }] }`, compacted), so operations read members
 * by name whichever of the two list styles the client used.
 */
import { invalidQueryParameter, malformedQueryString } from './errors.js';

export type FormValue = string | FormValue[] | FormTree;
export interface FormTree {
  [member: string]: FormValue;
}

/** Where an array index is, the positions are 1-based decimal numbers. */
const INDEX = /^[1-9]\d{0,5}$/;

/**
 * Splits and decodes the body strictly: WHATWG's URLSearchParams would turn a broken `%` escape
 * into U+FFFD silently, and a mangled id must fail loudly rather than match nothing.
 */
export function parseForm(body: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of body.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawKey = equals < 0 ? part : part.slice(0, equals);
    const rawValue = equals < 0 ? '' : part.slice(equals + 1);
    pairs.set(decode(rawKey), decode(rawValue));
  }
  return pairs;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch (error) {
    throw Object.assign(malformedQueryString(`Malformed percent-encoding in '${text.slice(0, 80)}'`), {
      cause: error,
    });
  }
}

/** The pairs as a tree (see the module comment); `member` segments before an index are dropped. */
export function formTree(pairs: Map<string, string>): FormTree {
  const root: FormTree = Object.create(null);
  for (const [key, value] of pairs) {
    const path = key
      .split('.')
      .filter((segment, i, all) => !(segment === 'member' && INDEX.test(all[i + 1] ?? '')));
    if (path.some((segment) => segment === ''))
      throw invalidQueryParameter(`Invalid parameter name '${key}'`);
    place(root, path, value, key);
  }
  return compact(root) as FormTree;
}

function place(root: FormTree, path: string[], value: string, key: string): void {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next === 'string') throw invalidQueryParameter(`Parameter '${key}' conflicts with a value`);
    if (next === undefined) node[segment] = Object.create(null);
    node = node[segment] as FormTree;
  }
  const last = path.at(-1) ?? '';
  if (node[last] !== undefined) throw invalidQueryParameter(`Parameter '${key}' conflicts with its members`);
  node[last] = value;
}

/** Objects whose keys are all indexes become arrays in index order, gaps closed. */
function compact(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => INDEX.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => compact(value[String(index)] as FormValue));
  }
  const out: FormTree = Object.create(null);
  for (const key of keys) out[key] = compact(value[key] as FormValue);
  return out;
}
