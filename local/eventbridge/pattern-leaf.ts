/**
 * Compiles one leaf of an event pattern (the array of values/operators under a field name) into a
 * predicate over the leaf values found in the event. Rules follow AWS's "Comparison operators for
 * use in event patterns" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)
 * and the open-source matcher EventBridge uses (https://github.com/aws/event-ruler, README).
 */
import { BlockList, isIP } from 'node:net';
import { InvalidEventPatternError } from './errors.js';

/** A JSON leaf as it can appear in an event: objects and arrays are never leaves. */
export type Leaf = string | number | boolean | null;

/** Decides whether the leaves found at a field (empty when the field is absent) satisfy the pattern. */
export type LeafMatcher = (leaves: readonly Leaf[]) => boolean;

type ValueTest = (leaf: Leaf) => boolean;

/**
 * Numeric matching is limited to this magnitude (event-ruler README: "between -5.0e9 and +5.0e9
 * inclusive"); AWS rejects patterns with larger bounds.
 */
export const NUMERIC_PATTERN_LIMIT = 5e9;

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid at "${path}": ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string, what: string): string {
  if (typeof value !== 'string') fail(path, `${what} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Accepts a string or a non-empty list of strings, as anything-but's nested operators do. */
function requireStrings(value: unknown, path: string, what: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) fail(path, `${what} list must not be empty`);
    return value.map((item, index) => requireString(item, `${path}[${index}]`, what));
  }
  return [requireString(value, path, what)];
}

/** `"prefix": "us-"` or `"prefix": { "equals-ignore-case": "us-" }` (same for suffix). */
function compileAffix(value: unknown, path: string, kind: 'prefix' | 'suffix'): ValueTest {
  let text: string;
  let ignoreCase = false;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      fail(path, `${kind} takes a string or { "equals-ignore-case": string }`);
    }
    text = requireString(value['equals-ignore-case'], path, `${kind} equals-ignore-case`);
    ignoreCase = true;
  } else {
    text = requireString(value, path, kind);
  }
  const wanted = ignoreCase ? text.toLowerCase() : text;
  return function affixTest(leaf) {
    if (typeof leaf !== 'string') return false;
    const actual = ignoreCase ? leaf.toLowerCase() : leaf;
    return kind === 'prefix' ? actual.startsWith(wanted) : actual.endsWith(wanted);
  };
}

/**
 * `*` matches any run of characters (zero or more); `\*` is a literal star and `\\` a literal
 * backslash; any other escape, and two consecutive stars, are rejected (event-ruler README).
 */
export function compileWildcard(value: unknown, path: string): ValueTest {
  const text = requireString(value, path, 'wildcard');
  let source = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\\') {
      const next = text[index + 1];
      if (next !== '*' && next !== '\\') fail(path, 'wildcard may only escape "*" or "\\" with a backslash');
      source += `\\${next}`;
      index += 1;
    } else if (char === '*') {
      if (text[index + 1] === '*') fail(path, 'wildcard must not contain consecutive "*" characters');
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`, 's');
  return function wildcardTest(leaf) {
    return typeof leaf === 'string' && regex.test(leaf);
  };
}

function compileNumeric(value: unknown, path: string): ValueTest {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'numeric takes a non-empty array');
  const checks: ((n: number) => boolean)[] = [];
  const bound = (index: number): number => {
    const n = value[index];
    if (typeof n !== 'number' || !Number.isFinite(n))
      fail(path, `numeric needs a number after "${value[index - 1]}"`);
    if (Math.abs(n) > NUMERIC_PATTERN_LIMIT)
      fail(path, `numeric bound ${n} is outside ±${NUMERIC_PATTERN_LIMIT}`);
    return n;
  };
  const op0 = value[0];
  if (op0 === '=') {
    if (value.length !== 2) fail(path, 'numeric "=" takes exactly one number');
    const n = bound(1);
    checks.push((x) => x === n);
  } else if (typeof op0 === 'string' && (LOWER_BOUNDS.has(op0) || UPPER_BOUNDS.has(op0))) {
    if (value.length !== 2 && value.length !== 4)
      fail(path, 'numeric takes one comparison or a range of two');
    const first = bound(1);
    checks.push(comparison(op0, first));
    if (value.length === 4) {
      const op1 = value[2];
      if (!LOWER_BOUNDS.has(op0) || typeof op1 !== 'string' || !UPPER_BOUNDS.has(op1)) {
        fail(path, 'a numeric range is a lower bound (">" or ">=") then an upper bound ("<" or "<=")');
      }
      const second = bound(3);
      if (second <= first)
        fail(path, `numeric range is empty: upper bound ${second} <= lower bound ${first}`);
      checks.push(comparison(op1, second));
    }
  } else {
    fail(path, `unknown numeric operator ${JSON.stringify(op0)} (use =, <, <=, >, >=)`);
  }
  return function numericTest(leaf) {
    return typeof leaf === 'number' && checks.every((check) => check(leaf));
  };
}

