import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { type CpuSample, CpuSampler, neverLower } from '../../local/cloudwatch/cpu-sampler.js';
import { MetricStore } from '../../local/cloudwatch/metric-store.js';
import { waitFor } from '../helpers/wait-for.js';
import { programs, startProgram, stopProgram } from './busy-process.js';

describe('CpuSampler', () => {
  let sampler: CpuSampler | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await sampler?.stop();
    await Promise.all(children.splice(0).map(stopProgram));
  });

  it('publishes CPUUtilization per InstanceId, normalised to the instance vCPUs', async () => {
    // Prepare: scale 100, so a 20-second sampling interval is 200 ms of real time.
    const clock = new Clock({ scale: 100 });
    const store = new MetricStore();
    const samples: CpuSample[] = [];
    const busy = await startProgram(programs.busy(4_000));
    const idle = await startProgram(programs.idle(4_000));
    children.push(busy, idle);
    sampler = new CpuSampler({ clock, store, intervalSeconds: 20, onSample: (s) => void samples.push(s) });
    sampler.track({ instanceId: 'i-busy', pid: busy.pid!, vcpus: 2 });
    sampler.track({ instanceId: 'i-idle', pid: idle.pid!, vcpus: 2 });
    // Act
    sampler.start();
    await waitFor(() => samples.filter((s) => s.instanceId === 'i-busy').length >= 3, {
      what: 'three busy samples',
    });
    await sampler.stop();
    // Assess
    const busySamples = samples.filter((s) => s.instanceId === 'i-busy');
    for (const sample of busySamples) {
      // One busy thread on a 2-vCPU instance is at most half of it.
      expect(sample.cpuUtilization).toBeLessThanOrEqual(55);
      expect(sample.cpuUtilization).toBeCloseTo((sample.cpuSeconds / sample.realSeconds / 2) * 100, 1);
      expect(sample.realSeconds).toBeGreaterThan(0.05);
    }
    const busyAverage = busySamples.reduce((sum, s) => sum + s.cpuUtilization, 0) / busySamples.length;
    expect(busyAverage).toBeGreaterThan(8);
    for (const sample of samples.filter((s) => s.instanceId === 'i-idle'))
      expect(sample.cpuUtilization).toBeLessThan(5);
    const stored = store.samples().filter((s) => s.dimensions.InstanceId === 'i-busy');
    expect(stored).toHaveLength(busySamples.length);
    expect(stored[0]).toMatchObject({ namespace: 'AWS/EC2', metricName: 'CPUUtilization' });
    // Timestamps are simulated: consecutive samples are about 20 simulated seconds apart.
    const gap = (busySamples[1]?.timestamp ?? 0) - (busySamples[0]?.timestamp ?? 0);
    expect(gap).toBeGreaterThanOrEqual(15_000);
  });

  it('takes a baseline first and publishes nothing for it', async () => {
    const idle = await startProgram(programs.idle(2_000));
    children.push(idle);
    sampler = new CpuSampler({ clock: new Clock() });
    sampler.track({ instanceId: 'i-1', pid: idle.pid!, vcpus: 1 });
    expect(await sampler.sampleOnce()).toEqual([]);
    expect(await sampler.sampleOnce()).toHaveLength(1);
  });

  it('drops an instance whose process is gone and says so once', async () => {
    const short = await startProgram(programs.idle(10));
    children.push(short);
    const gone: string[] = [];
    sampler = new CpuSampler({
      clock: new Clock(),
      onGone: (instance) => void gone.push(instance.instanceId),
    });
    sampler.track({ instanceId: 'i-short', pid: short.pid!, vcpus: 1 });
    await waitFor(() => short.exitCode !== null, { what: 'the child to exit' });
    await sampler.sampleOnce();
    await sampler.sampleOnce();
    expect(gone).toEqual(['i-short']);
  });

  it('charges an app root per simulated second and its descendants per real second', async () => {
    // Prepare: at scale 50, a busy root is 1/50 as busy per simulated second; a busy grandchild
    // (a stress worker) is as busy as it is.
    const busyRoot = await startProgram(programs.busy(4_000));
    const busyDescendant = await startProgram(programs.busyGrandchild(4_000));
    children.push(busyRoot, busyDescendant);
    sampler = new CpuSampler({ clock: new Clock({ scale: 50 }) });
    sampler.track({ instanceId: 'i-root', pid: busyRoot.pid!, vcpus: 1, rootPerSimulatedSecond: true });
    sampler.track({
      instanceId: 'i-worker',
      pid: busyDescendant.pid!,
      vcpus: 1,
      rootPerSimulatedSecond: true,
    });
    await sampler.sampleOnce();
    const started = performance.now();
    await waitFor(() => performance.now() - started >= 400, { what: 'a 400 ms sampling window' });
    // Act
    const samples = await sampler.sampleOnce();
    // Assess: a whole busy core is at most 100 % ÷ 50 = 2 % per simulated second.
    const percentOf = (id: string): number => samples.find((s) => s.instanceId === id)?.cpuUtilization ?? -1;
    expect(percentOf('i-root')).toBeGreaterThanOrEqual(0);
    expect(percentOf('i-root')).toBeLessThanOrEqual(2.5);
    // Loose lower bound: other suites may share the two cores.
    expect(percentOf('i-worker')).toBeGreaterThan(15);
    expect(samples[0]?.simSeconds).toBeGreaterThan(samples[0]?.realSeconds ?? 0);
  });

  it('never lowers a baseline, so a dip in the total is not counted twice when it comes back', () => {
    const reading = (root: number, descendants: number) => ({
      cpu: { rootSeconds: root, descendantSeconds: descendants },
      realMs: 0,
      simMs: 0,
    });
    // A worker reaped between the reads of its parent and of itself is in neither: a dip.
    const afterDip = neverLower(reading(1, 5), reading(1.1, 2));
    expect(afterDip.cpu).toEqual({ rootSeconds: 1.1, descendantSeconds: 5 });
    // The parent's cutime brings it back: only what is new beyond the last total counts.
    expect(neverLower(afterDip, reading(1.2, 5.05)).cpu).toEqual({
      rootSeconds: 1.2,
      descendantSeconds: 5.05,
    });
  });

  it('keeps at least 40 ms of real time between samples at high time scales', () => {
    sampler = new CpuSampler({ clock: new Clock({ scale: 10_000 }), intervalSeconds: 10 });
    // 40 real ms at scale 10 000 is 400 simulated seconds.
    expect(sampler.effectiveIntervalSeconds).toBe(400);
  });

  it('rejects an instance without vCPUs', () => {
    sampler = new CpuSampler({ clock: new Clock() });
    expect(() => sampler?.track({ instanceId: 'i-x', pid: process.pid, vcpus: 0 })).toThrow('vcpus >= 1');
  });
});
