/**
 * The run's verdict, honest about the machine it ran on: the lab's PASS or FAIL stands only when
 * the run kept to its simulated schedule (lag.ts) and the stress got its CPU (stress-reading.ts).
 * Otherwise the verdict is INCONCLUSIVE, with the lab's own verdict and what the machine did as its
 * reason: a PASS or FAIL that depends on how fast or how busy this machine was is no verdict on the
 * lab. An interrupted run keeps its "no verdict".
 */
import type { ExpectationResult, VerdictOutput } from '../../lambdas/verdict/core.js';
import type { RunLag } from './lag.js';
import type { StressReading } from './stress-reading.js';

/** What the lab itself judged, or why it could not (a run that ended before its Verdict step). */
export type LabVerdict = VerdictOutput | { verdict: 'FAIL'; reason: string; expectations: [] };

export interface InconclusiveVerdict {
  verdict: 'INCONCLUSIVE';
  reason: string;
  /** What the lab judged, kept for the evidence. */
  labVerdict: 'PASS' | 'FAIL';
  expectations: ExpectationResult[];
}

export type RunVerdict = LabVerdict | InconclusiveVerdict;

/**
 * Exit codes of `scalelab run`, by verdict (2 is bad usage, as for every command). An interrupted
 * run exits as a shell reports a job ended by the signal: 130 for Ctrl-C (SIGINT, and a reader
 * that went away), 143 for SIGTERM. `npm start` ends with those whatever its child says (npm
 * re-raises the signal), so `npx scalelab run` says the same.
 */
export const RUN_EXIT_CODES = {
  PASS: 0,
  FAIL: 1,
  INCONCLUSIVE: 3,
  INTERRUPTED: 130,
  TERMINATED: 143,
} as const;

/** What the run measured of the machine: its lag, and the stress's readings if one ran. */
export interface RunTrust {
  lag: RunLag;
  stress?: StressReading;
}

function lagReason(lag: RunLag): string {
  return `this machine fell behind the simulated schedule: a timer fired ${Math.round(lag.maxTimerLateRealMs)} ms late (real), ${lag.maxLagSimulatedSeconds} s simulated, over the ${lag.toleranceSimulatedSeconds} s the model tolerates`;
}

function starvedReason(stress: StressReading): string {
  return `this machine starved the stress: ${stress.instanceId} read ${stress.meanPercent} % on average against at least ${stress.leastPercent} %, while ${stress.hostBusyPercent} % of all cores were busy`;
}

/** Why the machine, not the lab, may have decided; empty when the run can be trusted. */
export function distrust({ lag, stress }: RunTrust): string[] {
  return [...(lag.trustworthy ? [] : [lagReason(lag)]), ...(stress?.starved ? [starvedReason(stress)] : [])];
}

/**
 * How an execution may end that a slow or busy machine can cause: a timeout, a health or scaling
 * deadline missed, the verdict's own FAIL. Others (a refused configuration, a busy lab, a crashed
 * step) are no matter of speed and stand.
 */
export const TIMING_ERRORS: ReadonlySet<string> = new Set([
  'States.Timeout',
  'States.HeartbeatTimeout',
  'HealthCheckTimeout',
  'ScalingNotObserved',
  'LabVerdictFail',
  'TearDownIncomplete',
]);

/**
 * The lab's verdict, or INCONCLUSIVE when what the run measured of the machine makes it
 * untrustworthy. `endedWith` is the execution's error, if it failed: only a verdict the lab
 * reached, or a failure speed can cause, is doubted.
 */
export function honestVerdict(
  labVerdict: LabVerdict,
  trust: RunTrust,
  { interrupted, endedWith }: { interrupted: boolean; endedWith?: string },
): RunVerdict {
  const reasons = distrust(trust);
  if (reasons.length === 0 || interrupted) return labVerdict;
  if (endedWith !== undefined && !TIMING_ERRORS.has(endedWith)) return labVerdict;
  return {
    verdict: 'INCONCLUSIVE',
    reason: `${reasons.join('; ')}; so the lab's ${labVerdict.verdict} (${labVerdict.reason}) cannot be trusted: run again on a quieter machine or at a lower --time-scale`,
    labVerdict: labVerdict.verdict,
    expectations: labVerdict.expectations,
  };
}
