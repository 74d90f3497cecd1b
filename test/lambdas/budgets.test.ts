import { describe, expect, it } from 'vitest';
import { assertBudgetsFitWorkflow, computeBudgets, LATE_OBSERVATION_FACTOR } from '../../lab/budgets.js';
import { parseLabConfig } from '../../lab/config.js';

describe('the budgets', () => {
  it('derive scale-out and scale-in windows from the alarm math and the configuration', () => {
    const budgets = computeBudgets(parseLabConfig({}));

    // 3 high datapoints of 60 s, 60 s boot, 2 × 10 s + 5 s health checks.
    expect(budgets.scaleOut).toMatchObject({ lowerSeconds: 180, upperSeconds: 385 });
    // 15 low datapoints of 60 s, 30 s deregistration delay, 60 s shutdown.
    expect(budgets.scaleIn).toMatchObject({ lowerSeconds: 870, upperSeconds: 1110 });
    expect(budgets.healthMaxAttempts).toBe(30);
  });

  it('keep observing past the upper bound, so a late scaling is measured rather than missed', () => {
    const { scaleOut, scaleIn } = computeBudgets(parseLabConfig({}));

    expect(LATE_OBSERVATION_FACTOR).toBeGreaterThan(1);
    expect(scaleOut.observeUntilSeconds).toBe(Math.ceil(385 * LATE_OBSERVATION_FACTOR));
    expect(scaleIn.observeUntilSeconds).toBe(Math.ceil(1110 * LATE_OBSERVATION_FACTOR));
  });

  it('grow with a longer warm-up that outlasts the stress', () => {
    const budgets = computeBudgets(parseLabConfig({ section2: { instanceWarmupSeconds: 1500 } }));

    // Warm-up ends 300 + 1500 - 420 = 1380 s after the stress; scale-in one period later.
    expect(budgets.scaleIn.upperSeconds).toBe(1380 + 60 + 30 + 60);
  });

  it('accept any window length (the observe steps loop in rounds), but refuse a stress too short to see scale-out', () => {
    const slowBoot = parseLabConfig({ instanceBootSeconds: 120, stress: { seconds: 600 } });
    const shortStress = parseLabConfig({ stress: { seconds: 100 } });

    expect(() => assertBudgetsFitWorkflow(slowBoot, computeBudgets(slowBoot))).not.toThrow();
    expect(() => assertBudgetsFitWorkflow(shortStress, computeBudgets(shortStress))).toThrow(
      'stress.seconds must cover the scale-out budget',
    );
  });
});
