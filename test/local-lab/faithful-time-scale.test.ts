import { describe, expect, it } from 'vitest';
import { CLOCK_STEP_LEAST_REAL_MS } from '../../local/clock.js';
import {
  DEFAULT_SAMPLE_INTERVAL_SECONDS,
  MIN_REAL_SAMPLE_INTERVAL_MS,
} from '../../local/cloudwatch/cpu-sampler.js';
import { faithfulTimeScale, MAX_FAITHFUL_TIME_SCALE } from '../../local-lab/run/faithful-time-scale.js';
import { LAG_TOLERANCE_SIMULATED_SECONDS } from '../../local-lab/run/lag.js';

describe('faithfulTimeScale', () => {
  it('is where a CPU sampling interval or a least clock step would outgrow the model', () => {
    // Assess: at the limit, a sampling interval and a clock step still fit, in simulated seconds.
    expect((MIN_REAL_SAMPLE_INTERVAL_MS / 1000) * MAX_FAITHFUL_TIME_SCALE).toBeLessThanOrEqual(
      DEFAULT_SAMPLE_INTERVAL_SECONDS,
    );
    expect((CLOCK_STEP_LEAST_REAL_MS / 1000) * MAX_FAITHFUL_TIME_SCALE).toBeLessThanOrEqual(
      LAG_TOLERANCE_SIMULATED_SECONDS,
    );
    expect(MAX_FAITHFUL_TIME_SCALE).toBe(250);
  });

  it('keeps a time scale the model holds as it is', () => {
    expect(faithfulTimeScale(20)).toEqual({ timeScale: 20 });
    expect(faithfulTimeScale(MAX_FAITHFUL_TIME_SCALE)).toEqual({ timeScale: MAX_FAITHFUL_TIME_SCALE });
  });

  it('caps a higher one, saying what was asked and why', () => {
    const choice = faithfulTimeScale(500);
    expect(choice.timeScale).toBe(MAX_FAITHFUL_TIME_SCALE);
    expect(choice.capped?.requested).toBe(500);
    expect(choice.capped?.reason).toMatch(/time scale 500 is above 250.*running at 250/);
  });
});
