/**
 * The one lab configuration: the workflow's input, the local cloud's set-up, the verdict's
 * budgets and the CDK stacks all read this object. Defaults are the seed lab's values; where the
 * seed says nothing, the choice is documented on the field. Durations are simulated seconds
 * unless the name says `Ms` (real milliseconds).
 */
import { InvalidLabConfig } from './workflow-errors.js';

/** Target group health check (ALB, HTTP). */
export interface HealthCheckConfig {
  path: string;
  port: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** HTTP codes that count as healthy, ALB syntax: "200", "200-299", "200,302". */
  matcher: string;
}

export interface Section1Config {
  /** Instances running the seed app behind load balancer `web`. */
  instanceCount: number;
  app: 'seed';
  port: number;
  loadBalancerName: string;
  targetGroupName: string;
  /** GETs sent through the load balancer to see the round-robin spread. */
  requestCount: number;
  /** Largest deviation of any instance's share from an even share (0.2 = ±20 %). */
  spreadTolerance: number;
  /** The N of `POST {"num": N}` in the seed check. */
  seedValue: number;
}

export interface Section2Config {
  app: 'serve';
  port: number;
  loadBalancerName: string;
  targetGroupName: string;
  autoScalingGroupName: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Target tracking on ASGAverageCPUUtilization, in percent. */
  targetCpuPercent: number;
  instanceWarmupSeconds: number;
  cooldownSeconds: number;
  /** In-service and healthy instances that count as "scaled out". */
  scaleOutTo: number;
}

/** The CPU stress one `POST /` starts on the serve app (bounds of node-app/stress/stress-request.ts). */
export interface StressConfig {
  seconds: number;
  workers: number;
  load: number;
}

export interface TimeoutsConfig {
  /** How long provisioning may take to become healthy before the lab gives up. */
  healthySeconds: number;
  /** Pause between two target-health checks while waiting for health. */
  healthPollSeconds: number;
  /** How long tear-down waits for everything to be stopped / terminated. */
  tearDownSeconds: number;
  /** Real milliseconds one HTTP request through a load balancer may take. */
  httpRequestMs: number;
}

export interface LabConfig {
  section1: Section1Config;
  section2: Section2Config;
  healthCheck: HealthCheckConfig;
  /** Target group deregistration delay. */
  deregistrationDelaySeconds: number;
  /** From launch until the app answers on its port (simulated boot + user data). */
  instanceBootSeconds: number;
  stress: StressConfig;
  timeouts: TimeoutsConfig;
  /** Simulated seconds per real second in local runs (ignored on AWS). */
  timeScale: number;
}

/** Any part of a {@link LabConfig}, merged over the defaults by {@link parseLabConfig}. */
export type LabConfigOverrides = {
  [K in keyof LabConfig]?: LabConfig[K] extends object ? Partial<LabConfig[K]> : LabConfig[K];
};

/**
 * The seed lab's values. Choices where the seed is silent:
 * - health check interval 10 s / timeout 5 s / healthy 2 / unhealthy 2 (AWS defaults are
 *   30 / 5 / 5 / 2; a lab wants to see health quickly, and a new target needs one pass anyway);
 * - deregistration delay 30 s (AWS default 300 s would make every scale-in and tear-down 5 min
 *   longer while the seed apps hold no long requests);
 * - boot 60 s (a t3.micro with user data installing Node and the app, observed order of magnitude);
 * - stress 420 s: long enough that CPU stays high until the second instance is healthy
 *   (the scale-out budget's upper bound), short enough that the lab then cools down;
 * - time scale 20: the ~25-minute lab in a little over a minute of real time.
 */
