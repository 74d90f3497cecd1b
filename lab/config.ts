/**
 * The one lab configuration: the workflow's input, the local cloud's set-up, the verdict's
 * budgets and the CDK stacks all read this object. It is declared once, in lab/config-schema.ts
 * (types, defaults, bounds, descriptions); this module is what the rest of scalelab uses of it.
 */
import * as z from 'zod'; // not `{ z }`: see lab/config-fields.ts
import { labConfigSchema } from './config-schema.js';
import { InvalidLabConfig } from './workflow-errors.js';

/** The full, validated lab configuration. */
export type LabConfig = z.output<typeof labConfigSchema>;
/** Section 1: load balancing across instances of the seed app. */
export type Section1Config = LabConfig['section1'];
/** Section 2: an Auto Scaling group of serve apps, scaled on CPU. */
export type Section2Config = LabConfig['section2'];
/** Target group health check (ALB, HTTP). */
export type HealthCheckConfig = LabConfig['healthCheck'];
/** The CPU stress one `POST /` starts on the serve app. */
export type StressConfig = LabConfig['stress'];
/** How long the lab waits for what. */
export type TimeoutsConfig = LabConfig['timeouts'];

/** Any part of a {@link LabConfig}, merged over the defaults by {@link parseLabConfig}. */
export type LabConfigOverrides = z.input<typeof labConfigSchema>;

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value))
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}

/**
 * The seed lab's values: every field's default in lab/config-schema.ts, where each choice the seed
 * is silent about is explained. Frozen all the way down; {@link parseLabConfig} returns copies.
 */
export const DEFAULT_LAB_CONFIG: Readonly<LabConfig> = deepFreeze(labConfigSchema.parse({}));

/** `["section2", "maxSize"]` as a person reads it; the whole configuration when the path is empty. */
function dotted(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'configuration' : path.map(String).join('.');
}

/**
 * The issue to report. A field that is not in the configuration comes first: a misspelt name
 * leaves the meant field at its default, and a rule that then fails would point at the wrong cause.
 */
function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  return issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  return `${dotted(path)} ${issue.message}`;
}

/**
 * Validates `input` (overrides, merged over {@link DEFAULT_LAB_CONFIG}) and returns the full
 * configuration, a fresh copy the caller may change. Throws {@link InvalidLabConfig} whose message
 * names the first bad field by its dotted path, e.g.
 * `section2.maxSize must be >= section2.minSize (got max 0, min 1)`.
 */
export function parseLabConfig(input: unknown = {}): LabConfig {
  const result = labConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = firstIssue(result.error.issues);
  throw new InvalidLabConfig(issue ? describeIssue(issue) : 'the configuration is invalid');
}

/**
 * Checks overrides on their own, before they are merged over a configuration the caller does not
 * know (the deployed one, which only the workflow's Validate step has): every field known and
 * within its own bounds. The rules between fields (maxSize >= minSize, …) are left to the merge,
 * since either side of a rule may come from the deployed configuration. Throws like
 * {@link parseLabConfig}.
 */
export function checkLabConfigFields(overrides: unknown): void {
  const result = labConfigSchema.safeParse(overrides ?? {});
  if (result.success) return;
  // `custom` issues are the rules between fields (lab/config-fields.ts `rule`).
  const issue = firstIssue(result.error.issues.filter(({ code }) => code !== 'custom'));
  if (issue) throw new InvalidLabConfig(describeIssue(issue));
}

/**
 * The configuration a step that must run whatever happened (tear-down, verdict) finds in the
 * state: the execution's when validate accepted it, undefined when validate refused it (which is
 * how some executions reach those steps); they then use the deployed one.
 */
export function labConfigIfValid(lab: unknown): LabConfig | undefined {
  const config = typeof lab === 'object' && lab !== null ? (lab as { config?: unknown }).config : undefined;
  if (config === undefined) return undefined;
  try {
    return parseLabConfig(config);
  } catch {
    return undefined;
  }
}

/**
 * The configuration as a JSON Schema (draft 2020-12) of what a person may write: every field
 * optional with its default, description and bounds, unknown fields refused. The rules between
 * fields (maxSize >= minSize, …) are in the descriptions only: JSON Schema cannot compare fields.
 * docs/lab-config.schema.json is this, committed; a test keeps the two equal.
 */
export function labConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(labConfigSchema, { io: 'input' });
}
