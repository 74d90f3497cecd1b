/**
 * Samples each instance's real CPU use and publishes `AWS/EC2 CPUUtilization` per InstanceId.
 * CPU time is real, so utilisation divides by real elapsed time; only the timestamps are simulated.
 */
import type { Clock, ClockTimer } from '../clock.js';
import type { MetricStore } from './metric-store.js';
import { readProcessTreesCpu, type TreeCpuSeconds } from './proc-cpu.js';

/** Simulated seconds between samples by default: several samples per 60-second period. */
export const DEFAULT_SAMPLE_INTERVAL_SECONDS = 10;
/**
 * Real milliseconds between samples at least, so sampling stays cheap at high time scales. 40 ms
 * keeps the 10-second interval up to time scale 250: a coarser interval at a high scale moved the
 * lab's timeline (fewer samples in the minute an instance leaves its warm-up, a later alarm
 * evaluation: MetricAlarmProps.evaluationDelaySeconds is one interval). A read costs ~0.5 ms for
 * a stressed group (proc-cpu.ts), ~1 % of a core at this rate; a 40 ms window holds four of a
 * stress worker's 10 ms burn cycles.
 */
export const MIN_REAL_SAMPLE_INTERVAL_MS = 40;

export interface SampledInstance {
  instanceId: string;
  pid: number;
  /** vCPUs of the simulated instance type (t3.micro: 2); 100 % means all of them busy. */
  vcpus: number;
  /** Host cores those vCPUs stand for (local EC2: vcpus × LOCAL_VCPU_CORE_SHARE); default vcpus. */
  hostCores?: number;
  /**
   * Charge the root process's own CPU per simulated second instead of per real second: set for an
   * app whose own work is answering requests that arrive on the simulated schedule (see
   * APP_CPU_PER_SIMULATED_SECOND). Its descendants (stress workers) still count per real second.
   */
  rootPerSimulatedSecond?: boolean;
}

export interface CpuSample {
  instanceId: string;
  /** Simulated epoch ms at the end of the sampled interval. */
  timestamp: number;
  /** Percent of the instance's vCPUs, 0–100. */
  cpuUtilization: number;
  /** CPU seconds charged and real seconds of the sampled interval, for reports. */
  cpuSeconds: number;
  realSeconds: number;
  /** Simulated seconds of the sampled interval. */
  simSeconds: number;
}

export interface CpuSamplerOptions {
  clock: Clock;
  /** Where samples are published (namespace AWS/EC2, metric CPUUtilization, dimension InstanceId). */
  store?: MetricStore;
  intervalSeconds?: number;
  minRealIntervalMs?: number;
  onSample?: (sample: CpuSample) => void;
  /** Called once when an instance's process is gone; the instance is no longer sampled. */
  onGone?: (instance: SampledInstance) => void;
  onError?: (error: unknown) => void;
}

interface Reading {
  cpu: TreeCpuSeconds;
  realMs: number;
  simMs: number;
}

interface Baseline {
  instance: SampledInstance;
  last?: Reading;
}

export class CpuSampler {
  private readonly tracked = new Map<string, Baseline>();
  private timer: ClockTimer | undefined;
  private sampling: Promise<CpuSample[]> | undefined;
  /** Simulated seconds actually used between samples (the real floor may lengthen it). */
  readonly effectiveIntervalSeconds: number;

  constructor(private readonly options: CpuSamplerOptions) {
    const { clock } = options;
    const wanted = options.intervalSeconds ?? DEFAULT_SAMPLE_INTERVAL_SECONDS;
    const floor = clock.toSimSeconds(options.minRealIntervalMs ?? MIN_REAL_SAMPLE_INTERVAL_MS);
    this.effectiveIntervalSeconds = Math.max(wanted, floor);
  }

  /** Starts sampling an instance; its first reading is a baseline and publishes nothing. */
  track(instance: SampledInstance): void {
    if (!Number.isInteger(instance.vcpus) || instance.vcpus < 1) {
      throw new RangeError(`instance ${instance.instanceId} needs vcpus >= 1, got ${instance.vcpus}`);
    }
    this.tracked.set(instance.instanceId, { instance });
  }

