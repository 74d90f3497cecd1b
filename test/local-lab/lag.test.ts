import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { Clock } from '../../local/clock.js';
import { honestVerdict, type LabVerdict } from '../../local-lab/run/honest-verdict.js';
import { LabRun } from '../../local-lab/run/lab-run.js';
import { LAG_TOLERANCE_SIMULATED_SECONDS, LagMonitor, type RunLag } from '../../local-lab/run/lag.js';
import { runHistory, summarise } from '../../local-lab/run/run-folder.js';
import { testSubnet } from '../helpers/subnet.js';
import { waitFor } from '../helpers/wait-for.js';

/** Holds the event loop for `ms` of real time: what a stuck handler or a starved process does. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

const PASS: LabVerdict = { verdict: 'PASS', reason: 'every expectation held', expectations: [] };
const lag = (maxLagSimulatedSeconds: number): RunLag => ({
  maxStallRealMs: maxLagSimulatedSeconds * 50,
  p99StallRealMs: 1,
  maxTimerLateRealMs: 0,
  timersFired: 10,
  maxLagSimulatedSeconds,
  toleranceSimulatedSeconds: LAG_TOLERANCE_SIMULATED_SECONDS,
  trustworthy: maxLagSimulatedSeconds <= LAG_TOLERANCE_SIMULATED_SECONDS,
});

describe('the run lag', () => {
  it('counts a late timer in simulated seconds, but not one held up before the monitor started', async () => {
    const clock = new Clock({ scale: 20 });
    const beforeMonitor = new Promise<void>((resolve) => clock.setTimeout(resolve, 0.2));
    blockEventLoop(300);
    const monitor = new LagMonitor(clock);
    await beforeMonitor;
    expect(monitor.report()).toMatchObject({ timersFired: 0, maxTimerLateRealMs: 0 });

    const during = new Promise<void>((resolve) => clock.setTimeout(resolve, 0.2));
    blockEventLoop(400);
    await during;
    const report = monitor.report();
    monitor.stop();

    expect(report.timersFired).toBe(1);
    expect(report.maxTimerLateRealMs).toBeGreaterThanOrEqual(380);
    expect(report.maxLagSimulatedSeconds).toBeGreaterThanOrEqual((380 * 20) / 1000);
  });

  it('leaves a trusted verdict alone and makes an untrusted one INCONCLUSIVE, naming the lag', () => {
    expect(honestVerdict(PASS, { lag: lag(2) }, { interrupted: false })).toBe(PASS);
    const fail: LabVerdict = { verdict: 'FAIL', reason: 'scale-out not seen', expectations: [] };

    expect(honestVerdict(fail, { lag: lag(40) }, { interrupted: false })).toEqual({
      verdict: 'INCONCLUSIVE',
      labVerdict: 'FAIL',
      expectations: [],
      reason: `this machine fell behind the simulated schedule: the event loop stalled 2000 ms (real), 40 s simulated, over the ${LAG_TOLERANCE_SIMULATED_SECONDS} s the model tolerates; so the lab's FAIL (scale-out not seen) cannot be trusted: run again on a quieter machine or at a lower --time-scale`,
    });
    // An interrupted run has no verdict to doubt.
    expect(honestVerdict(fail, { lag: lag(40) }, { interrupted: true })).toBe(fail);
  });
});

describe('a lab run whose event loop stalls', () => {
  let run: LabRun | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await run?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    run = undefined;
  });

  it('shows the stall as lag in its summary', async () => {
    dir = mkdtempSync(join(tmpdir(), 'scalelab-lag-'));
    const config = parseLabConfig({ timeScale: 20 });
    run = await LabRun.start({
      config,
      stateDir: join(dir, 'state'),
      log: () => undefined,
      subnet: testSubnet(),
    });
    const started = run;
    await waitFor(() => started.phases.length > 0, { what: 'the lab to announce its first phase' });

    blockEventLoop(2_000);
    run.stop('interrupted by the test');
    const execution = await run.finished();
    const summary = summarise(run, execution, runHistory(run), 3);

    expect(summary.lag.maxStallRealMs).toBeGreaterThanOrEqual(1_900);
    expect(summary.lag.maxLagSimulatedSeconds).toBeGreaterThanOrEqual(38);
    expect(summary.lag.trustworthy).toBe(false);
  }, 60_000);
});
