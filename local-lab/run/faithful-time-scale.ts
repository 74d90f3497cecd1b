/**
 * The highest time scale the local cloud models faithfully, whatever the machine. Some of the
 * model's granularity is a floor in real time, so above some scale it grows in simulated time and
 * moves the lab's timeline by itself: the bench (issue 15) saw scale-in a minute and a half later
 * at x240 than at x20 with a 100 ms sampling floor, and FAILs at x500. A run asked for more is
 * capped here and says so; a machine too busy for the scale it runs at shows as lag (lag.ts).
 */
import { CLOCK_STEP_LEAST_REAL_MS } from '../../local/clock.js';
import {
  DEFAULT_SAMPLE_INTERVAL_SECONDS,
  MIN_REAL_SAMPLE_INTERVAL_MS,
} from '../../local/cloudwatch/cpu-sampler.js';
import { LAG_TOLERANCE_SIMULATED_SECONDS } from './lag.js';

/** CPU samples stay DEFAULT_SAMPLE_INTERVAL_SECONDS apart: 10 s ÷ 40 ms = 250. */
const SAMPLING_LIMIT = (DEFAULT_SAMPLE_INTERVAL_SECONDS * 1000) / MIN_REAL_SAMPLE_INTERVAL_MS;
/** One least clock step stays within the lag the verdict tolerates: 10 s ÷ 20 ms = 500. */
const CLOCK_STEP_LIMIT = (LAG_TOLERANCE_SIMULATED_SECONDS * 1000) / CLOCK_STEP_LEAST_REAL_MS;

export const MAX_FAITHFUL_TIME_SCALE = Math.min(SAMPLING_LIMIT, CLOCK_STEP_LIMIT);

/** The time scale a run uses for the one asked, and why it differs when it does. */
export interface TimeScaleChoice {
  timeScale: number;
  /** Set when the scale asked for was capped: what was asked and why it was not used. */
  capped?: { requested: number; reason: string };
}

export function faithfulTimeScale(requested: number): TimeScaleChoice {
  if (requested <= MAX_FAITHFUL_TIME_SCALE) return { timeScale: requested };
  return {
    timeScale: MAX_FAITHFUL_TIME_SCALE,
    capped: {
      requested,
      reason:
        `time scale ${requested} is above ${MAX_FAITHFUL_TIME_SCALE}, the most the local cloud models ` +
        `faithfully: CPU samples ${DEFAULT_SAMPLE_INTERVAL_SECONDS} simulated s apart need ` +
        `${MIN_REAL_SAMPLE_INTERVAL_MS} real ms each (and a clock step at least ` +
        `${CLOCK_STEP_LEAST_REAL_MS} real ms), and coarser ones move the lab's timeline; ` +
        `running at ${MAX_FAITHFUL_TIME_SCALE}`,
    },
  };
}
