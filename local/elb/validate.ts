import { isIP } from 'node:net';
import {
  DEREGISTRATION_DELAY_DEFAULT_SECONDS,
  DEREGISTRATION_DELAY_RANGE,
  HEALTH_CHECK_DEFAULTS,
  HEALTH_CHECK_PATH_MAX_LENGTH,
  HEALTH_CHECK_RANGES,
  MATCHER_CODE_RANGE,
  NAME_MAX_LENGTH,
} from './constants.js';
import { InvalidTargetException, ValidationError } from './errors.js';
import type {
  CreateLoadBalancerProps,
  CreateTargetGroupProps,
  HealthCheckSettings,
  TargetGroupConfig,
  TargetRegistration,
} from './types.js';

const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > NAME_MAX_LENGTH) {
    throw new ValidationError(
      `${kind} name must be 1 to ${NAME_MAX_LENGTH} characters, got ${JSON.stringify(name)}`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `${kind} name '${name}' may contain only alphanumerics and hyphens, and must not begin or end with a hyphen`,
    );
  }
  return name;
}

function checkInteger(what: string, value: unknown, [min, max]: readonly [number, number]): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** True for an IPv4 address in 127.0.0.0/8: the local cloud never talks to anything else. */
export function isLoopbackIPv4(address: string): boolean {
  return isIP(address) === 4 && address.startsWith('127.');
}

/** Validates the load balancer's props and fills in the defaults. */
export function validateLoadBalancerProps(props: CreateLoadBalancerProps): Required<CreateLoadBalancerProps> {
  const name = checkName('Load balancer', props.name);
  if (name.startsWith('internal-')) {
    throw new ValidationError(`Load balancer name '${name}' must not begin with 'internal-'`);
  }
  const port = checkInteger('Listener port', props.port ?? 0, [0, 65535]);
  const host = props.host ?? '127.0.0.1';
  if (!isLoopbackIPv4(host)) {
    throw new ValidationError(
      `Load balancer host must be a loopback IPv4 address (127.x.x.x), got '${host}'`,
    );
  }
  return { name, port, host };
}

/**
 * Parses ELBv2's `Matcher.HttpCode`: a code ("200"), a list ("200,202") or a range ("200-299"),
 * each within 200–499 as AWS allows for ALB HTTP health checks.
 */
export function parseMatcher(matcher: string): Set<number> {
  const codes = new Set<number>();
  const [low, high] = MATCHER_CODE_RANGE;
  const fail = (): never => {
    throw new ValidationError(
      `Health check matcher '${matcher}' must be codes from ${low} to ${high} as "200", "200,202" or "200-299"`,
    );
  };
  const isRange = /^\d{3}-\d{3}$/.test(matcher);
  if (!isRange && !/^\d{3}(,\d{3})*$/.test(matcher)) fail();
  if (isRange) {
    const [from, to] = matcher.split('-').map(Number) as [number, number];
    if (from > to || from < low || to > high) fail();
    for (let code = from; code <= to; code++) codes.add(code);
    return codes;
  }
  for (const code of matcher.split(',').map(Number)) {
    if (code < low || code > high) fail();
    codes.add(code);
  }
  return codes;
}

function validateHealthCheck(input: Partial<HealthCheckSettings> = {}): HealthCheckSettings {
  const settings = { ...HEALTH_CHECK_DEFAULTS, ...input };
  checkInteger('Health check interval', settings.intervalSeconds, HEALTH_CHECK_RANGES.intervalSeconds);
  checkInteger('Health check timeout', settings.timeoutSeconds, HEALTH_CHECK_RANGES.timeoutSeconds);
  checkInteger(
    'Healthy threshold count',
    settings.healthyThresholdCount,
    HEALTH_CHECK_RANGES.healthyThresholdCount,
  );
  checkInteger(
    'Unhealthy threshold count',
    settings.unhealthyThresholdCount,
    HEALTH_CHECK_RANGES.unhealthyThresholdCount,
  );
  if (settings.timeoutSeconds >= settings.intervalSeconds) {
    throw new ValidationError(
      `Health check timeout (${settings.timeoutSeconds} s) must be smaller than the interval (${settings.intervalSeconds} s)`,
    );
  }
  const path = settings.path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > HEALTH_CHECK_PATH_MAX_LENGTH) {
    throw new ValidationError(
      `Health check path must start with '/' and be at most ${HEALTH_CHECK_PATH_MAX_LENGTH} characters, got ${JSON.stringify(path)}`,
    );
  }
  if (typeof settings.matcher !== 'string')
    throw new ValidationError('Health check matcher must be a string');
  return settings;
}

/** Validates a target group's props against AWS's ranges and fills in AWS's defaults. */
export function validateTargetGroupProps(props: CreateTargetGroupProps): TargetGroupConfig {
  const name = checkName('Target group', props.name);
  const port = checkInteger('Target group port', props.port, [1, 65535]);
  const protocol = props.protocol ?? 'HTTP';
  if (protocol !== 'HTTP') {
    throw new ValidationError(`Target group protocol must be 'HTTP' locally, got '${String(protocol)}'`);
  }
  const healthCheck = validateHealthCheck(props.healthCheck);
  const deregistrationDelaySeconds = checkInteger(
    'Deregistration delay',
    props.deregistrationDelaySeconds ?? DEREGISTRATION_DELAY_DEFAULT_SECONDS,
    DEREGISTRATION_DELAY_RANGE,
  );
  const algorithm = props.algorithm ?? 'round_robin';
  if (algorithm !== 'round_robin' && algorithm !== 'least_outstanding_requests') {
    throw new ValidationError(
      `Load balancing algorithm must be 'round_robin' or 'least_outstanding_requests', got '${String(algorithm)}'`,
    );
  }
  const successCodes = parseMatcher(healthCheck.matcher);
  return { name, port, protocol, healthCheck, deregistrationDelaySeconds, algorithm, successCodes };
}

/** Validates targets to register; the port defaults to the target group's. */
export function validateTargets(
  targets: readonly TargetRegistration[],
  defaultPort: number,
): Required<TargetRegistration>[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new ValidationError('At least one target must be given');
  }
  return targets.map((target) => {
    if (typeof target.id !== 'string' || target.id.length === 0) {
      throw new InvalidTargetException('Target id must be a non-empty string');
    }
    if (typeof target.ip !== 'string' || !isLoopbackIPv4(target.ip)) {
      throw new InvalidTargetException(
        `Target ${target.id} must have a loopback IPv4 address (127.x.x.x), got ${JSON.stringify(target.ip)}`,
      );
    }
    const port = checkInteger(`Port of target ${target.id}`, target.port ?? defaultPort, [1, 65535]);
    return { id: target.id, ip: target.ip, port };
  });
}
