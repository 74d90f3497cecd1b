/**
 * The verdict's timing budgets, derived from the lab configuration and the target-tracking alarm
 * math, each with a lower and an upper bound (as the Kubernetes HPA end-to-end tests bound
 * scale-up and scale-down): a scale-out that comes too early is as wrong as one that never comes.
 */
import {
  TARGET_TRACKING_HIGH_DATAPOINTS,
  TARGET_TRACKING_LOW_DATAPOINTS,
  TARGET_TRACKING_PERIOD_SECONDS,
} from './aws-facts.js';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './config.js';
import { InvalidLabConfig } from './workflow-errors.js';

/**
 * Assumption: after draining, an EC2 instance shuts down and Auto Scaling reports it terminated
 * within one minute (observed order of magnitude; AWS documents no bound).
 */
export const SHUTDOWN_SECONDS_UPPER = 60;

/**
 * Periods of slack on the alarm side of an upper bound: one because the first breaching datapoint
 * may start up to a period after the load does, one because CloudWatch publishes a period's
 * datapoint after the period ends (AWS's metric delay).
 */
export const ALARM_SLACK_PERIODS = 2;

/** A window in simulated seconds, measured from a reference moment. */
export interface BudgetWindow {
  /** Earliest acceptable moment; earlier means something else caused it. */
  lowerSeconds: number;
  /** Latest acceptable moment. */
  upperSeconds: number;
  /**
   * How long the workflow keeps looking ({@link LATE_OBSERVATION_FACTOR} × upper): a scaling seen
   * after the upper bound is measured and reported late; one not seen by then never happened.
   */
  observeUntilSeconds: number;
  /** What the window is measured from. */
  from: 'stress-start' | 'stress-end';
  /** The formula with the configuration's numbers, for the verdict table. */
  formula: string;
}

export interface LabBudgets {
  /** From the stress POST until `scaleOutTo` instances are in service and healthy. */
  scaleOut: BudgetWindow;
  /** From the end of the stress until the group is back to `desiredCapacity` instances. */
  scaleIn: BudgetWindow;
  /** From provisioning until every target is healthy (the health-wait loop's bound). */
  healthySeconds: number;
  /** How many health checks the health-wait loop makes before giving up. */
  healthMaxAttempts: number;
}

/**
 * One round of an observe step in state-machines/lab-lifecycle.asl.json (its TimeoutSeconds and
 * HeartbeatSeconds). Auto Scaling events are delivered best effort, so an event is the fast path,
 * never the only one: each round arms a fresh token and looks at the group at once, and a round
 * that no event completes times out into the next. A scaling is therefore seen at most one round
 * late even if every event is lost; 30 s is half an alarm period, and costs one Lambda invocation
 * per round on AWS. HeartbeatSeconds must be below TimeoutSeconds (docs/asl-rules.md); a missed
 * heartbeat is caught like the timeout and simply starts the next round.
 */
export const OBSERVE_ROUND = { timeoutSeconds: 30, heartbeatSeconds: 29 } as const;

/**
 * How far past a window's upper bound the workflow keeps looking, as a factor of the upper bound,
 * so the verdict can tell "happened, but late (measured N s)" from "never happened".
 */
export const LATE_OBSERVATION_FACTOR = 1.5;

function observeUntil(upperSeconds: number): number {
  return Math.ceil(upperSeconds * LATE_OBSERVATION_FACTOR);
}

