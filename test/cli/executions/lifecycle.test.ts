import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeFixture, scalelab, serveForTest } from './helpers.js';

const DEMO = 'arn:aws:states:us-east-1:000000000000:execution:scalelab-demo';

describe('start, show, redrive, replay and list against scalelab serve', () => {
  let s: ServeFixture;
  beforeAll(async () => {
    s = await serveForTest();
  });
  afterAll(async () => {
    await s.close();
  });

  it('start --follow prints the ARN, each phase, and exits 0 when the execution succeeds', async () => {
    const result = await scalelab(s.serve.url, ['start', '--name', 'ok-1', '--follow', '--poll-ms', '20']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${DEMO}:ok-1`);
    expect(lines).toContain('  > Provision (Task)');
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}\+ CoolDown done in 2 min \d\d s \(simulated\)$/),
    );
    expect(lines.at(-1)).toBe(`SUCCEEDED: ${DEMO}:ok-1`);
  });

  it('shows a failed execution with its failing step, redrives it to success, and replays it', async () => {
    const failed = await scalelab(s.serve.url, [
      'start',
      '--name',
      'flaky-1',
      '--input',
      '{"failOnce":"Observe"}',
      '--follow',
      '--poll-ms',
      '20',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/x Observe failed: DemoStepFailed: .*failed once as the input asked/);

    const shown = await scalelab(s.serve.url, ['show', 'flaky-1', '--json']);
    expect(shown.code).toBe(1);
    const before = JSON.parse(shown.stdout);
    expect(before).toMatchObject({
      status: 'FAILED',
      error: 'DemoStepFailed',
      input: { failOnce: 'Observe' },
      failure: { state: 'Observe', error: 'DemoStepFailed' },
    });
    expect(before.phases.map((p: { name: string }) => p.name)).toEqual([
      'Prepare',
      'Provision',
      'Stress',
      'Observe',
    ]);
    // A 60 s Wait, which never ends early.
    expect(before.phases[2].seconds).toBeGreaterThanOrEqual(60);

    const redriven = await scalelab(s.serve.url, ['redrive', 'flaky-1', '--follow', '--poll-ms', '20']);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toMatch(new RegExp(`^redriven ${DEMO}:flaky-1 at \\S+Z \\(simulated\\)\\n`));
    // Only the redriven attempt is followed: Provision ran before the failure and is not rerun.
    expect(redriven.stdout).not.toMatch(/Provision/);
    expect(redriven.stdout).toMatch(/\+ Observe done in/);

    const after = await scalelab(s.serve.url, ['show', `${DEMO}:flaky-1`]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^Status {5}SUCCEEDED \(redriven 1x\)$/m);
    expect(after.stdout).toMatch(/^Verdict {4}PASS$/m);
    expect(after.stdout).not.toMatch(/Failed step/);
    // At scale 1000 a millisecond of scheduling lag is a simulated second: allow some.
    expect(after.stdout).toMatch(/^ {2}CoolDown +Wait +2 min \d\d s +ok$/m);

    const replay = await scalelab(s.serve.url, ['replay', 'flaky-1', '--json']);
    expect(replay.code).toBe(0);
    const { executionArn, replayOf } = JSON.parse(replay.stdout);
    expect(replayOf).toBe(`${DEMO}:flaky-1`);
    expect(executionArn).toMatch(new RegExp(`^${DEMO}:flaky-1-replay-[a-z0-9]+$`));
    const replayed = JSON.parse((await scalelab(s.serve.url, ['show', executionArn, '--json'])).stdout);
    expect(replayed.input).toEqual({ failOnce: 'Observe' });
  });

  it('lists executions newest first, filtered by status, started at their real time', async () => {
    const before = Date.now();
    await scalelab(s.serve.url, ['start', '--name', 'listed-1', '--follow', '--poll-ms', '20']);

    const all = await scalelab(s.serve.url, ['list', '--json']);
    const succeeded = await scalelab(s.serve.url, ['list', '--status', 'succeeded', '--max', '1']);

    expect(all.code).toBe(0);
    const names = JSON.parse(all.stdout).map((item: { name: string }) => item.name);
    expect(names[0]).toBe('listed-1');
    expect(names).toContain('ok-1');
    expect(succeeded.code).toBe(0);
    // STARTED and DURATION by the wall clock (x1000: the simulated start is far ahead of it).
    const [listed] = JSON.parse(all.stdout) as { startDate: string; realStartDate: string }[];
    const realStart = Date.parse(listed?.realStartDate ?? '');
    expect(realStart).toBeGreaterThanOrEqual(before - 1000);
    expect(realStart).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(listed?.startDate ?? '')).toBeGreaterThan(realStart);
    expect(succeeded.stdout.split('\n')[0]).toMatch(/^NAME +STATUS +STARTED +DURATION +SIMULATED$/);
    expect(succeeded.stdout.split('\n')[1]).toMatch(
      new RegExp(`^listed-1 +SUCCEEDED +${listed?.realStartDate.replace(/\./g, '\\.')} +[\\d.]+ s +\\d`),
    );
    expect(succeeded.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('start sends the lab configuration from a file and --set overrides', async () => {
    const fs = await import('node:fs');
    const file = `${s.stateDir}/lab.json`;
    fs.writeFileSync(file, JSON.stringify({ section2: { maxSize: 3 } }));

    const result = await scalelab(s.serve.url, [
      'start',
      '--config',
      file,
      '--set',
      'section2.targetCpuPercent=40',
      '--set',
      'stress.seconds=300',
      '--json',
    ]);

    expect(result.code).toBe(0);
    const { executionArn } = JSON.parse(result.stdout);
    const shown = JSON.parse((await scalelab(s.serve.url, ['show', executionArn, '--json'])).stdout);
    expect(shown.input).toEqual({
      config: { section2: { maxSize: 3, targetCpuPercent: 40 }, stress: { seconds: 300 } },
    });
  });
});