export const DEFAULT_LAB_CONFIG: Readonly<LabConfig> = deepFreeze({
  section1: {
    instanceCount: 2,
    app: 'seed',
    port: 5000,
    loadBalancerName: 'web',
    targetGroupName: 'web-targets',
    requestCount: 20,
    spreadTolerance: 0.2,
    seedValue: 100,
  },
  section2: {
    app: 'serve',
    port: 5000,
    loadBalancerName: 'scaling',
    targetGroupName: 'scaling-targets',
    autoScalingGroupName: 'scalelab-serve',
    minSize: 0,
    maxSize: 3,
    desiredCapacity: 1,
    targetCpuPercent: 50,
    instanceWarmupSeconds: 300,
    cooldownSeconds: 300,
    scaleOutTo: 2,
  },
  healthCheck: {
    path: '/',
    port: 5000,
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 2,
    matcher: '200',
  },
  deregistrationDelaySeconds: 30,
  instanceBootSeconds: 60,
  stress: { seconds: 420, workers: 1, load: 100 },
  timeouts: { healthySeconds: 300, healthPollSeconds: 10, tearDownSeconds: 300, httpRequestMs: 5000 },
  timeScale: 20,
} satisfies LabConfig);

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value))
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}

type Path = string;

function fail(message: string): never {
  throw new InvalidLabConfig(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `override` over `base`, refusing unknown fields and values of another type than the default's. */
function mergeOver(base: Record<string, unknown>, override: unknown, path: Path): Record<string, unknown> {
  if (!isPlainObject(override))
    fail(`${path || 'configuration'} must be an object, got ${describe(override)}`);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in base)) fail(`${at} is not a configuration field (known: ${Object.keys(base).join(', ')})`);
    const current = base[key];
    if (value === undefined) continue;
    if (isPlainObject(current)) merged[key] = mergeOver(current, value, at);
    else if (typeof value !== typeof current)
      fail(`${at} must be a ${typeof current}, got ${describe(value)}`);
    else merged[key] = value;
  }
  return merged;
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function integer(path: Path, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${path} must be an integer from ${min} to ${max} (got ${value})`);
  }
}

function number(path: Path, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    fail(`${path} must be a number from ${min} to ${max} (got ${value})`);
  }
}

// Load balancer and target group names as AWS accepts them.
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const MATCHER = /^\d{3}(?:-\d{3})?(?:,\d{3}(?:-\d{3})?)*$/;

function name(path: Path, value: string, pattern: RegExp, what: string): void {
  if (!pattern.test(value)) fail(`${path} must be ${what} (got ${JSON.stringify(value)})`);
}

function checkSection1(s: Section1Config): void {
  integer('section1.instanceCount', s.instanceCount, 2, 10);
  if (s.app !== 'seed') fail(`section1.app must be "seed" (got ${JSON.stringify(s.app)})`);
  integer('section1.port', s.port, 1, 65535);
  name('section1.loadBalancerName', s.loadBalancerName, ELB_NAME, '1-32 letters, digits or inner hyphens');
  name('section1.targetGroupName', s.targetGroupName, ELB_NAME, '1-32 letters, digits or inner hyphens');
  integer('section1.requestCount', s.requestCount, s.instanceCount, 1000);
  number('section1.spreadTolerance', s.spreadTolerance, 0, 1);
  integer('section1.seedValue', s.seedValue, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

function checkSection2(s: Section2Config): void {
  if (s.app !== 'serve') fail(`section2.app must be "serve" (got ${JSON.stringify(s.app)})`);
  integer('section2.port', s.port, 1, 65535);
  name('section2.loadBalancerName', s.loadBalancerName, ELB_NAME, '1-32 letters, digits or inner hyphens');
  name('section2.targetGroupName', s.targetGroupName, ELB_NAME, '1-32 letters, digits or inner hyphens');
  name('section2.autoScalingGroupName', s.autoScalingGroupName, /^[\w.-]{1,255}$/, 'a group name');
  integer('section2.minSize', s.minSize, 0, 10);
  integer('section2.maxSize', s.maxSize, 0, 10);
  if (s.maxSize < s.minSize) {
    fail(`section2.maxSize must be >= section2.minSize (got max ${s.maxSize}, min ${s.minSize})`);
  }
  integer('section2.desiredCapacity', s.desiredCapacity, 1, 10);
  if (s.desiredCapacity < s.minSize || s.desiredCapacity > s.maxSize) {
    fail(
      `section2.desiredCapacity must be within [minSize, maxSize] (got ${s.desiredCapacity}, range ${s.minSize}-${s.maxSize})`,
    );
  }
  number('section2.targetCpuPercent', s.targetCpuPercent, 1, 100);
  integer('section2.instanceWarmupSeconds', s.instanceWarmupSeconds, 0, 3600);
  integer('section2.cooldownSeconds', s.cooldownSeconds, 0, 3600);
  if (s.scaleOutTo <= s.desiredCapacity || s.scaleOutTo > s.maxSize) {
    fail(
      `section2.scaleOutTo must be above desiredCapacity and at most maxSize (got ${s.scaleOutTo}, desired ${s.desiredCapacity}, max ${s.maxSize})`,
    );
  }
}

function checkHealthCheck(h: HealthCheckConfig): void {
  if (!h.path.startsWith('/') || h.path.length > 1024) {
    fail(
      `healthCheck.path must start with "/" and be at most 1024 characters (got ${JSON.stringify(h.path)})`,
    );
  }
  integer('healthCheck.port', h.port, 1, 65535);
  // The ranges AWS accepts for an ALB target group.
  integer('healthCheck.intervalSeconds', h.intervalSeconds, 5, 300);
  integer('healthCheck.timeoutSeconds', h.timeoutSeconds, 2, 120);
  if (h.timeoutSeconds >= h.intervalSeconds) {
    fail(
      `healthCheck.timeoutSeconds must be below healthCheck.intervalSeconds (got timeout ${h.timeoutSeconds}, interval ${h.intervalSeconds})`,
    );
  }
  integer('healthCheck.healthyThresholdCount', h.healthyThresholdCount, 2, 10);
  integer('healthCheck.unhealthyThresholdCount', h.unhealthyThresholdCount, 2, 10);
  name('healthCheck.matcher', h.matcher, MATCHER, 'HTTP codes like "200", "200-299" or "200,302"');
}

function checkRest(c: LabConfig): void {
  integer('deregistrationDelaySeconds', c.deregistrationDelaySeconds, 0, 3600);
  integer('instanceBootSeconds', c.instanceBootSeconds, 0, 1800);
  integer('stress.seconds', c.stress.seconds, 1, 3600);
  integer('stress.workers', c.stress.workers, 1, 4);
  integer('stress.load', c.stress.load, 1, 100);
  integer('timeouts.healthySeconds', c.timeouts.healthySeconds, 1, 3600);
  integer('timeouts.healthPollSeconds', c.timeouts.healthPollSeconds, 1, 300);
  if (c.timeouts.healthPollSeconds > c.timeouts.healthySeconds) {
    fail(
      `timeouts.healthPollSeconds must be at most timeouts.healthySeconds (got poll ${c.timeouts.healthPollSeconds}, healthy ${c.timeouts.healthySeconds})`,
    );
  }
  integer('timeouts.tearDownSeconds', c.timeouts.tearDownSeconds, 1, 3600);
  integer('timeouts.httpRequestMs', c.timeouts.httpRequestMs, 10, 60_000);
  number('timeScale', c.timeScale, 0.001, 10_000);
}

/**
 * Validates `input` (overrides, merged over {@link DEFAULT_LAB_CONFIG}) and returns the full
 * configuration. Throws {@link InvalidLabConfig} whose message names the first bad field, e.g.
 * `section2.maxSize must be >= section2.minSize (got max 0, min 1)`.
 */
export function parseLabConfig(input: unknown = {}): LabConfig {
  // A fresh copy: the defaults are frozen and callers may keep and change what they get.
  const merged = structuredClone(
    mergeOver(DEFAULT_LAB_CONFIG as unknown as Record<string, unknown>, input ?? {}, ''),
  ) as unknown as LabConfig;
  checkSection1(merged.section1);
  checkSection2(merged.section2);
  checkHealthCheck(merged.healthCheck);
  checkRest(merged);
  return merged;
}

/**
 * The configuration a step that must run whatever happened (tear-down, verdict) works with: the
 * lab's own when it is valid, the defaults when validate refused it (which is how some executions
 * reach those steps).
 */
export function labConfigOrDefaults(lab: unknown): LabConfig {
  const config = typeof lab === 'object' && lab !== null ? (lab as { config?: unknown }).config : undefined;
  try {
    return parseLabConfig(config);
  } catch {
    return parseLabConfig();
  }
}