/**
 * Scale-out, from the stress POST (P = alarm period, H = AlarmHigh datapoints, boot =
 * instanceBootSeconds, hc = healthCheck):
 * - lower = (H − 1) × P + boot: the alarm needs H breaching datapoints, of which the first may be
 *   a partial period, and the new instance must boot before it can pass a health check;
 * - upper = (H + 2) × P + boot + healthyThreshold × interval + timeout: two periods of alarm slack
 *   ({@link ALARM_SLACK_PERIODS}), boot, and the worst case of a target that failed its first
 *   checks while booting and must pass `healthyThreshold` checks.
 *
 * Scale-in, from the end of the stress (L = AlarmLow datapoints, dereg = deregistrationDelay):
 * - lower = (L − 1) × P + dereg: AlarmLow needs L low datapoints, then the instance drains;
 * - upper = max((L + 2) × P, warm-up still running at the end of the stress + P) + dereg +
 *   {@link SHUTDOWN_SECONDS_UPPER}: scale-in waits for warm-up to end, then for draining and shutdown.
 *
 * Health: `timeouts.healthySeconds`, polled every `timeouts.healthPollSeconds`.
 */
export function computeBudgets(config: LabConfig): LabBudgets {
  const P = TARGET_TRACKING_PERIOD_SECONDS;
  const H = TARGET_TRACKING_HIGH_DATAPOINTS;
  const L = TARGET_TRACKING_LOW_DATAPOINTS;
  const boot = config.instanceBootSeconds;
  const hc = config.healthCheck;
  const healthUpper = hc.healthyThresholdCount * hc.intervalSeconds + hc.timeoutSeconds;
  const alarmHighUpper = (H + ALARM_SLACK_PERIODS) * P;
  const scaleOut: BudgetWindow = {
    lowerSeconds: (H - 1) * P + boot,
    upperSeconds: alarmHighUpper + boot + healthUpper,
    observeUntilSeconds: observeUntil(alarmHighUpper + boot + healthUpper),
    from: 'stress-start',
    formula: `lower (${H}-1)×${P}+${boot} boot; upper (${H}+${ALARM_SLACK_PERIODS})×${P}+${boot} boot+${hc.healthyThresholdCount}×${hc.intervalSeconds}+${hc.timeoutSeconds} health`,
  };
  // The last instance launched by scale-out warms up until at most its launch + warm-up; scale-in
  // cannot start before that.
  const warmupAfterStress = Math.max(
    0,
    alarmHighUpper + config.section2.instanceWarmupSeconds - config.stress.seconds,
  );
  const dereg = config.deregistrationDelaySeconds;
  const scaleInUpper =
    Math.max((L + ALARM_SLACK_PERIODS) * P, warmupAfterStress + P) + dereg + SHUTDOWN_SECONDS_UPPER;
  const scaleIn: BudgetWindow = {
    lowerSeconds: (L - 1) * P + dereg,
    upperSeconds: scaleInUpper,
    observeUntilSeconds: observeUntil(scaleInUpper),
    from: 'stress-end',
    formula: `lower (${L}-1)×${P}+${dereg} dereg; upper max((${L}+${ALARM_SLACK_PERIODS})×${P}, ${warmupAfterStress} warm-up+${P})+${dereg} dereg+${SHUTDOWN_SECONDS_UPPER} shutdown`,
  };
  return {
    scaleOut,
    scaleIn,
    healthySeconds: config.timeouts.healthySeconds,
    healthMaxAttempts: Math.ceil(config.timeouts.healthySeconds / config.timeouts.healthPollSeconds),
  };
}

/**
 * Refuses a configuration the workflow cannot observe honestly: a stress that ends before
 * scale-out can be seen (the second instance would come up to an idle group). The observe steps
 * themselves adapt to any budget: they loop in rounds until `observeUntilSeconds`.
 */
export function assertBudgetsFitWorkflow(config: LabConfig, budgets: LabBudgets): void {
  if (config.stress.seconds < budgets.scaleOut.upperSeconds) {
    throw new InvalidLabConfig(
      `stress.seconds must cover the scale-out budget's upper bound (got ${config.stress.seconds}, need >= ${budgets.scaleOut.upperSeconds})`,
    );
  }
}

/** The budgets of the default configuration. */
export const DEFAULT_BUDGETS: Readonly<LabBudgets> = computeBudgets(DEFAULT_LAB_CONFIG);
