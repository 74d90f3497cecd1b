/**
 * Reading CloudWatch request members the same way from JSON (timestamps as epoch seconds) and
 * CBOR (timestamps as Dates), with CloudWatch's errors: a missing member is MissingParameter,
 * a member of the wrong type a SerializationException.
 */
import type { Dimensions } from '../cloudwatch/index.js';
import { InvalidParameterValueException, MissingRequiredParameterException } from './cloudwatch-errors.js';
import { SerializationException } from './errors.js';

export type Members = Record<string, unknown>;

function missing(name: string): never {
  throw new MissingRequiredParameterException(`The parameter ${name} is required.`);
}

function wrongType(name: string, expected: string, value: unknown): never {
  throw new SerializationException(
    `Unexpected value for member '${name}': expected ${expected}, got ${JSON.stringify(value)}`,
  );
}

export function isMembers(value: unknown): value is Members {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function optionalString(body: Members, name: string, path = name): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') wrongType(path, 'string', value);
  return value;
}

export function requiredString(body: Members, name: string, path = name): string {
  const value = optionalString(body, name, path);
  if (value === undefined || value === '') missing(path);
  return value;
}

export function optionalInteger(body: Members, name: string, path = name): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) wrongType(path, 'integer', value);
  return value;
}

export function requiredInteger(body: Members, name: string, path = name): number {
  return optionalInteger(body, name, path) ?? missing(path);
}

export function optionalBoolean(body: Members, name: string, path = name): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') wrongType(path, 'boolean', value);
  return value;
}

export function optionalList(body: Members, name: string, path = name): unknown[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) wrongType(path, 'list', value);
  return value;
}

export function optionalStringList(body: Members, name: string, path = name): string[] | undefined {
  const list = optionalList(body, name, path);
  list?.forEach((item, i) => {
    if (typeof item !== 'string') wrongType(`${path}[${i}]`, 'string', item);
  });
  return list as string[] | undefined;
}

export function optionalStructure(body: Members, name: string, path = name): Members | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isMembers(value)) wrongType(path, 'structure', value);
  return value;
}

/**
 * A timestamp as simulated epoch milliseconds: a Date (CBOR tag 1), epoch seconds (JSON) or
 * an ISO 8601 string (which both protocols may carry).
 */
export function requiredTimestamp(body: Members, name: string): number {
  const value = body[name];
  if (value === undefined || value === null) missing(name);
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else wrongType(name, 'timestamp', value);
  if (!Number.isFinite(ms)) {
    throw new InvalidParameterValueException(
      `The parameter ${name} must be a valid timestamp, got ${String(value)}.`,
    );
  }
  return ms;
}

/** `[{Name, Value}]` as a record; CloudWatch allows at most 30 dimensions, each named once. */
export function dimensionsOf(body: Members, name = 'Dimensions', path = name): Dimensions {
  const list = optionalList(body, name, path) ?? [];
  if (list.length > 30) {
    throw new InvalidParameterValueException(`The collection ${path} must not have more than 30 members.`);
  }
  const dimensions: Record<string, string> = {};
  list.forEach((entry, i) => {
    if (!isMembers(entry)) wrongType(`${path}[${i}]`, 'structure', entry);
    const dimensionName = requiredString(entry, 'Name', `${path}.member.${i + 1}.Name`);
    const value = requiredString(entry, 'Value', `${path}.member.${i + 1}.Value`);
    if (Object.hasOwn(dimensions, dimensionName)) {
      throw new InvalidParameterValueException(
        `The collection ${path} must not have a duplicate dimension ${dimensionName}.`,
      );
    }
    dimensions[dimensionName] = value;
  });
  return dimensions;
}

/** A record of dimensions as CloudWatch lists them. */
export function dimensionList(dimensions: Dimensions): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}
