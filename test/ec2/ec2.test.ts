import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../local/clock.js';
import { LocalEc2 } from '../../local/ec2/index.js';
import { isRunning } from '../helpers/processes.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

let ec2: LocalEc2 | undefined;

afterEach(async () => {
  await ec2?.close();
  ec2 = undefined;
});

function newEc2(): LocalEc2 {
  ec2 = new LocalEc2({ clock: new Clock({ scale: 100 }), subnet: testSubnet(), bootSeconds: 5 });
  return ec2;
}

async function running(service: LocalEc2, instanceId: string) {
  return waitFor(() => service.describeInstances([instanceId]).find(({ state }) => state === 'running'), {
    what: `${instanceId} to be running`,
  });
}

/** A running serve instance with an hour-long light stress of `workers` workers, and their pids. */
async function stressedServeInstance(service: LocalEc2, workers: number) {
  const [launched] = await service.runInstances({ app: 'serve', instanceType: 't3.micro' });
  const instance = await running(service, launched?.instanceId ?? '');
  const stress = await fetch(`http://${instance.privateIpAddress}:5000/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds: 3600, workers, load: 10 }),
  });
  const { pids } = (await stress.json()) as { pids: number[] };
  return { instance, pids };
}

describe('local EC2 address allocation', () => {
  const others: LocalEc2[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
  });

  it('never hands two labs (two EC2s, as in two processes) the same address while instances boot', async () => {
    const subnet = testSubnet();
    const clock = new Clock({ scale: 100 });
    const first = new LocalEc2({ clock, subnet, bootSeconds: 20 });
    const second = new LocalEc2({ clock, subnet, bootSeconds: 20 });
    others.push(first, second);

    const [a] = await first.runInstances({ app: 'seed', instanceType: 't3.micro' });
    const [b] = await second.runInstances({ app: 'seed', instanceType: 't3.micro' });

    expect(a?.privateIpAddress).not.toBe(b?.privateIpAddress);
    const [ranA, ranB] = await Promise.all([
      running(first, a?.instanceId ?? ''),
      running(second, b?.instanceId ?? ''),
    ]);
    expect([ranA?.state, ranB?.state]).toEqual(['running', 'running']);
  });
});

/** Launches one seed instance on a fresh EC2 at `clock`, with a 60 s boot: simulated s to `running`. */
async function simulatedBootSeconds(clock: Clock): Promise<number> {
  ec2 = new LocalEc2({ clock, subnet: testSubnet(), bootSeconds: 60 });
  const service = ec2;
  const launchedAt = clock.now();
  let runningAt = 0;
  service.onStateChange(({ current }) => {
    if (current === 'running') runningAt = clock.now();
  });
  const [launched] = await service.runInstances({ app: 'seed', instanceType: 't3.micro' });
  await running(service, launched?.instanceId ?? '');
  return (runningAt - launchedAt) / 1000;
}

describe('local EC2 boot time', () => {
  it("spends the app's real start-up inside the simulated boot, not after it", async () => {
    // At ×40 the 60 s boot lasts 1.5 real s: ample for a Node.js process to start and load (a few
    // hundred ms, which would otherwise add 10 simulated s or more after the boot).
    const bootSeconds = await simulatedBootSeconds(new Clock({ scale: 40 }));

    expect(bootSeconds).toBeGreaterThanOrEqual(60);
    // Binding the address at the end: tens of real ms, a simulated second or two.
    expect(bootSeconds).toBeLessThan(65);
  });

  it('lasts its simulated length even when the process starts slower than the boot runs', async () => {
    // At ×1000 the 60 s boot is 60 real ms, well under a Node.js start: the clock holds for the rest.
    const clock = new Clock({ scale: 1000 });
    const bootSeconds = await simulatedBootSeconds(clock);
    clock.close();

    expect(bootSeconds).toBeGreaterThanOrEqual(60);
    // Without the hold: a 150+ ms start at ×1000 would be 150 simulated seconds or more.
    expect(bootSeconds).toBeLessThan(60 + 40);
    expect(clock.heldRealMs).toBeGreaterThan(50);
  });
});

describe('local EC2', () => {
  it('runs each instance as a real process on its own loopback address and port 5000', async () => {
    const service = newEc2();
    const states: string[] = [];
    service.onStateChange(({ previous, current }) => states.push(`${previous ?? 'none'} -> ${current}`));
    const launched = await service.runInstances({
      app: 'serve',
      instanceType: 't3.micro',
      count: 2,
      tags: { lab: 'test' },
    });
    expect(launched.map(({ state }) => state)).toEqual(['pending', 'pending']);
    expect(launched[0]?.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
    const [a, b] = await Promise.all(launched.map(({ instanceId }) => running(service, instanceId)));
    expect(a?.privateIpAddress).not.toBe(b?.privateIpAddress);
    for (const instance of [a, b]) {
      const response = await fetch(`http://${instance?.privateIpAddress}:5000/`);
      expect(await response.text()).toBe(instance?.privateIpAddress);
      expect(response.headers.get('x-instance-id')).toBe(instance?.instanceId);
      expect(isRunning(instance?.pid ?? -1)).toBe(true);
    }
    expect(states).toEqual([
      'none -> pending',
      'none -> pending',
      'pending -> running',
      'pending -> running',
    ]);
  });

  it('terminating ends the app and every stress worker it started', async () => {
    const service = newEc2();
    const { instance, pids } = await stressedServeInstance(service, 2);
    await service.terminateInstances([instance.instanceId]);
    expect(service.describeInstances([instance.instanceId])[0]?.state).toBe('terminated');
    for (const pid of [instance.pid ?? -1, ...pids]) expect(isRunning(pid)).toBe(false);
  });

  it('terminating ends stress workers whose app was SIGKILLed before, as a terminated VM would', async () => {
    const service = newEc2();
    const { instance, pids } = await stressedServeInstance(service, 1);
    process.kill(instance.pid ?? -1, 'SIGKILL');
    await waitFor(() => service.describeInstances([instance.instanceId])[0]?.status === 'impaired', {
      what: 'the instance to be impaired',
    });
    // The orphaned worker runs on while the instance does, as on EC2, where the VM keeps it.
    expect(pids.map(isRunning)).toEqual([true]);

    await service.terminateInstances([instance.instanceId]);

    expect(pids.map(isRunning)).toEqual([false]);
  });

  it('stops and starts an instance on the same address', async () => {
    const service = newEc2();
    const [launched] = await service.runInstances({ app: 'seed', instanceType: 't3.micro' });
    const first = await running(service, launched?.instanceId ?? '');
    await service.stopInstances([first.instanceId]);
    expect(service.describeInstances([first.instanceId])[0]).toMatchObject({ state: 'stopped' });
    expect(isRunning(first.pid ?? -1)).toBe(false);
    await service.startInstances([first.instanceId]);
    const again = await running(service, first.instanceId);
    expect(again.privateIpAddress).toBe(first.privateIpAddress);
    expect(await (await fetch(`http://${again.privateIpAddress}:5000/`)).text()).toBe('0');
  });

  it('marks a running instance impaired when its app dies on its own', async () => {
    const service = newEc2();
    const [launched] = await service.runInstances({ app: 'seed', instanceType: 't3.micro' });
    const instance = await running(service, launched?.instanceId ?? '');
    process.kill(instance.pid ?? -1, 'SIGKILL');
    await waitFor(() => service.describeInstances([instance.instanceId])[0]?.status === 'impaired', {
      what: 'the instance to be impaired',
    });
    expect(service.describeInstances([instance.instanceId])[0]?.state).toBe('running');
  });

  it('gives each instance the vCPUs of its instance type and refuses a type it does not know', async () => {
    const service = newEc2();

    const [small] = await service.runInstances({ app: 'seed', instanceType: 't2.micro', stopped: true });
    const [large] = await service.runInstances({ app: 'seed', instanceType: 't3.micro', stopped: true });

    expect(small).toMatchObject({ instanceType: 't2.micro', vcpus: 1 });
    expect(large).toMatchObject({ instanceType: 't3.micro', vcpus: 2 });
    await expect(service.runInstances({ app: 'seed', instanceType: 'm5.large' })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining("Invalid value 'm5.large' for InstanceType"),
    });
    expect(service.describeInstances()).toHaveLength(2);
  });

  it('refuses unknown ids with EC2 error names', async () => {
    const service = newEc2();
    await expect(service.terminateInstances(['i-0000000000000000f'])).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
  });

  it('leaves no instance process behind when the process that launched it is SIGKILLed', async () => {
    const script = fileURLToPath(new URL('../fixtures/ec2-parent.mjs', import.meta.url));
    const parent = spawn(process.execPath, [script, testSubnet()], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const line = await waitFor(() => /\{"pid":\d+.*\}/.exec(output)?.[0], { what: 'the instance to run' });
      const { pid } = JSON.parse(line) as { pid: number };
      expect(isRunning(pid)).toBe(true);
      parent.kill('SIGKILL');
      await waitFor(() => !isRunning(pid), { timeoutMs: 5_000, what: 'the orphaned instance to exit' });
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
