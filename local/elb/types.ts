/** Public types of the local ELBv2 service, named after the ELBv2 API's shapes. */

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export type TargetHealthReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Elb.InternalError'
  | 'Target.NotRegistered'
  | 'Target.NotInUse'
  | 'Target.DeregistrationInProgress'
  | 'Target.HealthCheckDisabled';

/** As ELBv2's `TargetHealth`: no reason nor description when healthy. */
export interface TargetHealth {
  state: TargetHealthState;
  reason?: TargetHealthReason;
  description?: string;
}

/** As ELBv2's `TargetDescription` (instance targets: the id is the instance id). */
export interface TargetDescription {
  id: string;
  port: number;
}

/** One entry of {@link LocalElb.describeTargetHealth}, as ELBv2's `TargetHealthDescription`. */
export interface TargetHealthDescription {
  target: TargetDescription;
  healthCheckPort: string;
  targetHealth: TargetHealth;
}

/** A target to register: an instance id and the instance's private (loopback) address. */
export interface TargetRegistration {
  id: string;
  /** The instance's private IP; must be a loopback address (127.0.0.0/8). */
  ip: string;
  /** Defaults to the target group's port. */
  port?: number;
}

export interface HealthCheckSettings {
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** Success codes as ELBv2's `Matcher.HttpCode`: "200", "200,202" or "200-299". */
  matcher: string;
}

export type LoadBalancingAlgorithm = 'round_robin' | 'least_outstanding_requests';

export interface CreateLoadBalancerProps {
  name: string;
  /** Listener port on the host; 0 (default) picks a free one. */
  port?: number;
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
}

export interface CreateTargetGroupProps {
  name: string;
  /** Default port of registered targets (the lab uses 5000). */
  port: number;
  protocol?: 'HTTP';
  healthCheck?: Partial<HealthCheckSettings>;
  deregistrationDelaySeconds?: number;
  algorithm?: LoadBalancingAlgorithm;
}

/** What a target group is after validation and defaults. */
export interface TargetGroupConfig {
  name: string;
  port: number;
  protocol: 'HTTP';
  healthCheck: HealthCheckSettings;
  deregistrationDelaySeconds: number;
  algorithm: LoadBalancingAlgorithm;
  /** Parsed matcher: accepted status codes. */
  successCodes: ReadonlySet<number>;
}

/** Passed to {@link LocalElb.onTargetHealthChange} listeners on every state or reason change. */
export interface TargetHealthChange {
  targetGroupArn: string;
  targetGroupName: string;
  target: TargetDescription;
  previous: TargetHealth;
  current: TargetHealth;
  /** Simulated time of the change, ISO-8601. */
  time: string;
}
