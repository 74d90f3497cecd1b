/**
 * The kinds of field the lab configuration is made of. Each builder declares a field's type and
 * bounds together with the message a person reads when a value is refused, so a bound and its
 * message cannot disagree. Messages leave out where the field is: zod keeps an issue's path apart
 * from its message, and parseLabConfig puts the dotted path in front ("section2.maxSize must be …").
 */
// `* as z`, not `{ z }`: the exported `z` object also holds every locale's messages, which a
// bundler then keeps (about 360 kB more in each Lambda bundle); the namespace import tree-shakes.
import * as z from 'zod';

type Issue = z.core.$ZodRawIssue;

/** A refused value as a message shows it: numbers as JS prints them (NaN too), the rest as JSON. */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value); // a cycle: not JSON, and not worth more than a hint in a message
  }
}

/** An integer from `min` to `max` (both included). */
export function integer(min: number, max: number) {
  function message(issue: Issue): string {
    if (typeof issue.input !== 'number') return `must be a number, got ${shown(issue.input)}`;
    return `must be an integer from ${min} to ${max} (got ${shown(issue.input)})`;
  }
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** A finite number from `min` to `max` (both included). */
export function number(min: number, max: number) {
  function message(issue: Issue): string {
    if (typeof issue.input !== 'number') return `must be a number, got ${shown(issue.input)}`;
    return `must be a number from ${min} to ${max} (got ${shown(issue.input)})`;
  }
  return z.number({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** A TCP port a listener or health check can use. */
export function port() {
  return integer(1, 65535);
}

/** A string matching `pattern`; `what` says in words what the pattern allows. */
export function text(pattern: RegExp, what: string) {
  function message(issue: Issue): string {
    if (typeof issue.input !== 'string') return `must be a string, got ${shown(issue.input)}`;
    return `must be ${what} (got ${shown(issue.input)})`;
  }
  return z.string({ error: message }).regex(pattern, { error: message });
}

/** The path of an HTTP request: starts with "/", at most `maxLength` characters (as AWS allows). */
export function httpPath(maxLength: number) {
  function message(issue: Issue): string {
    if (typeof issue.input !== 'string') return `must be a string, got ${shown(issue.input)}`;
    return `must start with "/" and be at most ${maxLength} characters (got ${shown(issue.input)})`;
  }
  // A regex, not .startsWith: zod writes that into the JSON Schema as a format of its own, which
  // strict validators refuse; a pattern every validator knows.
  return z.string({ error: message }).regex(/^\//, { error: message }).max(maxLength, { error: message });
}

/** One of a few allowed strings; a refused value is answered with the whole list. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V) {
  const allowed = values.join(', ');
  return z.enum(values, { error: (issue) => `must be one of ${allowed} (got ${shown(issue.input)})` });
}

/** A field with one allowed value (the app a section runs: the lab has exactly one of each). */
export function only<const V extends string>(value: V) {
  return z.literal(value, {
    error: (issue) => `must be ${JSON.stringify(value)} (got ${shown(issue.input)})`,
  });
}

/**
 * A group of fields that refuses fields it does not know (a misspelt name would otherwise be
 * dropped silently and its default used), listing the ones it knows. parseLabConfig names the
 * unknown field in front of the message.
 */
export function section<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `is not a configuration field (known: ${known})`
        : `must be an object, got ${shown(issue.input)}`,
  });
}

/**
 * A rule between fields of one section (its own bounds cannot see the other field), for
 * `.superRefine`: when `holds` is false the issue is reported on `field`.
 */
export function rule<T>(
  field: keyof T & string,
  holds: (value: T) => boolean,
  message: (value: T) => string,
): (value: T, ctx: z.RefinementCtx<T>) => void {
  return function checkRule(value, ctx) {
    if (!holds(value))
      ctx.addIssue({ code: 'custom', path: [field], message: message(value), input: value[field] });
  };
}
