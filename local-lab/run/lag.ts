/**
 * How far the run fell behind its own schedule. The local cloud's simulated time is real time
 * scaled, so real work that does not compress (a stalled event loop, a machine busy with other
 * processes) lets simulated time run on while nothing the model says should happen does: a health
 * check, a CPU sample or a Wait state's end comes late, in simulated time by the stall × the time
 * scale. Below a tolerance that changes nothing the verdict depends on; above it the timeline is
 * not the model's, and the run's verdict is INCONCLUSIVE rather than a PASS or FAIL it cannot back.
 */
import { createHistogram } from 'node:perf_hooks';
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

/** How often the stall watcher looks at the event loop, in real ms: the finest stall it can see. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/** What `summary.json` says of the run's lag. */
export interface RunLag {
  /** The longest the event loop was held, in real ms (the clock stood still for most of it). */
  maxStallRealMs: number;
  /** The 99th percentile of the event loop's delays, in real ms. */
  p99StallRealMs: number;
  /** The latest any clock timer (health check, sample, Wait, retry…) fired, in real ms of simulated time. */
  maxTimerLateRealMs: number;
  timersFired: number;
  /**
   * Real ms the clock stood still: held while modelled work finished (a process starting inside
   * its simulated boot) or through stalls it found (local/clock.ts). Simulated time did not pass,
   * so this is no lag in the timeline; the run took that much longer in real time.
   */
  heldRealMs: number;
  /** Simulated seconds per real second the run achieved, against the time scale asked for. */
  effectiveTimeScale: number;
  /** The latest timer, in simulated seconds. */
  maxLagSimulatedSeconds: number;
  toleranceSimulatedSeconds: number;
  /** Whether the lag stayed within the tolerance. */
  trustworthy: boolean;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * Watches the event loop and the clock's timers from its creation until {@link LagMonitor.stop}.
 * Only timers due after its creation count: one held up by setting the lab up (before the
 * execution started) delayed nothing the verdict measures. The clock stands still through the
 * stalls it finds, so a stall shows here as held time, not as a late timer; what is left late is
 * what the clock could not hold back (at most one step, CLOCK_STEP_SIMULATED_SECONDS).
 */
export class LagMonitor {
  private readonly delays = createHistogram();
  private readonly startedAtSim: number;
  private readonly startedAtReal = performance.now();
  private readonly startedHeldRealMs: number;
  private timersFired = 0;
  private maxTimerLateRealMs = 0;
  private readonly unwatch: () => void;
  private readonly watcher: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    this.startedAtSim = clock.now();
    this.startedHeldRealMs = clock.heldRealMs;
    this.unwatch = clock.watchLateness((lateRealMs, dueSimMs) => {
      if (dueSimMs < this.startedAtSim) return;
      this.timersFired += 1;
      this.maxTimerLateRealMs = Math.max(this.maxTimerLateRealMs, lateRealMs);
    });
    let last = performance.now();
    this.watcher = setInterval(() => {
      const now = performance.now();
      // Every look is recorded, shifted by one (the histogram takes integers >= 1).
      this.delays.record(Math.max(0, Math.round(now - last - EVENT_LOOP_RESOLUTION_MS)) + 1);
      last = now;
    }, EVENT_LOOP_RESOLUTION_MS);
    this.watcher.unref();
  }

  /** The lag so far. */
  report(): RunLag {
    const looked = this.delays.count > 0;
    const maxStallRealMs = looked ? this.delays.max - 1 : 0;
    const p99StallRealMs = looked ? this.delays.percentile(99) - 1 : 0;
    const maxLateRealMs = this.maxTimerLateRealMs;
    const maxLagSimulatedSeconds = this.clock.toSimSeconds(maxLateRealMs);
    const realMs = performance.now() - this.startedAtReal;
    const simulatedMs = this.clock.now() - this.startedAtSim;
    return {
      maxStallRealMs: round(maxStallRealMs, 1),
      p99StallRealMs: round(p99StallRealMs, 1),
      maxTimerLateRealMs: round(maxLateRealMs, 1),
      timersFired: this.timersFired,
      heldRealMs: round(this.clock.heldRealMs - this.startedHeldRealMs, 1),
      effectiveTimeScale: realMs > 0 ? round(simulatedMs / realMs, 1) : this.clock.scale,
      maxLagSimulatedSeconds: round(maxLagSimulatedSeconds, 2),
      toleranceSimulatedSeconds: LAG_TOLERANCE_SIMULATED_SECONDS,
      trustworthy: maxLagSimulatedSeconds <= LAG_TOLERANCE_SIMULATED_SECONDS,
    };
  }

  stop(): void {
    clearInterval(this.watcher);
    this.unwatch();
  }
}
