/**
 * The loop that acts: active HTTP health checks of every target of a target group in use, on the
 * group's interval and timeout (simulated seconds through the Clock).
 */
import http from 'node:http';
import type { Clock } from '../clock.js';
import { HEALTH_CHECK_USER_AGENT } from './constants.js';
import type { TargetGroup, TargetRecord } from './target-group.js';
import { applyCheck, type CheckOutcome, initialCheckingHealth } from './target-state.js';
import type { TargetGroupConfig } from './types.js';

/**
 * Sends one health check: a GET of the path on a fresh connection that is closed afterwards (as
 * the ALB does), judged by the matcher; silence past the timeout is `Target.Timeout`.
 */
export function checkTarget(
  clock: Clock,
  config: TargetGroupConfig,
  target: { ip: string; port: number },
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: CheckOutcome): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      request.destroy();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    // Closing the service must not leave a check's socket or timer behind; the outcome is ignored then.
    const onAbort = (): void =>
      settle({ ok: false, reason: 'Target.FailedHealthChecks', description: 'aborted' });
    const request = http.request({
      host: target.ip,
      port: target.port,
      path: config.healthCheck.path,
      method: 'GET',
      agent: false,
      headers: { 'user-agent': HEALTH_CHECK_USER_AGENT, connection: 'close', accept: '*/*' },
    });
    const timer = clock.setTimeout(
      () => settle({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' }),
      config.healthCheck.timeoutSeconds,
    );
    request.on('response', function judgeResponse(response) {
      response.resume();
      const code = response.statusCode ?? 0;
      if (config.successCodes.has(code)) settle({ ok: true });
      else
        settle({
          ok: false,
          reason: 'Target.ResponseCodeMismatch',
          description: `Health checks failed with these codes: [${code}]`,
        });
    });
    request.on('error', function failCheck() {
      settle({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
    });
    request.end();
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs the periodic checks of one target group's targets. */
export class HealthChecker {
  private stopped = false;
  private readonly closing = new AbortController();

  constructor(
    private readonly clock: Clock,
    private readonly group: TargetGroup,
  ) {}

  /** Starts checking a target now and then every interval; a running schedule is restarted. */
  start(record: TargetRecord): void {
    if (this.stopped || !this.group.inUse) return;
    record.checkTimer?.cancel();
    const generation = record.generation;
    const runOnce = (): void => {
      void this.runCheck(record, generation);
    };
    record.checkTimer = this.clock.setInterval(runOnce, this.group.config.healthCheck.intervalSeconds);
    runOnce();
  }

  /** Stops checking a target (it is draining or gone). */
  stop(record: TargetRecord): void {
    record.checkTimer?.cancel();
    record.checkTimer = undefined;
  }

  /** Starts every registered, non-draining target (the group just became in use). */
  startAll(): void {
    for (const record of this.group.targets.values()) {
      if (record.track.health.state !== 'draining') this.start(record);
    }
  }

  /** Stops every schedule for good. */
  close(): void {
    this.stopped = true;
    this.closing.abort();
    for (const record of this.group.targets.values()) this.stop(record);
  }

  private async runCheck(record: TargetRecord, generation: number): Promise<void> {
    if (record.track.health.reason === 'Elb.RegistrationInProgress') {
      this.group.setTrack(record, { ...record.track, health: initialCheckingHealth() });
    }
    const outcome = await checkTarget(this.clock, this.group.config, record, this.closing.signal);
    // A result that lands after deregistration, re-registration or close describes nothing current.
    const current = this.group.targets.get(record.key) === record && record.generation === generation;
    if (this.stopped || !current || record.track.health.state === 'draining') return;
    this.group.setTrack(record, applyCheck(record.track, outcome, this.group.config.healthCheck));
  }
}
