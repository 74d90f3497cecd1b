import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../lab/config.js';
import { CLOCK_STEP_SIMULATED_SECONDS, Clock } from '../../local/clock.js';
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

const PASS: LabVerdict = {
  verdict: 'PASS',
  reason: 'every expectation held',
  expectations: [],
  timelines: { from: 'stress start', fromTime: null, instances: [] },
};
const lag = (maxLagSimulatedSeconds: number): RunLag => ({
  maxStallRealMs: 5,
  heldRealMs: 0,
  effectiveTimeScale: 20,
  p99StallRealMs: 1,
  maxTimerLateRealMs: maxLagSimulatedSeconds * 50,
  timersFired: 10,
  maxLagSimulatedSeconds,
  toleranceSimulatedSeconds: LAG_TOLERANCE_SIMULATED_SECONDS,
  trustworthy: maxLagSimulatedSeconds <= LAG_TOLERANCE_SIMULATED_SECONDS,
});

describe('the run lag', () => {
  it('holds the clock through a stall: the timer runs at its simulated moment, and the stall shows', async () => {
    const clock = new Clock({ scale: 20 });
    const monitor = new LagMonitor(clock);
    const setAt = clock.now();
    let firedAt = 0;
    const due = new Promise<void>((resolve) =>
      clock.setTimeout(() => {
        firedAt = clock.now();
        resolve();
      }, 0.2),
    );
    blockEventLoop(400); // 8 simulated s, were they counted
    await due;
    await new Promise((resolve) => setTimeout(resolve, 30)); // one more look at the loop
    const report = monitor.report();
    monitor.stop();
    clock.close();

    expect(firedAt - setAt).toBeLessThan(200 + CLOCK_STEP_SIMULATED_SECONDS * 1000 + 100);
    expect(report.maxStallRealMs).toBeGreaterThanOrEqual(380);
    expect(report.heldRealMs).toBeGreaterThanOrEqual(380 - clock.toRealMs(CLOCK_STEP_SIMULATED_SECONDS));
    expect(report.effectiveTimeScale).toBeLessThan(20);
    expect(report.maxLagSimulatedSeconds).toBeLessThanOrEqual(CLOCK_STEP_SIMULATED_SECONDS + 0.5);
    expect(report.trustworthy).toBe(true);
  });

  it('counts in simulated seconds a timer late beyond what the clock held, but not one due before it started', async () => {
    const clock = new Clock({ scale: 20 });
    clock.close(); // a clock that no longer looks at the loop counts stalls in full
    const beforeMonitor = new Promise<void>((resolve) => clock.setTimeout(resolve, 0.2));
    blockEventLoop(300);
    const monitor = new LagMonitor(clock);
    await beforeMonitor;
    expect(monitor.report()).toMatchObject({ timersFired: 0, maxTimerLateRealMs: 0 });

    const during = new Promise<void>((resolve) => clock.setTimeout(resolve, 0.2));
    blockEventLoop(800); // 16 simulated s
    await during;
    const report = monitor.report();
    monitor.stop();

    expect(report.timersFired).toBe(1);
    expect(report.maxTimerLateRealMs).toBeGreaterThanOrEqual(580);
    expect(report.maxLagSimulatedSeconds).toBeGreaterThanOrEqual((580 * 20) / 1000);
    expect(report.trustworthy).toBe(false);
  });

  it('does not count a stall while the clock was held on purpose, and reports the hold', async () => {
    const clock = new Clock({ scale: 20 });
    const monitor = new LagMonitor(clock);
    const due = new Promise<void>((resolve) => clock.setTimeout(resolve, 0.2));
    const release = clock.hold();
    blockEventLoop(400);
    release();
    await due;
    const report = monitor.report();
    monitor.stop();
    clock.close();

    expect(report.heldRealMs).toBeGreaterThanOrEqual(390);
    expect(report.maxTimerLateRealMs).toBeLessThan(100);
    expect(report.trustworthy).toBe(true);
  });

  it('leaves a trusted verdict alone and makes an untrusted one INCONCLUSIVE, naming the lag', () => {
    expect(honestVerdict(PASS, { lag: lag(2) }, { interrupted: false })).toBe(PASS);
    const fail: LabVerdict = { verdict: 'FAIL', reason: 'scale-out not seen', expectations: [] };

    expect(honestVerdict(fail, { lag: lag(40) }, { interrupted: false })).toEqual({
      verdict: 'INCONCLUSIVE',
      labVerdict: 'FAIL',
      expectations: [],
      reason: `this machine fell behind the simulated schedule: a timer fired 2000 ms late (real), 40 s simulated, over the ${LAG_TOLERANCE_SIMULATED_SECONDS} s the model tolerates; so the lab's FAIL (scale-out not seen) cannot be trusted: run again on a quieter machine or at a lower --time-scale`,
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

  it('shows the stall in its summary, as time the clock held rather than simulated lag', async () => {
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

    // The stall is in the summary: the loop held 2 s, the clock stood still for it (no 40
    // simulated seconds passed with nothing done), and the run fell behind its time scale.
    expect(summary.lag.maxStallRealMs).toBeGreaterThanOrEqual(1_900);
    expect(summary.lag.heldRealMs).toBeGreaterThanOrEqual(1_800);
    expect(summary.lag.effectiveTimeScale).toBeLessThan(20);
    expect(summary.lag.maxLagSimulatedSeconds).toBeLessThanOrEqual(CLOCK_STEP_SIMULATED_SECONDS + 0.5);
  }, 60_000);
});
