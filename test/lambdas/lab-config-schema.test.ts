import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CONFIG, labConfigJsonSchema } from '../../lab/config.js';

/** The JSON Schema keywords the lab's schema uses, all of which {@link violations} checks. */
const KNOWN_KEYWORDS = new Set([
  '$schema',
  'title',
  'description',
  'default',
  'type',
  'properties',
  'additionalProperties',
  'required',
  'minimum',
  'maximum',
  'maxLength',
  'pattern',
  'const',
  'enum',
]);

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keywordsOf(schema: JsonSchema): string[] {
  const nested = Object.values(schema.properties ?? {}).flatMap(keywordsOf);
  return [...Object.keys(schema), ...nested];
}

function typeProblem(schema: JsonSchema, value: unknown): boolean {
  switch (schema.type) {
    case 'object':
      return !isRecord(value);
    case 'integer':
      return !Number.isInteger(value);
    case 'number':
      return typeof value !== 'number' || !Number.isFinite(value);
    case 'string':
      return typeof value !== 'string';
    default:
      return false;
  }
}

/** Where `value` breaks `schema`, for the keywords in {@link KNOWN_KEYWORDS}; [] when it conforms. */
function violations(schema: JsonSchema, value: unknown, at = '$'): string[] {
  if (typeProblem(schema, value)) return [`${at} is not of type ${schema.type}`];
  const problems: string[] = [];
  if ('const' in schema && value !== schema.const)
    problems.push(`${at} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !schema.enum.includes(value))
    problems.push(`${at} is not one of the allowed values`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at} is below the minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at} is above the maximum`);
  }
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${at} does not match ${schema.pattern}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at} is too long`);
  }
  if (isRecord(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${at}.${key} is missing`);
    for (const [key, child] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...violations(property, child, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key} is not allowed`);
    }
  }
  return problems;
}

/** Every field (not section) of the schema, by dotted path. */
function fields(schema: JsonSchema, at = ''): Array<[string, JsonSchema]> {
  if (schema.properties === undefined) return [[at, schema]];
  return Object.entries(schema.properties).flatMap(([key, property]) =>
    fields(property, at ? `${at}.${key}` : key),
  );
}

function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), config);
}

describe('the lab configuration JSON Schema', () => {
  const schema = labConfigJsonSchema() as JsonSchema;

  // After changing lab/config-schema.ts: npx vitest run test/lambdas/lab-config-schema.test.ts -u
  // (-u after the file: before it, -u would take the file as its value and update every suite).
  it('is committed as docs/lab-config.schema.json, as labConfigJsonSchema() writes it', async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(
      '../../docs/lab-config.schema.json',
    );
  });

  it('uses only keywords this test checks, so the checks below cannot pass by ignoring one', () => {
    expect(keywordsOf(schema).filter((keyword) => !KNOWN_KEYWORDS.has(keyword))).toEqual([]);
  });

  it('accepts the defaults and documents each of them', () => {
    expect(violations(schema, DEFAULT_LAB_CONFIG)).toEqual([]);
    for (const [path, field] of fields(schema)) {
      expect(field.default, path).toEqual(valueAt(DEFAULT_LAB_CONFIG, path));
    }
  });

  it('refuses unknown fields, wrong types and values out of bounds', () => {
    expect(violations(schema, { section2: { maxSise: 3 } })).toEqual(['$.section2.maxSise is not allowed']);
    expect(violations(schema, { stress: { cpuPercent: 101 } })).toEqual([
      '$.stress.cpuPercent is above the maximum',
    ]);
    expect(violations(schema, { instanceType: 'm5.large' })).toEqual([
      '$.instanceType is not one of the allowed values',
    ]);
    expect(violations(schema, { section1: { instanceCount: '2' } })).toEqual([
      '$.section1.instanceCount is not of type integer',
    ]);
    expect(violations(schema, { healthCheck: { matcher: 'ok', path: 'x' } })).toHaveLength(2);
    expect(violations(schema, { section1: { app: 'serve' } })).toEqual(['$.section1.app is not "seed"']);
  });

  it('describes every field', () => {
    const undescribed = fields(schema).filter(([, field]) => !field.description);
    expect(undescribed.map(([path]) => path)).toEqual([]);
  });
});
