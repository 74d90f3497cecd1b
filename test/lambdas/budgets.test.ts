import { describe, expect, it } from 'vitest';
import {
  assertBudgetsFitWorkflow,
  computeBudgets,
  LATE_OBSERVATION_FACTOR,
  STRESS_READING_TOLERANCE,
} from '../../lab/budgets.js';
import { type LabConfigOverrides, parseLabConfig } from '../../lab/config.js';
import { stressRequest } from '../../lab/stress.js';
import { TIMING_ASSUMPTIONS } from '../../lab/timings.js';

function budgetsOf(overrides: LabConfigOverrides = {}) {
  return computeBudgets(parseLabConfig(overrides));
}

function check(overrides: LabConfigOverrides): () => void {
  const config = parseLabConfig(overrides);
  return () => assertBudgetsFitWorkflow(config, computeBudgets(config));
}

describe('the budgets', () => {
  it('derive scale-out and scale-in windows from the alarm math and the local timings', () => {
    const budgets = budgetsOf();

    // 3 high datapoints of 60 s, 60 s metric delay, 60 s boot, 2 × 10 s + 5 s health checks.
    expect(budgets.scaleOut).toMatchObject({ lowerSeconds: 180, upperSeconds: 385 });
    // 15 low datapoints of 60 s, of which 180 s may come before the stress ends (see below);
    // 30 s deregistration delay, the terminate hook's 60 s (when its event is lost), 60 s shutdown.
    expect(budgets.scaleIn).toMatchObject({ lowerSeconds: 14 * 60 - 180 + 30, upperSeconds: 1170 });
    expect(budgets.scaleIn.formula).toContain('+30 dereg+60 terminate hook+60 shutdown');
    expect(budgets.healthMaxAttempts).toBe(30);
  });

  it('use the AWS timings for profile aws: a slower boot and a later metric', () => {
    const aws = TIMING_ASSUMPTIONS.aws;
    const budgets = budgetsOf({ profile: 'aws', instanceBootSeconds: 5 });

    // instanceBootSeconds is the local boot only.
    expect(budgets.scaleOut.lowerSeconds).toBe(2 * 60 + aws.instanceBootLower.value);
    expect(budgets.scaleOut.upperSeconds).toBe(
      4 * 60 + aws.metricDelay.value + aws.instanceBootUpper.value + 25,
    );
    expect(budgets.scaleOut.upperSeconds).toBeLessThanOrEqual(parseLabConfig().stress.seconds);
    // The new instance warms up until at most 360 + 180 + 300 s after the stress start, 240 s
    // after its end; AlarmLow's 16 periods and the metric delay take longer. Then draining, the
    // terminate hook (its 60 s timeout, when its event is lost) and shutdown.
    expect(budgets.scaleIn.upperSeconds).toBe(16 * 60 + aws.metricDelay.value + 30 + 60 + 60);
    expect(budgets.scaleIn.formula).toContain('+30 dereg+60 terminate hook+60 shutdown');
    expect(budgets.scaleOut.formula).toContain('(aws timings)');
  });

  it('keep observing past the upper bound, so a late scaling is measured rather than missed', () => {
    const { scaleOut, scaleIn } = budgetsOf();

    expect(LATE_OBSERVATION_FACTOR).toBeGreaterThan(1);
    expect(scaleOut.observeUntilSeconds).toBe(Math.ceil(385 * LATE_OBSERVATION_FACTOR));
    expect(scaleIn.observeUntilSeconds).toBe(Math.ceil(1170 * LATE_OBSERVATION_FACTOR));
  });

  it.each([
    ['t3.micro', 2],
    ['t2.micro', 1],
  ] as const)('follow from what a stressed %s reads: one worker per vCPU', (instanceType, vcpus) => {
    const config = parseLabConfig({ instanceType });
    const { stress } = computeBudgets(config);

    expect(stressRequest(config)).toEqual({ seconds: 600, workers: vcpus, load: 80 });
    // 80 % of the instance, or 70 % if it reads STRESS_READING_TOLERANCE points short.
    expect(STRESS_READING_TOLERANCE).toBe(10);
    expect(stress.instanceCpuPercent).toEqual({ least: 70, nominal: 80 });
    // Alone in the group it is well above the 50 % target, whatever it reads...
    expect(stress.groupCpuBeforeScaleOut).toEqual({ least: 70, nominal: 80 });
    // ...so the group goes to ceil(70..80 / 50) = 2 instances and no further: two of them
    // average 35..40 % (45 % even 10 points over), not above the target.
    expect(stress.scaleOutCapacity).toEqual({ least: 2, nominal: 2 });
    expect(stress.groupCpuAfterScaleOut).toEqual({ least: 35, nominal: 40 });
    // 40 % is below AlarmLow's 45 %: once the new instance's warm-up ends, which may be at
    // 120 + 300 s, AlarmLow may count the last 180 s of the stress; the lower bound allows it.
    expect(stress.lowBeforeStressEndSeconds).toBe(600 - 420);
    expect(check({ instanceType })).not.toThrow();
  });

  it('leave the scale-in lower bound whole when the stressed instance keeps two above AlarmLow', () => {
    const budgets = budgetsOf({ stress: { cpuPercent: 100 } });

    expect(budgets.stress.groupCpuAfterScaleOut.least).toBe(45);
    expect(budgets.stress.lowBeforeStressEndSeconds).toBe(0);
    expect(budgets.scaleIn.lowerSeconds).toBe(14 * 60 + 30);
  });

  it('grow with a longer warm-up that outlasts the stress', () => {
    const budgets = budgetsOf({ section2: { instanceWarmupSeconds: 1500 } });

    // Launched by 300 s, in service by 360 s, warm until 1860 s: 1260 s after the stress ends;
    // scale-in one period later, then draining, the terminate hook and shutdown. No low datapoint
    // during the stress then.
    expect(budgets.scaleIn.upperSeconds).toBe(1260 + 60 + 30 + 60 + 60);
    expect(budgets.scaleIn.lowerSeconds).toBe(14 * 60 + 30);
  });

  it('accept any window length (the observe steps loop in rounds), but refuse a stress too short to see scale-out', () => {
    expect(check({ instanceBootSeconds: 120 })).not.toThrow();
    expect(check({ stress: { seconds: 100 } })).toThrow('stress.seconds must cover the scale-out budget');
    expect(check({ profile: 'aws', stress: { seconds: 420 } })).toThrow(
      "stress.seconds must cover the scale-out budget's upper bound (got 420, need >= 565)",
    );
  });

  it('refuse a stress that could read at or below the target: scale-out would be a coin flip', () => {
    expect(check({ stress: { cpuPercent: 60 } })).toThrow(
      'stress.cpuPercent must take the group above section2.targetCpuPercent even 10 points short (got 60 % on one of 1 instance(s)',
    );
    expect(check({ stress: { cpuPercent: 61 } })).not.toThrow();
  });

  it('refuse a stress that could keep two instances above the target: the group would go on to a third', () => {
    expect(check({ stress: { cpuPercent: 90 } })).toThrow(
      'stress.cpuPercent would scale the group past section2.scaleOutTo (got 90 %): once the new instances have warmed up, 2 instances average up to 100 / 2 = 50 %',
    );
    expect(check({ stress: { cpuPercent: 89 } })).not.toThrow();
  });

  it('refuse a scaleOutTo the stress cannot bring the group to', () => {
    expect(check({ section2: { scaleOutTo: 3 } })).toThrow(
      'section2.scaleOutTo cannot be reached for sure (got 3): one instance at 70 % takes the group to ceil(70 / 50) = 2 instance(s)',
    );
    expect(check({ section2: { scaleOutTo: 3, targetCpuPercent: 25 } })).not.toThrow();
  });
});
