/**
 * The health state machine of one target, pure so its thresholds can be tested without HTTP:
 * one pass makes a new target healthy; `unhealthyThresholdCount` consecutive failures make a
 * target unhealthy; `healthyThresholdCount` consecutive passes bring an unhealthy one back.
 */
import { INITIAL_TO_UNHEALTHY_USES_UNHEALTHY_THRESHOLD } from './constants.js';
import type { HealthCheckSettings, TargetHealth } from './types.js';

/** The result of one health check. */
export type CheckOutcome =
  | { ok: true }
  | {
      ok: false;
      reason: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks';
      description: string;
    };

/** What the health checker tracks per target between checks. */
export interface HealthTrack {
  health: TargetHealth;
  consecutivePasses: number;
  consecutiveFailures: number;
}

/** AWS's wording for each reason (as `describe-target-health` prints it). */
export const REASON_DESCRIPTIONS = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
} as const;

/** The track of a target just registered with a target group that is in use. */
export function registeredTrack(): HealthTrack {
  return {
    health: {
      state: 'initial',
      reason: 'Elb.RegistrationInProgress',
      description: REASON_DESCRIPTIONS['Elb.RegistrationInProgress'],
    },
    consecutivePasses: 0,
    consecutiveFailures: 0,
  };
}

/** The first check has been sent: the target is now being checked, no longer registering. */
export function initialCheckingHealth(): TargetHealth {
  return {
    state: 'initial',
    reason: 'Elb.InitialHealthChecking',
    description: REASON_DESCRIPTIONS['Elb.InitialHealthChecking'],
  };
}

function unhealthyFrom(outcome: Extract<CheckOutcome, { ok: false }>): TargetHealth {
  return { state: 'unhealthy', reason: outcome.reason, description: outcome.description };
}

/** Applies one check's outcome to a track and returns the next track (never mutates). */
export function applyCheck(
  track: HealthTrack,
  outcome: CheckOutcome,
  settings: Pick<HealthCheckSettings, 'healthyThresholdCount' | 'unhealthyThresholdCount'>,
): HealthTrack {
  const passes = outcome.ok ? track.consecutivePasses + 1 : 0;
  const failures = outcome.ok ? 0 : track.consecutiveFailures + 1;
  const next = (health: TargetHealth): HealthTrack => ({
    health,
    consecutivePasses: passes,
    consecutiveFailures: failures,
  });
  const state = track.health.state;
  if (outcome.ok) {
    const recovers =
      state === 'initial' || (state === 'unhealthy' && passes >= settings.healthyThresholdCount);
    if (state === 'healthy' || recovers) return next({ state: 'healthy' });
    return next(track.health);
  }
  if (state === 'unhealthy') return next(unhealthyFrom(outcome));
  const threshold =
    state === 'initial' && !INITIAL_TO_UNHEALTHY_USES_UNHEALTHY_THRESHOLD
      ? 1
      : settings.unhealthyThresholdCount;
  if (failures >= threshold) return next(unhealthyFrom(outcome));
  return next(state === 'initial' ? initialCheckingHealth() : track.health);
}

/** True when two healths differ in what `describe-target-health` would show. */
export function healthChanged(a: TargetHealth, b: TargetHealth): boolean {
  return a.state !== b.state || a.reason !== b.reason || a.description !== b.description;
}