function comparison(op: string, n: number): (x: number) => boolean {
  if (op === '>') return (x) => x > n;
  if (op === '>=') return (x) => x >= n;
  if (op === '<') return (x) => x < n;
  return (x) => x <= n;
}

function compileCidr(value: unknown, path: string): ValueTest {
  const text = requireString(value, path, 'cidr');
  const [network, bitsText, ...rest] = text.split('/');
  const family = isIP(network ?? '');
  const bits = Number(bitsText);
  const maxBits = family === 6 ? 128 : 32;
  if (rest.length > 0 || family === 0 || !Number.isInteger(bits) || bits < 0 || bits > maxBits) {
    fail(path, `cidr ${JSON.stringify(text)} is not an IPv4 or IPv6 CIDR block`);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const blocks = new BlockList();
  blocks.addSubnet(network!, bits, type);
  return function cidrTest(leaf) {
    return typeof leaf === 'string' && isIP(leaf) === family && blocks.check(leaf, type);
  };
}

/** anything-but: a value, an all-strings or all-numbers list, or one nested string operator. */
function compileAnythingBut(value: unknown, path: string): ValueTest {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const key = keys[0];
    if (keys.length !== 1) fail(path, 'anything-but takes exactly one nested operator');
    const inner = value[key!];
    let tests: ValueTest[];
    if (key === 'prefix' || key === 'suffix') {
      tests = requireStrings(inner, `${path}.${key}`, key).map((text) => compileAffix(text, path, key));
    } else if (key === 'wildcard') {
      tests = requireStrings(inner, `${path}.wildcard`, key).map((text) => compileWildcard(text, path));
    } else if (key === 'equals-ignore-case') {
      const words = new Set(requireStrings(inner, `${path}.${key}`, key).map((text) => text.toLowerCase()));
      tests = [(leaf) => typeof leaf === 'string' && words.has(leaf.toLowerCase())];
    } else {
      fail(path, `anything-but does not support the nested operator ${JSON.stringify(key)}`);
    }
    return (leaf) => !tests.some((test) => test(leaf));
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(path, 'anything-but list must not be empty');
  const allStrings = list.every((item) => typeof item === 'string');
  const allNumbers = list.every((item) => typeof item === 'number' && Number.isFinite(item));
  if (!allStrings && !allNumbers) fail(path, 'anything-but takes strings only or numbers only');
  const excluded = new Set<Leaf>(list as Leaf[]);
  return (leaf) => !excluded.has(leaf);
}

function compileOperator(operator: Record<string, unknown>, path: string): LeafMatcher {
  const keys = Object.keys(operator);
  if (keys.length !== 1) fail(path, `an operator object must have exactly one key, got ${keys.length}`);
  const key = keys[0]!;
  const value = operator[key];
  const opPath = `${path}.${key}`;
  if (key === 'exists') {
    if (typeof value !== 'boolean') fail(opPath, 'exists takes true or false');
    // Only leaves count: a field holding an object "does not exist" for exists matching.
    return (leaves) => leaves.length > 0 === value;
  }
  let test: ValueTest;
  if (key === 'prefix' || key === 'suffix') test = compileAffix(value, opPath, key);
  else if (key === 'equals-ignore-case') {
    const wanted = requireString(value, opPath, key).toLowerCase();
    test = (leaf) => typeof leaf === 'string' && leaf.toLowerCase() === wanted;
  } else if (key === 'wildcard') test = compileWildcard(value, opPath);
  else if (key === 'numeric') test = compileNumeric(value, opPath);
  else if (key === 'cidr') test = compileCidr(value, opPath);
  else if (key === 'anything-but') test = compileAnythingBut(value, opPath);
  else fail(path, `unknown operator ${JSON.stringify(key)}`);
  return (leaves) => leaves.some(test);
}

/** Compiles `[ "a", 3, null, { "prefix": "x" } ]`: the field matches when any element matches. */
export function compileLeaf(values: unknown[], path: string): LeafMatcher {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  const matchers = values.map(function compileElement(element, index): LeafMatcher {
    const elementPath = `${path}[${index}]`;
    if (element === null || typeof element === 'string' || typeof element === 'boolean') {
      return (leaves) => leaves.includes(element);
    }
    if (typeof element === 'number') {
      if (!Number.isFinite(element)) fail(elementPath, 'numbers must be finite');
      return (leaves) => leaves.includes(element);
    }
    if (isPlainObject(element)) return compileOperator(element, elementPath);
    return fail(elementPath, 'arrays inside a match list are not allowed');
  });
  return (leaves) => matchers.some((matcher) => matcher(leaves));
}
