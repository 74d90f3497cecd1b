/**
 * EventBridge event-pattern matching, following AWS's documented rules:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and the
 * "Content filtering" / "Comparison operators" pages. Every field named in the pattern must exist
 * with the same nesting; fields are ANDed, values in a list are ORed, an array in the event matches
 * when any of its elements matches, and `$or` ORs whole sub-patterns.
 */
import { InvalidEventPatternError } from './errors.js';
import { compileLeaf, type Leaf, type LeafMatcher } from './pattern-leaf.js';

/** An event pattern as CDK's `events.EventPattern` or `PutRule`'s parsed `EventPattern` holds it. */
export type EventPattern = Readonly<Record<string, unknown>>;

/** A compiled pattern: validated once, then cheap to apply to many events. */
export type CompiledPattern = (event: unknown) => boolean;

type NodeMatcher = (node: unknown) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid at "${path}": ${message}`);
}

/** Flattens nested arrays (event-ruler "crushes out" array structure). */
function flatten(value: readonly unknown[]): unknown[] {
  return value.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/** The leaves at a field: none when absent or when it holds an object (objects are not leaves). */
function leavesOf(value: unknown): Leaf[] {
  const items = Array.isArray(value) ? flatten(value) : [value];
  return items.filter(
    (item): item is Leaf =>
      item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean',
  );
}

function compileObject(pattern: Record<string, unknown>, path: string): NodeMatcher {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path || '(root)', 'empty objects are not allowed');
  const fieldMatchers = keys.map(function compileField(key): NodeMatcher {
    const value = pattern[key];
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === '$or') return compileOr(value, fieldPath, path);
    if (Array.isArray(value)) {
      const leafMatcher: LeafMatcher = compileLeaf(value, fieldPath);
      return (node) => leafMatcher(leavesOf(isPlainObject(node) ? node[key] : undefined));
    }
    if (isPlainObject(value)) {
      const nested = compileObject(value, fieldPath);
      return (node) => nested(isPlainObject(node) ? node[key] : undefined);
    }
    return fail(fieldPath, `a pattern value must be an array or an object, got ${JSON.stringify(value)}`);
  });
  const matchHere = (node: unknown): boolean => fieldMatchers.every((matcher) => matcher(node));
  return function matchNode(node) {
    if (!Array.isArray(node)) return matchHere(node);
    // Array-consistent matching: all fields must match inside the same element.
    const elements = flatten(node);
    return elements.length === 0 ? matchHere(undefined) : elements.some(matchHere);
  };
}

function compileOr(value: unknown, fieldPath: string, parentPath: string): NodeMatcher {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
    fail(fieldPath, '$or takes an array of at least two pattern objects');
  }
  const branches = value.map((branch, index) =>
    compileObject(branch as Record<string, unknown>, `${parentPath ? `${parentPath}.` : ''}$or[${index}]`),
  );
  return (node) => branches.some((branch) => branch(node));
}

/**
 * Validates `pattern` against AWS's rules and returns a matcher for it.
 * @throws InvalidEventPatternError naming the bad part (non-array leaf, unknown operator, bad numeric…).
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const parsed = typeof pattern === 'string' ? parsePatternJson(pattern) : pattern;
  if (!isPlainObject(parsed)) fail('(root)', 'an event pattern must be a JSON object');
  const matcher = compileObject(parsed, '');
  return (event) => matcher(event);
}

function parsePatternJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPatternError(`Event pattern is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Throws {@link InvalidEventPatternError} when `pattern` (object or JSON text) would be rejected by AWS. */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}

/** True when `event` matches `pattern`; validates the pattern first (throws if it is invalid). */
export function matchesPattern(pattern: EventPattern | string, event: unknown): boolean {
  return compilePattern(pattern)(event);
}
