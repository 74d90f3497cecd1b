import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import type { MetricSample } from '../../local/cloudwatch/metric-store.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';
import { honestVerdict } from '../../local-lab/run/honest-verdict.js';
import type { RunLag } from '../../local-lab/run/lag.js';
import { STRESS_SETTLE_SECONDS, stressReading } from '../../local-lab/run/stress-reading.js';

const config = parseLabConfig({});
const START = 1_800_000_000_000;
const END = START + config.stress.seconds * 1000;

/** A history whose StartStress put the stress on i-serve from START to END. */
const history = [
  {
    id: 1,
    type: 'TaskStateExited',
    timestamp: new Date(START),
    realTimestamp: new Date(),
    stateExitedEventDetails: {
      name: 'StartStress',
      output: JSON.stringify({
        stress: { instanceId: 'i-serve', startedAt: START, endsAt: END, seconds: 600 },
      }),
    },
  },
] as unknown as LocalHistoryEvent[];

/** A reading of `value` % every 10 simulated s across the stress, the settle time included. */
function readings(value: number): MetricSample[] {
  return Array.from({ length: config.stress.seconds / 10 }, (_, i) => ({
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensions: { InstanceId: 'i-serve' },
    value: i * 10 < STRESS_SETTLE_SECONDS ? 0 : value,
    timestamp: START + i * 10_000,
  }));
}

const calm: RunLag = {
  maxStallRealMs: 5,
  heldRealMs: 0,
  effectiveTimeScale: 20,
  p99StallRealMs: 1,
  maxTimerLateRealMs: 3,
  timersFired: 100,
  maxLagSimulatedSeconds: 0.1,
  toleranceSimulatedSeconds: 10,
  trustworthy: true,
};

describe('the stress reading', () => {
  it('leaves out the settle time and compares the mean with the least the model allows', () => {
    const reading = stressReading({ config, history, samples: readings(79), hostBusyPercent: () => 60 });

    expect(reading).toMatchObject({
      instanceId: 'i-serve',
      meanPercent: 79,
      leastPercent: 70,
      starved: false,
    });
    expect(reading?.samples).toBe((config.stress.seconds - STRESS_SETTLE_SECONDS) / 10);
  });

  it('calls a short stress starved only when the machine was saturated, and the verdict INCONCLUSIVE then', () => {
    const saturated = stressReading({ config, history, samples: readings(35), hostBusyPercent: () => 99 });
    const spare = stressReading({ config, history, samples: readings(35), hostBusyPercent: () => 55 });
    const fail = { verdict: 'FAIL' as const, reason: 'scale-out not seen', expectations: [] as [] };

    expect(saturated?.starved).toBe(true);
    expect(spare?.starved).toBe(false);
    // CPU to spare and still short: the lab's own failure stands.
    expect(honestVerdict(fail, { lag: calm, stress: spare }, { interrupted: false })).toBe(fail);
    expect(honestVerdict(fail, { lag: calm, stress: saturated }, { interrupted: false })).toMatchObject({
      verdict: 'INCONCLUSIVE',
      labVerdict: 'FAIL',
      reason: expect.stringMatching(
        /^this machine starved the stress: i-serve read 35 % on average against at least 70 %, while 99 % of all cores were busy; so the lab's FAIL/,
      ),
    });
  });

  it('is absent when no stress ran', () => {
    expect(
      stressReading({ config, history: [], samples: readings(80), hostBusyPercent: () => 50 }),
    ).toBeUndefined();
  });
});
