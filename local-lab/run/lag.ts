/**
 * How far the run fell behind its own schedule. The local cloud's simulated time is real time
 * scaled, so real work that does not compress (a stalled event loop, a machine busy with other
 * processes) lets simulated time run on while nothing the model says should happen does: a health
 * check, a CPU sample or a Wait state's end comes late, in simulated time by the stall × the time
 * scale. Below a tolerance that changes nothing the verdict depends on; above it the timeline is
 * not the model's, and the run's verdict is INCONCLUSIVE rather than a PASS or FAIL it cannot back.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../../local/clock.js';
import { DEFAULT_SAMPLE_INTERVAL_SECONDS } from '../../local/cloudwatch/cpu-sampler.js';

/**
 * The largest lag, in simulated seconds, a verdict is trusted with: one CPU sampling interval
 * (`DEFAULT_SAMPLE_INTERVAL_SECONDS`, 10 s; the default health-check interval is the same). A
 * shorter stall delays a sample or a check within its own interval; a longer one loses a whole
 * sample of the minute the target-tracking alarm averages, or a health check, and moves the
 * moments the verdict measures by more than the model's own granularity.
 */
export const LAG_TOLERANCE_SIMULATED_SECONDS = DEFAULT_SAMPLE_INTERVAL_SECONDS;

/** The event-loop delay histogram's resolution: the finest stall it can see, in real ms. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/** What `summary.json` says of the run's lag. */
export interface RunLag {
  /** The longest the event loop was held, in real ms (perf_hooks.monitorEventLoopDelay). */
  maxStallRealMs: number;
  /** The 99th percentile of event-loop delays, in real ms. */
  p99StallRealMs: number;
  /** The latest any clock timer (health check, sample, Wait, retry…) fired, in real ms. */
  maxTimerLateRealMs: number;
  timersFired: number;
  /** The worst of the two, in simulated seconds at the run's time scale. */
  maxLagSimulatedSeconds: number;
  toleranceSimulatedSeconds: number;
  /** Whether the lag stayed within the tolerance. */
  trustworthy: boolean;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * Watches the event loop and the clock's timers from its creation until {@link LagMonitor.stop}.
 * Only timers due after its creation count: one held up by setting the lab up (before the
 * execution started) delayed nothing the verdict measures.
 */
export class LagMonitor {
  private readonly histogram: IntervalHistogram;
  private readonly startedAt = performance.now();
  private timersFired = 0;
  private maxTimerLateRealMs = 0;
  private readonly unwatch: () => void;

  constructor(private readonly clock: Clock) {
    this.histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.histogram.enable();
    this.unwatch = clock.watchLateness((lateRealMs, dueRealMs) => {
      if (dueRealMs < this.startedAt) return;
      this.timersFired += 1;
      this.maxTimerLateRealMs = Math.max(this.maxTimerLateRealMs, lateRealMs);
    });
  }

  /** The lag so far. */
  report(): RunLag {
    const nsToMs = (ns: number): number => (Number.isFinite(ns) ? ns / 1e6 : 0);
    // The histogram counts its own resolution as delay: only what exceeds it is a stall.
    const maxStallRealMs = Math.max(0, nsToMs(this.histogram.max) - EVENT_LOOP_RESOLUTION_MS);
    const p99StallRealMs = Math.max(0, nsToMs(this.histogram.percentile(99)) - EVENT_LOOP_RESOLUTION_MS);
    const maxLateRealMs = this.maxTimerLateRealMs;
    const maxLagSimulatedSeconds = this.clock.toSimSeconds(Math.max(maxStallRealMs, maxLateRealMs));
    return {
      maxStallRealMs: round(maxStallRealMs, 1),
      p99StallRealMs: round(p99StallRealMs, 1),
      maxTimerLateRealMs: round(maxLateRealMs, 1),
      timersFired: this.timersFired,
      maxLagSimulatedSeconds: round(maxLagSimulatedSeconds, 2),
      toleranceSimulatedSeconds: LAG_TOLERANCE_SIMULATED_SECONDS,
      trustworthy: maxLagSimulatedSeconds <= LAG_TOLERANCE_SIMULATED_SECONDS,
    };
  }

  stop(): void {
    this.histogram.disable();
    this.unwatch();
  }
}
