/**
 * The run's verdict, honest about the machine it ran on: the lab's PASS or FAIL stands only when
 * the run kept to its simulated schedule (lag.ts). Otherwise the verdict is INCONCLUSIVE, with the
 * lab's own verdict and the lag as its reason: a PASS or FAIL that depends on how fast this machine
 * computed it is no verdict on the lab. An interrupted run keeps its "no verdict".
 */
import type { ExpectationResult, VerdictOutput } from '../../lambdas/verdict/core.js';
import type { RunLag } from './lag.js';

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

/** Exit codes of `scalelab run`, by verdict (2 is bad usage, as for every command). */
export const RUN_EXIT_CODES = { PASS: 0, FAIL: 1, INCONCLUSIVE: 3 } as const;

function lagReason(lag: RunLag): string {
  const stall =
    lag.maxStallRealMs >= lag.maxTimerLateRealMs
      ? `the event loop stalled ${Math.round(lag.maxStallRealMs)} ms`
      : `a timer fired ${Math.round(lag.maxTimerLateRealMs)} ms late`;
  return `${stall} (real), ${lag.maxLagSimulatedSeconds} s simulated, over the ${lag.toleranceSimulatedSeconds} s the model tolerates`;
}

/** The lab's verdict, or INCONCLUSIVE when the run's lag makes it untrustworthy. */
export function honestVerdict(labVerdict: LabVerdict, lag: RunLag, interrupted: boolean): RunVerdict {
  if (lag.trustworthy || interrupted) return labVerdict;
  return {
    verdict: 'INCONCLUSIVE',
    reason: `this machine fell behind the simulated schedule: ${lagReason(lag)}, so the lab's ${labVerdict.verdict} (${labVerdict.reason}) cannot be trusted; run again on a quieter machine or at a lower --time-scale`,
    labVerdict: labVerdict.verdict,
    expectations: labVerdict.expectations,
  };
}
