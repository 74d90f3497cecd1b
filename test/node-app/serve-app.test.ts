import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeHeldMs } from '../../node-app/stress/held-clock.js';
import { cpuSecondsOf, isRunning, type SpawnedApp, spawnApp, stopChild } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait-for.js';

interface StressJob {
  id: string;
  pids: number[];
  workers: number;
  load: number;
  seconds: number;
  endsAt: string;
}

const started: SpawnedApp[] = [];
const workerPids: number[] = [];

async function serve(...args: string[]): Promise<SpawnedApp> {
  const app = await spawnApp(['serve', '--port', '0', '--instance-id', 'i-0servetest', ...args]);
  started.push(app);
  return app;
}

async function startStress(app: SpawnedApp, body?: object): Promise<Response> {
  const response = await fetch(app.url, {
    method: 'POST',
    ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return response;
}

async function stressJob(app: SpawnedApp, body?: object): Promise<StressJob> {
  const response = await startStress(app, body);
  expect(response.status).toBe(202);
  const job = (await response.json()) as StressJob;
  workerPids.push(...job.pids);
  return job;
}

const localClouds: ChildProcess[] = [];
const appPids: number[] = [];

/** A serve app started by a stand-in local cloud (test/fixtures/app-parent.mjs), and its URL and pid. */
async function appUnderLocalCloud(): Promise<{ cloud: ChildProcess; app: SpawnedApp & { pid: number } }> {
  const cloud = spawn(process.execPath, ['test/fixtures/app-parent.mjs'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  localClouds.push(cloud);
  let output = '';
  cloud.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const match = await waitFor(() => /listening on (http:\/\/\S+) .*pid (\d+)\)/.exec(output), {
    what: () => `the app to listen; output: ${output}`,
  });
  const pid = Number(match[2]);
  appPids.push(pid);
  return { cloud, app: { url: match[1] ?? '', pid } as SpawnedApp & { pid: number } };
}

afterEach(async () => {
  for (const cloud of localClouds.splice(0)) cloud.kill('SIGKILL');
  for (const pid of appPids.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(started.splice(0).map(({ child }) => stopChild(child, 'SIGKILL')));
  for (const pid of workerPids.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

describe('serve app', () => {
  it('answers GET / with its private IP and instance id', async () => {
    const app = await serve('--host', '127.0.0.1');
    const response = await fetch(app.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('x-instance-id')).toBe('i-0servetest');
    expect(await response.text()).toBe('127.0.0.1');
  });

  it('reports an explicit private IP', async () => {
    const app = await serve('--private-ip', '10.0.1.23');
    expect(await (await fetch(app.url)).text()).toBe('10.0.1.23');
  });

  it('starts stress in separate processes, answers 202 at once, and lists it', async () => {
    const app = await serve();
    const job = await stressJob(app, { seconds: 5, workers: 2, load: 50 });
    expect(job).toMatchObject({ workers: 2, load: 50, seconds: 5 });
    expect(job.pids).toHaveLength(2);
    expect(job.pids).not.toContain(app.pid);
    for (const pid of job.pids) expect(isRunning(pid)).toBe(true);
    const listed = (await (await fetch(new URL('/stress', app.url))).json()) as { running: StressJob[] };
    expect(listed.running.map(({ id }) => id)).toEqual([job.id]);
    expect((await fetch(app.url)).status).toBe(200); // the server stays responsive
  });

  it('uses the documented defaults for an empty POST', async () => {
    const app = await serve();
    const job = await stressJob(app);
    expect(job).toMatchObject({ seconds: 60, workers: 1, load: 100 });
  });

  it.each([
    [{ seconds: 0 }, /"seconds" must be an integer from 1 to 3600/],
    [{ seconds: 3601 }, /"seconds"/],
    [{ workers: 5 }, /"workers" must be an integer from 1 to 4/],
    [{ load: 0 }, /"load" must be an integer from 1 to 100/],
    [{ load: 50.5 }, /"load"/],
    [{ load: '50' }, /"load"/],
    [{ sconds: 10 }, /unknown field\(s\) sconds/],
  ])('rejects %j with 400 and starts nothing', async (body, message) => {
    const app = await serve();
    const response = await startStress(app, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    const listed = (await (await fetch(new URL('/stress', app.url))).json()) as { running: StressJob[] };
    expect(listed.running).toEqual([]);
  });

  it('refuses stress beyond the per-instance cap with 429, Retry-After and what is running', async () => {
    const app = await serve();
    const first = await stressJob(app, { seconds: 30, workers: 3, load: 10 });
    const response = await startStress(app, { seconds: 5, workers: 2, load: 10 });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const body = (await response.json()) as { details: { running: StressJob[]; maxProcesses: number } };
    expect(body.details.maxProcesses).toBe(4);
    expect(body.details.running.map(({ id }) => id)).toEqual([first.id]);
    const fits = await stressJob(app, { seconds: 5, workers: 1, load: 10 });
    expect(fits.pids).toHaveLength(1);
  });

  it('burns CPU near the requested load in the worker, not in the server', async () => {
    const app = await serve();
    const job = await stressJob(app, { seconds: 10, workers: 1, load: 50 });
    const pid = job.pids[0] ?? -1;
    await waitFor(() => cpuSecondsOf(pid) > 0.05, { what: 'the worker to start burning CPU' });
    const [cpu0, wall0, server0] = [cpuSecondsOf(pid), performance.now(), cpuSecondsOf(app.pid)];
    await waitFor(() => performance.now() - wall0 >= 2_000, {
      timeoutMs: 5_000,
      what: 'two seconds of load',
    });
    const load = (cpuSecondsOf(pid) - cpu0) / ((performance.now() - wall0) / 1000);
    expect(load).toBeGreaterThan(0.3);
    expect(load).toBeLessThan(0.75);
    expect(cpuSecondsOf(app.pid) - server0).toBeLessThan(0.2);
  });

  it('ends stress at its deadline, scaled by the time scale', async () => {
    const app = await serve('--time-scale', '30');
    const startedAt = Date.now();
    const job = await stressJob(app, { seconds: 60, workers: 1, load: 20 }); // 2 real seconds
    expect(Date.parse(job.endsAt) - startedAt).toBeGreaterThanOrEqual(1_900);
    expect(Date.parse(job.endsAt) - startedAt).toBeLessThan(2_500);
    const pid = job.pids[0] ?? -1;
    await waitFor(() => !isRunning(pid), { timeoutMs: 6_000, what: 'the worker to end by its deadline' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_900);
  });

  it("with --held-clock, ends stress later by what the local cloud's clock held meanwhile", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelab-held-'));
    try {
      const file = join(dir, 'held-clock');
      writeHeldMs(file, 5_000); // held before the stress: it does not move the deadline
      const app = await serve('--time-scale', '60', '--held-clock', file);
      const startedAt = Date.now();
      const job = await stressJob(app, { seconds: 30, workers: 1, load: 10 }); // 0.5 real seconds
      writeHeldMs(file, 6_000); // the clock held 1 s since: the stress's simulated end is 1 s later
      const pid = job.pids[0] ?? -1;
      await waitFor(() => !isRunning(pid), { timeoutMs: 6_000, what: 'the worker to end by its deadline' });
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_450);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --fail-start, listens but answers every request 503, as an app whose start failed', async () => {
    const app = await serve('--fail-start');
    const get = await fetch(app.url);
    const post = await fetch(app.url, { method: 'POST' });

    expect([get.status, post.status]).toEqual([503, 503]);
    expect(get.headers.get('x-instance-id')).toBe('i-0servetest');
    expect(await get.text()).toContain('AppStartFailed');
  });

  it('ends its stress processes on SIGTERM before exiting', async () => {
    const app = await serve();
    const job = await stressJob(app, { seconds: 600, workers: 2, load: 10 });
    expect(await stopChild(app.child, 'SIGTERM')).toBe(0);
    for (const pid of job.pids) expect(isRunning(pid)).toBe(false);
  });

  it('leaves no stress process after SIGKILL once the deadline passes', async () => {
    const app = await serve();
    const job = await stressJob(app, { seconds: 2, workers: 2, load: 10 });
    await stopChild(app.child, 'SIGKILL');
    for (const pid of job.pids) expect(isRunning(pid)).toBe(true);
    await waitFor(() => job.pids.every((pid) => !isRunning(pid)), {
      timeoutMs: 6_000,
      what: 'orphaned workers to end by their own deadline',
    });
  });

  it('exits when its stdin closes, if asked to (the local cloud dying)', async () => {
    const app = await serve('--exit-on-stdin-close');
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.stdin?.end();
    expect(await exited).toBe(0);
  });

  it('with --exit-on-stdin-close, its workers outlive a SIGKILLed app but not the local cloud', async () => {
    const { cloud, app } = await appUnderLocalCloud();
    const job = await stressJob(app, { seconds: 600, workers: 2, load: 10 });
    process.kill(app.pid, 'SIGKILL');
    await waitFor(() => !isRunning(app.pid), { what: 'the app to be gone' });
    // As on EC2, a crashed app's workers run on while their instance does (the local cloud lives),
    // though the pipe closed with the app: Node closes an exited child's stdin.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const pid of job.pids) expect(isRunning(pid)).toBe(true);
    // ...but once the local cloud that started the app is gone, nobody is left to stop them: they
    // go with it, not at their own deadline.
    cloud.kill('SIGKILL');
    await waitFor(() => job.pids.every((pid) => !isRunning(pid)), {
      timeoutMs: 5_000,
      what: 'the workers to exit once the local cloud is gone',
    });
  });

  it('with --exit-on-stdin-close, a stopped (SIGSTOP) app goes too: its workers take its group along', async () => {
    const { cloud, app } = await appUnderLocalCloud();
    const job = await stressJob(app, { seconds: 600, workers: 2, load: 10 });
    process.kill(app.pid, 'SIGSTOP');

    cloud.kill('SIGKILL');

    await waitFor(() => [app.pid, ...job.pids].every((pid) => !isRunning(pid)), {
      timeoutMs: 5_000,
      what: 'the stopped app and its workers to be gone once the local cloud is',
    });
  });
});
