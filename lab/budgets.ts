/**
 * The verdict's timing budgets, derived from the lab configuration and the target-tracking alarm
 * math, each with a lower and an upper bound (as the Kubernetes HPA end-to-end tests bound
 * scale-up and scale-down): a scale-out that comes too early is as wrong as one that never comes.
 */
import {
  TARGET_TRACKING_HIGH_DATAPOINTS,
  TARGET_TRACKING_LOW_DATAPOINTS,
  TARGET_TRACKING_LOW_RATIO,
} from './aws-facts.js';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './config.js';
import { stressedInstanceCpuPercent } from './stress.js';
import { labTimings } from './timings.js';
import { InvalidLabConfig } from './workflow-errors.js';

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

/**
 * Assumption: a stressed instance reads up to this many percentage points below its nominal
 * figure (workers × load over its vCPUs). Locally its workers share the machine's cores with the
 * rest of the lab (measured: a t3.micro at 2 × 90 % read 90.4 % on average, 79–92 % per minute, on
 * a 2-core machine at a load average of 3–7); on AWS the hypervisor may steal a little. The checks
 * and the scale-in lower bound use the least reading, so a stress a little short cannot make the
 * verdict wrong. A machine busy with other work can starve the stress far more than this.
 */
export const STRESS_READING_TOLERANCE = 10;

/** A figure at the least reading of the stressed instance and at its nominal one. */
export interface ReadingRange {
  least: number;
  nominal: number;
}

/** What the stress does to the group metric, from the per-instance figure. */
export interface StressFigures {
  /** CPUUtilization of the stressed instance, in percent of its vCPUs. */
  instanceCpuPercent: ReadingRange;
  /** The group metric before scale-out: the stressed instance among `desiredCapacity`. */
  groupCpuBeforeScaleOut: ReadingRange;
  /** The group metric once `scaleOutTo` instances count (their warm-up over), stress still on. */
  groupCpuAfterScaleOut: ReadingRange;
  /**
   * The capacity target tracking settles at while the stress lasts, ceil(instanceCpu / target)
   * within maxSize: n instances of which one is stressed average instanceCpu / n.
   */
  scaleOutCapacity: ReadingRange;
  /**
   * Seconds before the end of the stress in which AlarmLow may already count low datapoints: the
   * group average after scale-out may be below AlarmLow's threshold and a new instance's warm-up
   * may end before the stress does. 0 when either is not so.
   */
  lowBeforeStressEndSeconds: number;
}

