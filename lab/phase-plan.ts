/**
 * The lab's phases as a person follows them: the workflow's states read as 11 phases, each with
 * words and how long it is expected to take in simulated seconds for a configuration. The
 * terminal's progress ("phase 7 of 11, about 40 s left") and anyone else who shows the lab's
 * progress read it; the run's summary derives the same phases from the history (run-folder.ts).
 */
import { computeBudgets } from './budgets.js';
import type { LabConfig } from './config.js';

export interface PlannedPhase {
  /** The workflow state the phase is named after (summary.json `phases[].phase`). */
  name: string;
  /** What the lab is doing, in a person's words. */
  words: string;
  /** Expected simulated seconds: a typical run, not a bound. */
  expectedSeconds: number;
}

/** States that belong to another state's phase: the health loop, and the paths after an error. */
const PHASE_OF_STATE: Readonly<Record<string, string>> = {
  InitHealthWait: 'WaitUntilHealthy',
  CheckHealth: 'WaitUntilHealthy',
  HealthyYet: 'WaitUntilHealthy',
  WaitBeforeHealthCheck: 'WaitUntilHealthy',
  ScaleOutSeen: 'ObserveScaleOut',
  ScaleOutNotObserved: 'ObserveScaleOut',
  ScaleInSeen: 'ObserveScaleIn',
  ScaleInNotObserved: 'ObserveScaleIn',
  TearDownAfterError: 'TearDown',
  VerdictAfterError: 'Verdict',
  Passed: 'Verdict',
  LabPassed: 'Verdict',
  LabVerdictFailed: 'Verdict',
  LabFailed: 'Verdict',
};

/** The phase a workflow state belongs to (a state outside the plan is its own phase). */
export function phaseOfState(state: string): string {
  return PHASE_OF_STATE[state] ?? state;
}

const midpoint = (window: { lowerSeconds: number; upperSeconds: number }): number =>
  (window.lowerSeconds + window.upperSeconds) / 2;

/**
 * The 11 phases in order. Expected durations: the waits the configuration sets, the middle of
 * each scaling budget for the observe steps, and the deregistration delay plus the shutdown for
 * the tear-down.
 */
export function labPhasePlan(config: LabConfig): PlannedPhase[] {
  const budgets = computeBudgets(config);
  const { healthCheck: hc, section2, stress } = config;
  const scaleOut = midpoint(budgets.scaleOut);
  return [
    { name: 'Validate', words: 'validating the configuration', expectedSeconds: 0 },
    { name: 'Provision', words: 'provisioning the lab', expectedSeconds: 1 },
    {
      name: 'WaitUntilHealthy',
      words: 'waiting until every target is healthy',
      expectedSeconds: config.instanceBootSeconds + hc.healthyThresholdCount * hc.intervalSeconds,
    },
    { name: 'VerifyLoadBalancing', words: 'verifying load balancing', expectedSeconds: 0 },
    {
      name: 'WaitForWarmUp',
      words: "waiting out the first instance's warm-up",
      expectedSeconds: section2.instanceWarmupSeconds,
    },
    { name: 'StartStress', words: 'starting the CPU stress', expectedSeconds: 0 },
    { name: 'ObserveScaleOut', words: 'watching for scale-out', expectedSeconds: scaleOut },
    {
      name: 'CoolDown',
      words: 'waiting for the stress to end',
      expectedSeconds: Math.max(0, stress.seconds - scaleOut),
    },
    { name: 'ObserveScaleIn', words: 'watching for scale-in', expectedSeconds: midpoint(budgets.scaleIn) },
    { name: 'TearDown', words: 'tearing down', expectedSeconds: config.deregistrationDelaySeconds + 30 },
    { name: 'Verdict', words: 'judging the run', expectedSeconds: 0 },
  ];
}

/** Where a run stands in the plan: its phase's place, and the simulated seconds expected left. */
export interface PlanPosition {
  /** 1-based; 0 before the first phase. */
  index: number;
  count: number;
  phase: PlannedPhase | undefined;
  expectedSecondsLeft: number;
}

/**
 * The position of a run in phase `current` (a phase name) that has been in it for
 * `secondsInPhase`: what is left of this phase's expectation (never below zero: a phase that
 * overruns has nothing left to say) plus every later phase's.
 */
export function planPosition(
  plan: readonly PlannedPhase[],
  current: string | undefined,
  secondsInPhase: number,
): PlanPosition {
  const at = plan.findIndex(({ name }) => name === current);
  const later = plan.slice(at + 1).reduce((sum, phase) => sum + phase.expectedSeconds, 0);
  const phase = at >= 0 ? plan[at] : undefined;
  const leftHere = phase ? Math.max(0, phase.expectedSeconds - secondsInPhase) : 0;
  return { index: at + 1, count: plan.length, phase, expectedSecondsLeft: leftHere + later };
}