  untrack(instanceId: string): void {
    this.tracked.delete(instanceId);
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.options.clock.setInterval(() => void this.sampleOnce(), this.effectiveIntervalSeconds);
  }

  /** Stops the timer and waits for a sample in progress, so nothing is left running. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.sampling;
  }

  /** Reads every tracked instance once; samples for those with a baseline are published and returned. */
  sampleOnce(): Promise<CpuSample[]> {
    // A slow /proc read must not pile up concurrent reads.
    this.sampling ??= this.readAll().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  private async readAll(): Promise<CpuSample[]> {
    const baselines = [...this.tracked.values()];
    let readings: (TreeCpuSeconds | undefined)[];
    try {
      readings = await readProcessTreesCpu(baselines.map((b) => b.instance.pid));
    } catch (error) {
      this.options.onError?.(error);
      return [];
    }
    const realMs = performance.now();
    const simMs = this.options.clock.now();
    const samples: CpuSample[] = [];
    baselines.forEach((baseline, index) => {
      const cpu = readings[index];
      if (!this.tracked.has(baseline.instance.instanceId)) return;
      if (cpu === undefined) {
        this.tracked.delete(baseline.instance.instanceId);
        this.options.onGone?.(baseline.instance);
        return;
      }
      const reading = { cpu, realMs, simMs };
      if (baseline.last) {
        const sample = toSample(baseline.instance, baseline.last, reading);
        samples.push(sample);
        this.publish(sample);
      }
      baseline.last = neverLower(baseline.last, reading);
    });
    return samples;
  }

  private publish(sample: CpuSample): void {
    const dimensions = { InstanceId: sample.instanceId };
    this.options.store?.putMetricData(
      'AWS/EC2',
      'CPUUtilization',
      dimensions,
      sample.cpuUtilization,
      sample.timestamp,
      sample.instanceId,
    );
    this.options.onSample?.(sample);
  }
}

/**
 * The next baseline: the reading, but no component below the last one. A tree's total can dip
 * for a moment (a child reaped between the reads of its parent and of itself is in neither), and
 * lowering the baseline there would count the dipped time twice: once as the dip's 0, once more
 * when the parent's cutime brings it back, a sample reading 100 %.
 */
export function neverLower(last: Reading | undefined, reading: Reading): Reading {
  if (!last) return reading;
  return {
    ...reading,
    cpu: {
      rootSeconds: Math.max(last.cpu.rootSeconds, reading.cpu.rootSeconds),
      descendantSeconds: Math.max(last.cpu.descendantSeconds, reading.cpu.descendantSeconds),
    },
  };
}

function toSample(instance: SampledInstance, last: Reading, reading: Reading): CpuSample {
  const realSeconds = (reading.realMs - last.realMs) / 1000;
  const simSeconds = (reading.simMs - last.simMs) / 1000;
  // A descendant that exits between readings can make a total dip briefly; never count < 0.
  const rootUsed = Math.max(0, reading.cpu.rootSeconds - last.cpu.rootSeconds);
  const descendantsUsed = Math.max(0, reading.cpu.descendantSeconds - last.cpu.descendantSeconds);
  // Per simulated second: the root's CPU shrinks by how much faster than real time the clock ran
  // (not at all when it ran no faster: held, or a time scale of 1 or less).
  const compression =
    instance.rootPerSimulatedSecond && simSeconds > realSeconds ? simSeconds / realSeconds : 1;
  const used = rootUsed / compression + descendantsUsed;
  const cores = instance.hostCores ?? instance.vcpus;
  const percent = realSeconds > 0 ? (used / (realSeconds * cores)) * 100 : 0;
  return {
    instanceId: instance.instanceId,
    timestamp: reading.simMs,
    cpuUtilization: Math.min(100, Math.round(percent * 100) / 100),
    cpuSeconds: used,
    realSeconds,
    simSeconds,
  };
}
