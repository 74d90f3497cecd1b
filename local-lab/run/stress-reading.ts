/**
 * Whether the stressed instance got the CPU its stress asked for. Its workers burn real CPU on
 * this machine's cores: another process hogging them starves the stress, the instance reads far
 * below its nominal figure, the group never crosses its target, and the lab would FAIL for a
 * reason that belongs to the machine. The run compares the instance's readings with the least the
 * model allows (`STRESS_READING_TOLERANCE` below nominal) and, when they fall short while the
 * machine was saturated, calls the stress starved: the verdict is then INCONCLUSIVE. Short
 * readings on a machine with CPU to spare are the lab's own failure and stand.
 */
import { stressFigures } from '../../lab/budgets.js';
import type { LabConfig } from '../../lab/config.js';
import { DEFAULT_SAMPLE_INTERVAL_SECONDS } from '../../local/cloudwatch/cpu-sampler.js';
import type { MetricSample } from '../../local/cloudwatch/metric-store.js';
import type { LocalHistoryEvent } from '../../local/stepfunctions/index.js';

/**
 * Simulated seconds after the stress start left out of its mean: the first samples cover time
 * before the workers ran (two sampling intervals).
 */
export const STRESS_SETTLE_SECONDS = 2 * DEFAULT_SAMPLE_INTERVAL_SECONDS;
/**
 * Above this share of all cores busy the machine had, in effect, no CPU left to give: a tenth of
 * a core idle on a 2-core machine is below what one stress worker's duty cycle needs.
 */
export const HOST_SATURATED_PERCENT = 90;

/** What summary.json says of the stress. */
export interface StressReading {
  instanceId: string;
  /** Mean CPUUtilization of the stressed instance while stressed (after the settle time). */
  meanPercent: number;
  samples: number;
  /** The least reading the model allows (nominal − tolerance). */
  leastPercent: number;
  /** All cores of the machine, every process, over the same time; undefined if not measured. */
  hostBusyPercent?: number;
  /** Short of the least while the machine was saturated: the machine, not the lab, decided. */
  starved: boolean;
}

/** The stress window from StartStress's output in the history: instance and simulated times. */
function stressWindow(
  history: readonly LocalHistoryEvent[],
): { instanceId: string; startedAt: number; endsAt: number } | undefined {
  const exited = history.findLast((e) => e.stateExitedEventDetails?.name === 'StartStress');
  try {
    const { stress } = JSON.parse(exited?.stateExitedEventDetails?.output ?? '{}') as {
      stress?: { instanceId?: string; startedAt?: number; endsAt?: number };
    };
    if (!stress?.instanceId || stress.startedAt === undefined || stress.endsAt === undefined)
      return undefined;
    return { instanceId: stress.instanceId, startedAt: stress.startedAt, endsAt: stress.endsAt };
  } catch {
    return undefined;
  }
}

export interface StressReadingInput {
  config: LabConfig;
  history: readonly LocalHistoryEvent[];
  samples: readonly MetricSample[];
  /** The share of the machine busy between two simulated instants, if measured. */
  hostBusyPercent(fromSimulatedMs: number, toSimulatedMs: number): number | undefined;
}

/** The stressed instance's readings against the model; undefined when no stress ran long enough. */
export function stressReading(input: StressReadingInput): StressReading | undefined {
  const window = stressWindow(input.history);
  if (!window) return undefined;
  const from = window.startedAt + STRESS_SETTLE_SECONDS * 1000;
  const values = input.samples
    .filter(
      (s) =>
        s.metricName === 'CPUUtilization' &&
        s.dimensions.InstanceId === window.instanceId &&
        s.timestamp >= from &&
        s.timestamp <= window.endsAt,
    )
    .map((s) => s.value);
  if (values.length === 0) return undefined;
  const meanPercent = values.reduce((a, b) => a + b, 0) / values.length;
  const leastPercent = stressFigures(input.config).instanceCpuPercent.least;
  const hostBusyPercent = input.hostBusyPercent(from, window.endsAt);
  const saturated = hostBusyPercent !== undefined && hostBusyPercent >= HOST_SATURATED_PERCENT;
  return {
    instanceId: window.instanceId,
    meanPercent: Math.round(meanPercent * 10) / 10,
    samples: values.length,
    leastPercent,
    ...(hostBusyPercent !== undefined && { hostBusyPercent: Math.round(hostBusyPercent * 10) / 10 }),
    starved: meanPercent < leastPercent && saturated,
  };
}
