import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startUp, type UpLab } from '../api/up-lab.js';
import { isRunning, stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

interface ReadyReport {
  ready: true;
  loadBalancers: { web: string; scaling: string };
  instances: { instanceId: string; app: string; privateIpAddress: string; state: string; pid: number }[];
}

const children: ChildProcess[] = [];
let blocker: Server | undefined;

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => stopChild(child, 'SIGKILL')));
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
});

/** `scalelab up` with `args`, ended after each test. */
function up(args: string[]): UpLab {
  const lab = startUp(args);
  children.push(lab.child);
  return lab;
}

/**
 * 300 simulated s to come up is 5 real s at scale 60, short when the other test worker runs a
 * stressed lab on the same two cores: 1200 s is 20 s real.
 */
const CI_SLACK = ['--set', 'timeouts.healthySeconds=1200'];

/** JSON output, scale 60, free ports: how every test here that waits for the lab starts it. */
const FREE_PORTS = ['--web-port', '0', '--scaling-port', '0', '--api-port', '0'];
const QUICK_JSON = ['--json', '--time-scale', '60', ...FREE_PORTS, ...CI_SLACK];

async function readyReport(lab: ReturnType<typeof up>): Promise<ReadyReport> {
  const line = await waitFor(() => lab.out.stdout.split('\n').find((l) => l.startsWith('{"ready"')), {
    timeoutMs: 25_000,
    what: () => `the ready line (stderr: ${lab.out.stderr})`,
  });
  return JSON.parse(line) as ReadyReport;
}

describe('scalelab up', () => {
  it('brings both sections up, prints a JSON ready line and bus events, and tears down on SIGINT', async () => {
    const lab = up([...QUICK_JSON, '--set', 'section2.instanceWarmupSeconds=60']);
    const report = await readyReport(lab);
    expect(report.instances.map(({ app }) => app).sort()).toEqual(['seed', 'seed', 'serve']);
    const seedIds = report.instances.filter(({ app }) => app === 'seed').map(({ instanceId }) => instanceId);
    const answeredBy = new Set<string>();
    await waitFor(
      async () => {
        const response = await fetch(report.loadBalancers.web);
        answeredBy.add(response.headers.get('x-instance-id') ?? '');
        return seedIds.every((id) => answeredBy.has(id));
      },
      { what: 'both seed instances to answer through load balancer web' },
    );
    const serve = report.instances.find(({ app }) => app === 'serve');
    expect(await (await fetch(report.loadBalancers.scaling)).text()).toBe(serve?.privateIpAddress);

    await waitFor(() => lab.out.stdout.includes('"source":"aws.cloudwatch"'), {
      timeoutMs: 10_000,
      what: 'an alarm event on the bus',
    });
    for (const { pid } of report.instances) expect(isRunning(pid)).toBe(true);
    lab.child.kill('SIGINT');
    expect(await lab.exited).toBe(0);
    for (const { pid } of report.instances) expect(isRunning(pid)).toBe(false);
  }, 60_000);

  it('caps a time scale above what the local cloud models, saying why', async () => {
    const lab = up(['--json', '--time-scale', '1000', ...FREE_PORTS, ...CI_SLACK]);
    const report = (await readyReport(lab)) as ReadyReport & { timeScale: number };
    expect(report.timeScale).toBe(250);
    expect(lab.out.stderr).toContain(
      'time scale 1000 is above 250, the most the local cloud models faithfully',
    );
    lab.child.kill('SIGINT');
    expect(await lab.exited).toBe(0);
  }, 60_000);

  it('refuses a bad configuration before starting anything, naming the field', async () => {
    const lab = up([
      '--set',
      'section2.minSize=2',
      '--set',
      'section2.maxSize=1',
      '--web-port',
      '0',
      '--scaling-port',
      '0',
    ]);
    expect(await lab.exited).toBe(2);
    expect(lab.out.stderr).toMatch(/section2\.maxSize/);
    expect(lab.out.stdout).toBe('');
  });

  it('refuses a listener port that is in use', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const lab = up(['--web-port', String(port), '--scaling-port', '0', '--api-port', '0']);
    expect(await lab.exited).toBe(2);
    expect(lab.out.stderr).toMatch(`web port 127.0.0.1:${port} is not available (EADDRINUSE)`);
  });

  it('leaves no instance process when it is SIGKILLed', async () => {
    const lab = up(QUICK_JSON);
    const report = await readyReport(lab);
    for (const { pid } of report.instances) expect(isRunning(pid)).toBe(true);
    lab.child.kill('SIGKILL');
    await lab.exited;
    await waitFor(() => report.instances.every(({ pid }) => !isRunning(pid)), {
      timeoutMs: 5_000,
      what: 'every instance process to exit with its parent',
    });
  }, 60_000);

  it('tears down and exits 0 when its reader goes away (scalelab up | head)', async () => {
    const lab = up(QUICK_JSON);
    const report = await readyReport(lab);

    lab.child.stdout?.destroy();

    expect(await lab.exited).toBe(0);
    expect(lab.out.stderr).toContain('stdout closed, tearing down');
    for (const { pid } of report.instances) expect(isRunning(pid)).toBe(false);
  }, 60_000);
});
