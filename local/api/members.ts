/**
 * The request members of each operation and their JSON types, checked the way AWS's front end
 * does before an operation runs: a wrong JSON type is a SerializationException, a missing
 * required member or an out-of-range number a ValidationException with AWS's wording.
 */
import { SerializationException, ValidationException } from './errors.js';

export type MemberType = 'string' | 'integer' | 'boolean' | 'list';

export interface MemberRule {
  type: MemberType;
  required?: boolean;
  min?: number;
  max?: number;
}

export type MemberRules = Readonly<Record<string, MemberRule>>;

function typeMatches(value: unknown, type: MemberType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
  }
}

/** Throws the error AWS would send for the first member of `body` that breaks `rules`. */
export function checkMembers(body: Record<string, unknown>, rules: MemberRules): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = body[name];
    if (value === undefined || value === null) {
      if (rule.required) {
        throw new ValidationException(
          `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
        );
      }
      continue;
    }
    if (!typeMatches(value, rule.type)) {
      throw new SerializationException(
        `Unexpected value for member '${name}': expected ${rule.type}, got ${JSON.stringify(value)}`,
      );
    }
    if (typeof value === 'number') checkRange(name, value, rule);
  }
}

function checkRange(name: string, value: number, rule: MemberRule): void {
  if (rule.min !== undefined && value < rule.min) {
    throw new ValidationException(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value > rule.max) {
    throw new ValidationException(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`,
    );
  }
}
