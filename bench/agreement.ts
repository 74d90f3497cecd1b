/**
 * Issue 15's figures: the same lab at a low and a high time scale must give the same verdict and
 * the same simulated moments, whatever the speed it was computed at. Runs alternate between the
 * scales, so both sets see the same machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabConfig } from '../lab/config.js';
import { MAX_FAITHFUL_TIME_SCALE } from '../local-lab/run/faithful-time-scale.js';
import { LabRun } from '../local-lab/run/lab-run.js';
import { runHistory, summarise } from '../local-lab/run/run-folder.js';
import type { Bench, BenchRow } from './bench-row.js';
import { quantile } from './stats.js';

/** Runs per time scale (the issue asks for 10); SCALELAB_BENCH_AGREEMENT_RUNS overrides it for a quick look. */
const RUNS = Number(process.env.SCALELAB_BENCH_AGREEMENT_RUNS ?? 10);
const LOW_SCALE = 20;
const HIGH_SCALE = 240;
/**
 * Beyond what the local cloud models faithfully (MAX_FAITHFUL_TIME_SCALE): a run asked for it is
 * capped, and must never turn a PASS into a FAIL.
 */
const EXTREME_SCALE = 500;
const EXTREME_RUNS = 3;
/** The agreement the issue asks for: one alarm period. */
const AGREEMENT_SECONDS = 60;

interface RunResult {
  verdict: string;
  scaleOut?: number;
  scaleIn?: number;
  wallSeconds: number;
  effectiveTimeScale: number;
  /** The time scale the run used (capped above MAX_FAITHFUL_TIME_SCALE). */
  timeScale: number;
  reason: string;
}

async function runLab(timeScale: number): Promise<RunResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'scalelab-bench-agreement-'));
  const started = performance.now();
  const run = await LabRun.start({ config: parseLabConfig({ timeScale }), stateDir, log: () => undefined });
  try {
    const execution = await run.finished();
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = summarise(run, execution, runHistory(run), wallSeconds);
    return {
      verdict: summary.verdict.verdict,
      scaleOut: summary.observations?.scaleOut?.elapsedSeconds,
      scaleIn: summary.observations?.scaleIn?.elapsedSeconds,
      wallSeconds,
      effectiveTimeScale: summary.lag.effectiveTimeScale,
      timeScale: summary.timeScale,
      reason: summary.verdict.reason,
    };
  } finally {
    await run.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;

function verdicts(results: readonly RunResult[]): string {
  const counts = new Map<string, number>();
  for (const { verdict } of results) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  return [...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ');
}

function moments(results: readonly RunResult[], pick: (r: RunResult) => number | undefined): number[] {
  return results
    .filter(({ verdict }) => verdict === 'PASS')
    .map(pick)
    .filter((value): value is number => value !== undefined);
}

function spread(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  return `median ${round(quantile(values, 0.5))} s (${round(Math.min(...values))}–${round(Math.max(...values))})`;
}

/** "; not PASS: reasons" for the runs that did not PASS, or nothing. */
function notPassed(results: readonly RunResult[]): string {
  const reasons = results.filter(({ verdict }) => verdict !== 'PASS').map(({ reason }) => reason);
  return reasons.length > 0 ? `; not PASS: ${reasons.join(' / ')}` : '';
}

function passRow(scale: number, results: readonly RunResult[]): BenchRow {
  const passed = results.filter(({ verdict }) => verdict === 'PASS').length;
  const walls = results.map(({ wallSeconds }) => wallSeconds);
  const effective = results.map(({ effectiveTimeScale }) => effectiveTimeScale);
  return {
    name: `lab at time scale ${scale}: runs that PASS`,
    value: passed,
    unit: `of ${results.length}`,
    goal: `${results.length} of ${results.length}`,
    met: passed === results.length,
    note: `${verdicts(results)}; real wall time ${spread(walls)}; effective time scale median ${round(quantile(effective, 0.5))}${notPassed(results)}`,
  };
}

function agreementRow(
  what: string,
  low: readonly RunResult[],
  high: readonly RunResult[],
  highScale: number | string,
  pick: (r: RunResult) => number | undefined,
): BenchRow {
  const lowMoments = moments(low, pick);
  const highMoments = moments(high, pick);
  const difference = Math.abs(quantile(highMoments, 0.5) - quantile(lowMoments, 0.5));
  return {
    name: `simulated ${what}: medians at time scale ${LOW_SCALE} and ${highScale} differ by`,
    value: round(difference),
    unit: 's',
    goal: `<= ${AGREEMENT_SECONDS} s (one alarm period)`,
    met: difference <= AGREEMENT_SECONDS,
    note: `x${LOW_SCALE}: ${spread(lowMoments)}; x${highScale}: ${spread(highMoments)}; passing runs only`,
  };
}

export const agreementBench: Bench = async (report) => {
  const low: RunResult[] = [];
  const high: RunResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    low.push(await runLab(LOW_SCALE));
    high.push(await runLab(HIGH_SCALE));
    process.stderr.write(
      `  runs ${i + 1}/${RUNS}: x${LOW_SCALE} ${low.at(-1)?.verdict}, x${HIGH_SCALE} ${high.at(-1)?.verdict}\n`,
    );
  }
  const extreme: RunResult[] = [];
  for (let i = 0; i < EXTREME_RUNS; i++) extreme.push(await runLab(EXTREME_SCALE));
  const scaleOut = (r: RunResult): number | undefined => r.scaleOut;
  const scaleIn = (r: RunResult): number | undefined => r.scaleIn;
  report(passRow(LOW_SCALE, low));
  report(passRow(HIGH_SCALE, high));
  report(agreementRow('scale-out after the stress start', low, high, HIGH_SCALE, scaleOut));
  report(agreementRow('scale-in after the stress end', low, high, HIGH_SCALE, scaleIn));
  const failed = extreme.filter(({ verdict }) => verdict === 'FAIL').length;
  report({
    name: `lab asked for time scale ${EXTREME_SCALE}: runs that FAIL`,
    value: failed,
    unit: `of ${extreme.length}`,
    goal: '0 (PASS, or INCONCLUSIVE with its reason)',
    met: failed === 0,
    note: `${verdicts(extreme)}; ran at time scale ${[...new Set(extreme.map((r) => r.timeScale))].join(', ')}; effective time scale median ${round(
      quantile(
        extreme.map((r) => r.effectiveTimeScale),
        0.5,
      ),
    )}${notPassed(extreme)}`,
  });
  if (moments(extreme, scaleOut).length > 0) {
    const asked = `${EXTREME_SCALE} (capped to ${MAX_FAITHFUL_TIME_SCALE})`;
    report(agreementRow('scale-out after the stress start', low, extreme, asked, scaleOut));
    report(agreementRow('scale-in after the stress end', low, extreme, asked, scaleIn));
  }
};
