/**
 * How busy the whole machine was, every process counted: the evidence that tells a stress starved
 * by other work (the machine had no CPU to give) from a stress that failed on its own (the machine
 * had CPU to spare). Read from os.cpus()' cumulative per-core times, once a real second.
 */
import { cpus } from 'node:os';

/** Real milliseconds between two readings: fine enough for a stress of a few real seconds. */
export const HOST_CPU_READING_MS = 1_000;

interface Reading {
  /** performance.now() of the reading. */
  at: number;
  busyMs: number;
  totalMs: number;
}

function readHost(): Reading {
  let busyMs = 0;
  let totalMs = 0;
  for (const { times } of cpus()) {
    const busy = times.user + times.nice + times.sys + times.irq;
    busyMs += busy;
    totalMs += busy + times.idle;
  }
  return { at: performance.now(), busyMs, totalMs };
}

/** Reads the machine's CPU from creation until {@link HostCpuMonitor.stop}. */
export class HostCpuMonitor {
  private readonly readings: Reading[] = [readHost()];
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = HOST_CPU_READING_MS) {
    this.timer = setInterval(() => this.readings.push(readHost()), intervalMs);
    this.timer.unref();
  }

  /**
   * The percentage of all cores busy between two performance.now() instants, from the readings
   * just around them (a window shorter than a reading interval, at a high time scale, still gets
   * one); undefined without a reading on each side.
   */
  busyPercent(fromMs: number, toMs: number): number | undefined {
    const first = this.readings.findLast(({ at }) => at <= fromMs) ?? this.readings[0];
    const last = this.readings.find(({ at }) => at >= toMs) ?? this.readings.at(-1);
    if (!first || !last || last.totalMs <= first.totalMs) return undefined;
    return (100 * (last.busyMs - first.busyMs)) / (last.totalMs - first.totalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
