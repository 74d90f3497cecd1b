/**
 * State of one target group: its registered targets, their health, in-flight requests and
 * request counters, and the choice of a target for each request (round robin or least
 * outstanding requests over healthy targets, failing open when none is healthy).
 */
import { randomBytes } from 'node:crypto';
import { arn } from '../arn.js';
import type { ClockTimer } from '../clock.js';
import { FAIL_OPEN_INCLUDES_INITIAL } from './constants.js';
import { InFlightRequests } from './in-flight.js';
import { type HealthTrack, healthChanged, REASON_DESCRIPTIONS, registeredTrack } from './target-state.js';
import type { TargetGroupConfig, TargetHealth, TargetHealthDescription } from './types.js';

/** One registered (or draining) target. */
export interface TargetRecord {
  readonly key: string;
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  track: HealthTrack;
  /** Bumped on every (re-)registration so a late check result of an old registration is ignored. */
  generation: number;
  /** The requests now being forwarded to this target. */
  readonly inFlight: InFlightRequests;
  requestCount: number;
  checkTimer?: ClockTimer;
  drainTimer?: ClockTimer;
}

export type HealthListener = (record: TargetRecord, previous: TargetHealth, current: TargetHealth) => void;

export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}

const NOT_IN_USE: TargetHealth = {
  state: 'unused',
  reason: 'Target.NotInUse',
  description: REASON_DESCRIPTIONS['Target.NotInUse'],
};

export class TargetGroup {
  readonly arn: string;
  /** ARN of the load balancer whose listener forwards here; unset while the group is unused. */
  loadBalancerArn: string | undefined;
  readonly targets = new Map<string, TargetRecord>();
  /** Request counts survive deregistration so reports can show requests per instance. */
  readonly requestCounts = new Map<string, number>();
  private cursor = 0;
  /** Routable targets, recomputed only when a target's health or membership changes (not per request). */
  private routableCache: TargetRecord[] | undefined;

  constructor(
    readonly config: TargetGroupConfig,
    private readonly onHealth: HealthListener,
  ) {
    this.arn = arn('elasticloadbalancing', `targetgroup/${config.name}/${randomBytes(8).toString('hex')}`);
  }

  get inUse(): boolean {
    return this.loadBalancerArn !== undefined;
  }

  /** Adds a target (state initial), or revives a draining one; returns undefined if already active. */
  register(id: string, ip: string, port: number): TargetRecord | undefined {
    const key = targetKey(id, port);
    const existing = this.targets.get(key);
    if (existing && existing.track.health.state !== 'draining') return undefined;
    if (existing) {
      existing.drainTimer?.cancel();
      existing.drainTimer = undefined;
      existing.generation++;
      this.setTrack(existing, registeredTrack());
      return existing;
    }
    const record: TargetRecord = {
      key,
      id,
      ip,
      port,
      track: registeredTrack(),
      generation: 0,
      inFlight: new InFlightRequests(),
      requestCount: 0,
    };
    this.targets.set(key, record);
    this.routableCache = undefined;
    this.onHealth(record, { state: 'unused', reason: 'Target.NotRegistered' }, record.track.health);
    return record;
  }

  /** Replaces a target's track and reports the change to the listener when it shows. */
  setTrack(record: TargetRecord, track: HealthTrack): void {
    const previous = record.track.health;
    record.track = track;
    this.routableCache = undefined;
    if (healthChanged(previous, track.health)) this.onHealth(record, previous, track.health);
  }

  /** Drops a target for good (after draining) and reports it as no longer registered. */
  remove(record: TargetRecord): void {
    if (this.targets.get(record.key) !== record) return;
    this.targets.delete(record.key);
    this.routableCache = undefined;
    record.checkTimer?.cancel();
    record.drainTimer?.cancel();
    const previous = record.track.health;
    this.onHealth(record, previous, {
      state: 'unused',
      reason: 'Target.NotRegistered',
      description: REASON_DESCRIPTIONS['Target.NotRegistered'],
    });
  }

  /** The health `describe-target-health` shows for a target of this group. */
  healthOf(record: TargetRecord): TargetHealth {
    if (!this.inUse && record.track.health.state !== 'draining') return NOT_IN_USE;
    return record.track.health;
  }

  /** Each target's state as describe-target-health shows it, for the HealthyHostCount metric. */
  *targetStates(): Iterable<string> {
    for (const record of this.targets.values()) yield this.healthOf(record).state;
  }

  describe(): TargetHealthDescription[] {
    return [...this.targets.values()].map((record) => ({
      target: { id: record.id, port: record.port },
      healthCheckPort: String(record.port),
      targetHealth: { ...this.healthOf(record) },
    }));
  }

  /**
   * Targets that may receive a new request: the healthy ones, or, when none is healthy, every
   * registered target that is not draining (AWS's fail-open).
   */
  routable(): TargetRecord[] {
    this.routableCache ??= this.computeRoutable();
    return this.routableCache;
  }

  private computeRoutable(): TargetRecord[] {
    const active = [...this.targets.values()].filter((record) => record.track.health.state !== 'draining');
    const healthy = active.filter((record) => record.track.health.state === 'healthy');
    if (healthy.length > 0) return healthy;
    if (FAIL_OPEN_INCLUDES_INITIAL) return active;
    return active.filter((record) => record.track.health.state === 'unhealthy');
  }

  /** Chooses the target for one request with the group's algorithm; undefined when none is routable. */
  pick(): TargetRecord | undefined {
    const candidates = this.routable();
    if (candidates.length === 0) return undefined;
    const start = this.cursor++ % candidates.length;
    if (this.config.algorithm === 'round_robin') return candidates[start];
    let best: TargetRecord | undefined;
    for (let offset = 0; offset < candidates.length; offset++) {
      const candidate = candidates[(start + offset) % candidates.length]!;
      if (best === undefined || candidate.inFlight.size < best.inFlight.size) best = candidate;
    }
    return best;
  }

  /** Counts one request forwarded to a target, for requests-per-instance reports. */
  countRequest(record: TargetRecord): void {
    record.requestCount++;
    this.requestCounts.set(record.id, (this.requestCounts.get(record.id) ?? 0) + 1);
  }
}