export interface LabBudgets {
  /** How the stress moves the group metric; the windows below follow from it. */
  stress: StressFigures;
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

/** Rounded to two decimals, for figures a person reads. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function range(least: number, nominal: number): ReadingRange {
  return { least: round2(least), nominal: round2(nominal) };
}

/**
 * What the stress does to the group metric. The earliest a new instance's warm-up can end is
 * (H − 1) × P (the alarm's earliest action) + warm-up after the stress start: on AWS an instance
 * is InService, and warming, before its app answers.
 */
export function stressFigures(config: LabConfig): StressFigures {
  const { section2 } = config;
  const { periodSeconds: P } = labTimings(config);
  const nominal = stressedInstanceCpuPercent(config);
  const least = Math.max(0, nominal - STRESS_READING_TOLERANCE);
  const capacity = (cpu: number) => Math.min(section2.maxSize, Math.ceil(cpu / section2.targetCpuPercent));
  const lowThreshold = TARGET_TRACKING_LOW_RATIO * section2.targetCpuPercent;
  const earliestWarmupEnd = (TARGET_TRACKING_HIGH_DATAPOINTS - 1) * P + section2.instanceWarmupSeconds;
  const mayBeLow = least / section2.scaleOutTo < lowThreshold;
  return {
    instanceCpuPercent: range(least, nominal),
    groupCpuBeforeScaleOut: range(least / section2.desiredCapacity, nominal / section2.desiredCapacity),
    groupCpuAfterScaleOut: range(least / section2.scaleOutTo, nominal / section2.scaleOutTo),
    scaleOutCapacity: range(capacity(least), capacity(nominal)),
    lowBeforeStressEndSeconds: mayBeLow ? Math.max(0, config.stress.seconds - earliestWarmupEnd) : 0,
  };
}

/**
 * Scale-out, from the stress POST (P = alarm period, H = AlarmHigh datapoints, delay = metric
 * delay, boot = instance boot, from lab/timings.ts for the configuration's profile; hc = healthCheck):
 * - lower = (H − 1) × P + boot lower: the alarm needs H breaching datapoints, of which the first
 *   may be a partial period, and the new instance must boot before it can pass a health check;
 * - upper = (H + 1) × P + delay + boot upper + healthyThreshold × interval + timeout: one period
 *   because the first breaching datapoint may start up to a period after the load does, the delay
 *   before the alarm sees the last one, boot, and the worst case of a target that failed its
 *   first checks while booting and must pass `healthyThreshold` checks.
 *
 * Scale-in, from the end of the stress (L = AlarmLow datapoints, dereg = deregistrationDelay,
 * head start = {@link StressFigures.lowBeforeStressEndSeconds}):
 * - lower = max(0, (L − 1) × P − head start) + dereg: AlarmLow needs L low datapoints, of which
 *   those in the head start may come before the stress ends; then the instance drains;
 * - upper = max((L + 1) × P + delay, warm-up still running at the end of the stress + P) + dereg +
 *   terminate hook + shutdown: scale-in waits for warm-up to end, then for draining, the terminate
 *   lifecycle hook (at worst its timeout, when its event is lost) and shutdown.
 *
 * The launch hook needs no term of its own: the boot bounds already run until the app answers,
 * which is when the instance completes its launch action; then it is registered and passes one
 * health check, less than the `healthyThreshold` checks the upper bound allows for. Locally the
 * instance is `running` once its app listens and its user data asks the app at once
 * (local-lab/instance-user-data.ts): the wait adds one local HTTP round trip, or one
 * USER_DATA_RETRY_SECONDS (2 s) should the first ask fail, well inside that slack.
 *
 * Health: `timeouts.healthySeconds`, polled every `timeouts.healthPollSeconds`.
 */
export function computeBudgets(config: LabConfig): LabBudgets {
  const timings = labTimings(config);
  const { periodSeconds: P, metricDelaySeconds: delay, shutdownUpperSeconds: shutdown } = timings;
  const H = TARGET_TRACKING_HIGH_DATAPOINTS;
  const L = TARGET_TRACKING_LOW_DATAPOINTS;
  const { bootLowerSeconds: bootLower, bootUpperSeconds: bootUpper } = timings;
  const hc = config.healthCheck;
  const stress = stressFigures(config);
  const healthUpper = hc.healthyThresholdCount * hc.intervalSeconds + hc.timeoutSeconds;
  const alarmHighUpper = (H + 1) * P + delay;
  const scaleOutUpper = alarmHighUpper + bootUpper + healthUpper;
  const scaleOut: BudgetWindow = {
    lowerSeconds: (H - 1) * P + bootLower,
    upperSeconds: scaleOutUpper,
    observeUntilSeconds: observeUntil(scaleOutUpper),
    from: 'stress-start',
    formula: `lower (${H}-1)×${P}+${bootLower} boot; upper (${H}+1)×${P}+${delay} metric delay+${bootUpper} boot+${hc.healthyThresholdCount}×${hc.intervalSeconds}+${hc.timeoutSeconds} health (${timings.profile} timings)`,
  };
  // The last instance launched by scale-out is InService at most boot after its launch and warms
  // up from then on; scale-in cannot start before that.
  const warmupAfterStress = Math.max(
    0,
    alarmHighUpper + bootUpper + config.section2.instanceWarmupSeconds - config.stress.seconds,
  );
  const dereg = config.deregistrationDelaySeconds;
  const headStart = stress.lowBeforeStressEndSeconds;
  const hook = timings.terminateHookUpperSeconds;
  const scaleInUpper = Math.max((L + 1) * P + delay, warmupAfterStress + P) + dereg + hook + shutdown;
  const scaleIn: BudgetWindow = {
    lowerSeconds: Math.max(0, (L - 1) * P - headStart) + dereg,
    upperSeconds: scaleInUpper,
    observeUntilSeconds: observeUntil(scaleInUpper),
    from: 'stress-end',
    formula: `lower (${L}-1)×${P}${headStart > 0 ? `-${headStart} low during stress` : ''}+${dereg} dereg; upper max((${L}+1)×${P}+${delay} metric delay, ${warmupAfterStress} warm-up+${P})+${dereg} dereg${hook > 0 ? `+${hook} terminate hook` : ''}+${shutdown} shutdown`,
  };
  return {
    stress,
    scaleOut,
    scaleIn,
    healthySeconds: config.timeouts.healthySeconds,
    healthMaxAttempts: Math.ceil(config.timeouts.healthySeconds / config.timeouts.healthPollSeconds),
  };
}

/**
 * Refuses a configuration the workflow cannot observe honestly: a stress that cannot make the
 * group cross the target, one that cannot bring the group to `scaleOutTo`, and one that ends
 * before scale-out can be seen (the second instance would come up to an idle group). The observe
 * steps themselves adapt to any budget: they loop in rounds until `observeUntilSeconds`.
 */
export function assertBudgetsFitWorkflow(config: LabConfig, budgets: LabBudgets): void {
  const { section2, stress } = config;
  const figures = budgets.stress;
  const least = figures.instanceCpuPercent.least;
  if (figures.groupCpuBeforeScaleOut.least <= section2.targetCpuPercent) {
    throw new InvalidLabConfig(
      `stress.cpuPercent must take the group above section2.targetCpuPercent even ${STRESS_READING_TOLERANCE} points short ` +
        `(got ${stress.cpuPercent} % on one of ${section2.desiredCapacity} instance(s): a group average of ` +
        `${figures.groupCpuBeforeScaleOut.least} % at the least, target ${section2.targetCpuPercent} %)`,
    );
  }
  if (figures.scaleOutCapacity.least < section2.scaleOutTo) {
    throw new InvalidLabConfig(
      `section2.scaleOutTo cannot be reached for sure (got ${section2.scaleOutTo}): one instance at ${least} % ` +
        `takes the group to ceil(${least} / ${section2.targetCpuPercent}) = ${figures.scaleOutCapacity.least} ` +
        `instance(s) (maxSize ${section2.maxSize})`,
    );
  }
  const highest = stress.cpuPercent + STRESS_READING_TOLERANCE;
  if (section2.scaleOutTo < section2.maxSize && highest / section2.scaleOutTo >= section2.targetCpuPercent) {
    throw new InvalidLabConfig(
      `stress.cpuPercent would scale the group past section2.scaleOutTo (got ${stress.cpuPercent} %): once the new ` +
        `instances have warmed up, ${section2.scaleOutTo} instances average up to ${highest} / ${section2.scaleOutTo} = ` +
        `${Math.round((highest / section2.scaleOutTo) * 10) / 10} %, not below the ${section2.targetCpuPercent} % target`,
    );
  }
  if (stress.seconds < budgets.scaleOut.upperSeconds) {
    throw new InvalidLabConfig(
      `stress.seconds must cover the scale-out budget's upper bound (got ${stress.seconds}, need >= ${budgets.scaleOut.upperSeconds})`,
    );
  }
}

/** The budgets of the default configuration. */
export const DEFAULT_BUDGETS: Readonly<LabBudgets> = computeBudgets(DEFAULT_LAB_CONFIG);
