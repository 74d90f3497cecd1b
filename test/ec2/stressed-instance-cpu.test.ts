import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { type CpuSample, CpuSampler } from '../../local/cloudwatch/index.js';
import { LocalEc2 } from '../../local/ec2/index.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

let ec2: LocalEc2 | undefined;
let sampler: CpuSampler | undefined;

afterEach(async () => {
  await sampler?.stop();
  await ec2?.close();
  ec2 = undefined;
  sampler = undefined;
});

describe('CPU of a stressed local instance', () => {
  it('measures the instance near the load its stress asked for, as a share of all its vCPUs', async () => {
    const clock = new Clock({ scale: 10 });
    ec2 = new LocalEc2({ clock, subnet: testSubnet(), bootSeconds: 1 });
    const [launched] = await ec2.runInstances({ app: 'serve', instanceType: 't3.micro' });
    const instance = await waitFor(
      () => ec2?.describeInstances([launched?.instanceId ?? '']).find(({ state }) => state === 'running'),
      { what: 'the instance to run' },
    );
    expect(instance.vcpus).toBe(2);
    const samples: CpuSample[] = [];
    sampler = new CpuSampler({ clock, intervalSeconds: 5, onSample: (sample) => void samples.push(sample) });
    sampler.track({
      instanceId: instance.instanceId,
      pid: instance.pid ?? -1,
      vcpus: instance.vcpus,
      hostCores: instance.hostCores,
    });
    const response = await fetch(`http://${instance.privateIpAddress}:5000/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Two vCPUs: one worker at 100 % of one vCPU is half the instance (locally, half a host core
      // of the one the instance stands for: LOCAL_VCPU_CORE_SHARE).
      body: JSON.stringify({ seconds: 60, workers: 1, load: 100 }), // 6 real seconds at scale 10
    });
    expect(response.status).toBe(202);
    sampler.start();
    await waitFor(() => samples.length >= 6, { timeoutMs: 10_000, what: 'six CPU samples' });
    // The first sample can straddle the stress start; the rest are steady.
    const steady = samples.slice(1).map(({ cpuUtilization }) => cpuUtilization);
    const average = steady.reduce((sum, value) => sum + value, 0) / steady.length;
    expect(average).toBeGreaterThan(30);
    expect(average).toBeLessThan(75);
  }, 30_000);
});
