import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessGoneError } from '../../local/cloudwatch/errors.js';
import {
  clockTicksPerSecond,
  parseProcStat,
  readProcessTreeCpuSeconds,
  readProcessTreesCpu,
} from '../../local/cloudwatch/proc-cpu.js';
import { waitFor } from '../helpers/wait-for.js';
import { programs, startProgram, stopProgram } from './busy-process.js';

/** Percent of one core used by the tree of `pid` over about `windowMs` of real time. */
async function measure(pid: number, windowMs = 600): Promise<number> {
  const cpu0 = await readProcessTreeCpuSeconds(pid);
  const t0 = performance.now();
  await waitFor(() => performance.now() - t0 >= windowMs, { what: 'the measuring window' });
  const cpu1 = await readProcessTreeCpuSeconds(pid);
  return ((cpu1 - cpu0) / ((performance.now() - t0) / 1000)) * 100;
}

/** The process's own utime + stime + cutime + cstime only, without live descendants. */
async function readOwnTicks(pid: number): Promise<number> {
  return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8')).ticks / (await clockTicksPerSecond());
}

describe('readProcessTreeCpuSeconds (Linux /proc)', () => {
  let child: (ChildProcess & { output: () => string }) | undefined;
  afterEach(async () => {
    await stopProgram(child);
    child = undefined;
  });

  it('reads clock ticks from getconf once', async () => {
    const ticks = await clockTicksPerSecond();
    expect(Number.isInteger(ticks) && ticks > 0).toBe(true);
    expect(await clockTicksPerSecond()).toBe(ticks);
  });

  it('parses a stat line whose command contains spaces and parentheses', () => {
    const line = '4242 (node (x) y) S 7 4242 4242 0 -1 4194560 1 0 0 0 150 25 10 5 20 0 1 0 1 1 1';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 7, ticks: 190, reapedTicks: 15, zombie: false });
    expect(parseProcStat(line.replace(') S ', ') Z ')).zombie).toBe(true);
  });

  it('reads the same CPU time a busy child counts for itself', async () => {
    // Prepare: the child spins for 600 ms, then reports process.cpuUsage() and idles.
    child = await startProgram(programs.busyThenReport(600));
    const started = performance.now();
    const before = await readProcessTreeCpuSeconds(child.pid!);
    const line = await waitFor(() => /used ([\d.]+)/.exec(child?.output() ?? ''), { what: 'the report' });
    // Act
    const after = await readProcessTreeCpuSeconds(child.pid!);
    // Assess: /proc and getrusage agree to a few clock ticks, whatever else loads the machine.
    expect(Math.abs(after - Number(line[1]))).toBeLessThan(0.05);
    // And the busy window shows as CPU time (loose bound: other suites may share the two cores).
    const percent = ((after - before) / ((performance.now() - started) / 1000)) * 100;
    expect(percent).toBeGreaterThan(15);
    expect(percent).toBeLessThan(110);
  });

  it('reads CPU time finer than a clock tick, so short sampling windows are not quantized to 10 ms', async () => {
    child = await startProgram(programs.busy(2_000));
    const readings: number[] = [];
    for (let i = 0; i < 6; i++) {
      readings.push(await readProcessTreeCpuSeconds(child.pid!));
      await new Promise((resolve) => setTimeout(resolve, 23));
    }
    const deltasMs = readings.slice(1).map((r, i) => (r - (readings[i] ?? 0)) * 1000);
    // In clock ticks every delta would be a whole multiple of 10 ms; to the ns, nearly none is.
    const offTick = deltasMs.filter((ms) => Math.abs(ms / 10 - Math.round(ms / 10)) > 0.05);
    expect(offTick.length).toBeGreaterThan(0);
  });

  it('counts a busy grandchild in the tree of an idle parent', async () => {
    child = await startProgram(programs.busyGrandchild(3_000));
    const parentOnly = await readOwnTicks(child.pid!);
    const percent = await measure(child.pid!);
    expect(percent).toBeGreaterThan(15);
    expect(percent).toBeLessThan(110);
    // The parent itself is idle: the CPU time comes from the grandchild.
    expect((await readOwnTicks(child.pid!)) - parentOnly).toBeLessThan(0.05);
  });

  it('keeps the CPU time of a grandchild that was already reaped (cutime)', async () => {
    child = await startProgram(programs.reapedGrandchild(400));
    expect(await readProcessTreeCpuSeconds(child.pid!)).toBeGreaterThanOrEqual(0.3);
  });

  it('measures an idle child near 0 %', async () => {
    child = await startProgram(programs.idle(3_000));
    expect(await measure(child.pid!)).toBeLessThan(5);
  });

  it('throws ProcessGoneError for a process that has exited, and undefined in batch reads', async () => {
    child = await startProgram(programs.idle(10));
    const pid = child.pid!;
    await waitFor(() => child?.exitCode !== null, { what: 'the child to exit' });
    await expect(readProcessTreeCpuSeconds(pid)).rejects.toThrow(ProcessGoneError);
    const [gone, self] = await readProcessTreesCpu([pid, process.pid]);
    expect(gone).toBeUndefined();
    expect(self?.rootSeconds).toBeGreaterThan(0);
  });

  it("keeps a root's own time apart from its descendants", async () => {
    // Prepare: an idle parent whose grandchild spins.
    child = await startProgram(programs.busyGrandchild(3_000));
    const [before] = await readProcessTreesCpu([child.pid!]);
    await waitFor(
      async () => {
        const [now] = await readProcessTreesCpu([child?.pid ?? -1]);
        return (now?.descendantSeconds ?? 0) - (before?.descendantSeconds ?? 0) >= 0.2;
      },
      { what: 'the grandchild to use 0.2 CPU seconds' },
    );
    // Act
    const [after] = await readProcessTreesCpu([child.pid!]);
    // Assess: the spinning is the descendants' time; the idle root gained almost nothing.
    expect((after?.rootSeconds ?? 0) - (before?.rootSeconds ?? 0)).toBeLessThan(0.05);
  });
});
