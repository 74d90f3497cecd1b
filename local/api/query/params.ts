/**
 * Typed reads of a request's members from its form tree, failing with the error its protocol
 * uses: EC2 answers a missing parameter with `MissingParameter` and a bad one with
 * `InvalidParameterValue`; AWS query services with a `ValidationError` in AWS's wording.
 */
import { QueryError } from './errors.js';
import type { FormTree, FormValue } from './form.js';

/** How a protocol words a missing, an invalid and an unsupported member. */
export interface ParamErrors {
  missing(name: string): QueryError;
  invalid(name: string, value: string, expected: string): QueryError;
  unsupported(name: string): QueryError;
}

function unsupportedMessage(name: string): string {
  return `The local endpoint does not support the parameter ${name}`;
}

export const EC2_PARAM_ERRORS: ParamErrors = {
  missing: (name) => new QueryError('MissingParameter', `The request must contain the parameter ${name}`),
  invalid: (name, value, expected) =>
    new QueryError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. ${expected}`),
  unsupported: (name) => new QueryError('InvalidParameter', unsupportedMessage(name)),
};

export const AWS_QUERY_PARAM_ERRORS: ParamErrors = {
  missing: (name) =>
    new QueryError(
      'ValidationError',
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    ),
  invalid: (name, value, expected) =>
    new QueryError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: ${expected}`,
    ),
  unsupported: (name) => new QueryError('ValidationError', unsupportedMessage(name)),
};

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Members the protocol itself sends with every request. */
const ENVELOPE = new Set(['Action', 'Version']);

/** One request's (or one structure's) members. */
export class QueryParams {
  constructor(
    private readonly tree: FormTree,
    readonly errors: ParamErrors,
    /** Where this structure is, for messages: `Filter.1.` */
    private readonly prefix = '',
  ) {}

  /**
   * Refuses members the local services do not model: a member AWS knows but the endpoint would
   * ignore would be a silent success that behaves differently on AWS.
   */
  only(...allowed: string[]): this {
    for (const name of Object.keys(this.tree)) {
      if (ENVELOPE.has(name) || allowed.includes(name)) continue;
      throw this.errors.unsupported(this.prefix + name);
    }
    return this;
  }

  string(name: string): string | undefined {
    const value = this.tree[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw this.errors.invalid(this.prefix + name, '[...]', 'Expected a string');
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw this.errors.missing(this.prefix + name);
    return value;
  }

  integer(name: string, { min, max }: { min?: number; max?: number } = {}): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw this.errors.invalid(this.prefix + name, text, 'Member must be an integer');
    }
    if (min !== undefined && value < min) {
      throw this.errors.invalid(
        this.prefix + name,
        text,
        `Member must have value greater than or equal to ${min}`,
      );
    }
    if (max !== undefined && value > max) {
      throw this.errors.invalid(
        this.prefix + name,
        text,
        `Member must have value less than or equal to ${max}`,
      );
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') {
      throw this.errors.invalid(this.prefix + name, text, 'Member must be true or false');
    }
    return text === 'true';
  }

  /** A list of strings; a lone value without an index counts as a one-item list. */
  strings(name: string): string[] | undefined {
    const value = this.tree[name];
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
      throw this.errors.invalid(this.prefix + name, '{...}', 'Member must be a list of strings');
    }
    return items;
  }

  /** A list of structures, each read with its own {@link QueryParams}. */
  structures(name: string): QueryParams[] | undefined {
    const value = this.tree[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw this.errors.invalid(this.prefix + name, '...', 'Member must be a list of structures');
    }
    return value.map((item: FormValue, i) => {
      if (typeof item === 'string' || Array.isArray(item)) {
        throw this.errors.invalid(`${this.prefix}${name}.${i + 1}`, '...', 'Member must be a structure');
      }
      return new QueryParams(item, this.errors, `${this.prefix}${name}.${i + 1}.`);
    });
  }
}
