/**
 * Which lab configuration fields an execution may change, and how an execution's overrides meet
 * the deployed configuration (the one the lab's resources were built from: the CDK stacks on AWS,
 * `scalelab serve` or `scalelab run` locally).
 *
 * Every field is fixed at deploy unless {@link PER_RUN_FIELDS} lists it, so a field added to the
 * schema cannot be changed by a run until someone decides it may. The fixed ones, and why:
 * - instance count, apps, ports, load balancer / target group / group names, instance type: the
 *   resources themselves (instances, listeners, security groups) are built with them;
 * - the group's min / max / desired, target CPU, warm-up, cooldown: the group and its
 *   target-tracking policy are declared with them (desired is the size the lab starts from and
 *   scales back to; the run's knob for what counts as scaled out is `section2.scaleOutTo`);
 * - health check settings, deregistration delay: attributes of the deployed target groups;
 * - instanceBootSeconds: how the deployed instances boot (locally the local cloud boots every
 *   instance that long from the moment it starts);
 * - timeScale: locally the local cloud's clock runs at it from the moment it starts (on AWS it is
 *   ignored), so a run asking for another would silently run at the deployed one.
 */
import type { LabConfig } from './config.js';
import { parseLabConfig } from './config.js';
import { InvalidLabConfig } from './workflow-errors.js';

type FieldPath<T> = {
  [K in keyof T & string]: T[K] extends Record<string, unknown> ? `${K}.${FieldPath<T[K]>}` : K;
}[keyof T & string];

/** A field of the lab configuration by its dotted path, e.g. `section2.maxSize`. */
export type LabConfigPath = FieldPath<LabConfig>;

/**
 * The fields an execution's input may change, each with why: none of them is a setting of a
 * deployed resource, only what the workflow does or expects during one run.
 */
export const PER_RUN_FIELDS = {
  'section1.requestCount': 'how many GETs the load-balancing check sends',
  'section1.spreadTolerance': 'how even their spread must be: a threshold of the check',
  'section1.seedValue': 'the N the seed check POSTs',
  'section2.scaleOutTo': 'how many healthy instances count as scaled out: an expectation (at most maxSize)',
  'stress.seconds': 'the body of the stress POST',
  'stress.cpuPercent': 'how hard the stress POST works the instance (its workers and load follow)',
  'timeouts.healthySeconds': 'how long the workflow waits for health',
  'timeouts.healthPollSeconds': 'how often the workflow looks while it waits',
  'timeouts.tearDownSeconds': 'how long tear-down waits',
  'timeouts.httpRequestMs': "how long the workflow's requests through a load balancer may take",
} as const satisfies Partial<Record<LabConfigPath, string>>;

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an execution may change the field at `path`. */
export function isPerRunField(path: string): boolean {
  return Object.hasOwn(PER_RUN_FIELDS, path);
}

/** Every field of `config` (sections walked into) with its dotted path. */
function* fields(config: JsonRecord, prefix: readonly string[] = []): Generator<[string[], unknown]> {
  for (const [key, value] of Object.entries(config)) {
    if (isRecord(value)) yield* fields(value, [...prefix, key]);
    else yield [[...prefix, key], value];
  }
}

/** What `record` holds at `path`, if it holds anything there. */
function valueAt(record: JsonRecord, path: readonly string[]): { found: boolean; value?: unknown } {
  let node: unknown = record;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return { found: false };
    node = node[key];
  }
  return { found: true, value: node };
}

/** `overrides` merged over `base`, section by section; new objects, so `base` stays as it was. */
function mergeOver(base: JsonRecord, overrides: JsonRecord): JsonRecord {
  // Object.fromEntries defines own properties: a "__proto__" key stays a key (the schema refuses it).
  return Object.fromEntries([
    ...Object.entries(base).filter(([key]) => !Object.hasOwn(overrides, key)),
    ...Object.entries(overrides).map(([key, value]) => {
      const under = base[key];
      return [key, isRecord(under) && isRecord(value) ? mergeOver(under, value) : value];
    }),
  ]);
}

function nested(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function fixedAtDeploy(path: readonly string[], deployed: unknown, asked: unknown): InvalidLabConfig {
  const dotted = path.join('.');
  const setting = `${dotted}=${typeof asked === 'string' ? asked : JSON.stringify(asked)}`;
  return new InvalidLabConfig(
    `${dotted} is fixed at deploy (the lab was deployed with ${JSON.stringify(deployed)}, the input asks ` +
      `for ${JSON.stringify(asked)}); an execution may change only the fields listed in ` +
      'lab/config-per-run.ts. To change it, redeploy with it in scalelab:config ' +
      `(npx cdk deploy --all -c 'scalelab:config=${JSON.stringify(nested(path, asked))}'), or locally ` +
      `restart scalelab serve with --set ${setting} (or --config)`,
  );
}

/**
 * The configuration of one execution: `overrides` (the execution input's `config`) merged over
 * `deployed`. Throws {@link InvalidLabConfig} naming the field when an override changes a field
 * fixed at deploy (repeating the deployed value is fine: `scalelab run` sends its whole
 * configuration), and as parseLabConfig does for anything else that is wrong.
 */
export function mergeOverDeployed(deployed: LabConfig, overrides: unknown): LabConfig {
  if (!isRecord(overrides)) {
    throw new InvalidLabConfig(`config must be an object, got ${JSON.stringify(overrides)}`);
  }
  for (const [path, deployedValue] of fields(deployed)) {
    if (isPerRunField(path.join('.'))) continue;
    const asked = valueAt(overrides, path);
    if (asked.found && JSON.stringify(asked.value) !== JSON.stringify(deployedValue)) {
      throw fixedAtDeploy(path, deployedValue, asked.value);
    }
  }
  return parseLabConfig(mergeOver(deployed, overrides));
}
