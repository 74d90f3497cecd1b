/**
 * A CloudWatch metric alarm evaluated at the end of every period of simulated time: "M out of N"
 * datapoints beyond the threshold → ALARM, with AWS's states, comparison operators and
 * missing-data treatments.
 */
import type { Clock, ClockTimer } from '../clock.js';
import { InvalidParameterValueError } from './errors.js';
import {
  type Dimensions,
  type MetricStore,
  STATISTICS,
  type Statistic,
  validatePeriod,
} from './metric-store.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** CloudWatch limits an alarm's evaluation range (period × evaluation periods) to one day. */
export const MAX_EVALUATION_RANGE_SECONDS = 86_400;

export interface MetricAlarmProps {
  alarmName: string;
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
  statistic: Statistic;
  /** Simulated seconds. */
  period: number;
  evaluationPeriods: number;
  /** M of "M out of N"; defaults to evaluationPeriods. */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  /** Defaults to 'missing': with no datapoints at all the alarm goes to INSUFFICIENT_DATA. */
  treatMissingData?: TreatMissingData;
  /**
   * Simulated seconds to wait after a period ends before evaluating it, so datapoints that are
   * still being sampled land in time (AWS also evaluates a little after the minute).
   */
  evaluationDelaySeconds?: number;
  /**
   * Invoke alarmActions at every evaluation that stays in ALARM, not only on the transition:
   * what target-tracking policies get from Auto Scaling.
   */
  repeatAlarmActions?: boolean;
}

/** The outcome of evaluating one period boundary. */
export interface AlarmEvaluation {
  alarmName: string;
  /** End of the newest evaluated period (simulated epoch ms). */
  timestamp: number;
  /** The statistic per period, oldest first; `undefined` where the period had no data. */
  datapoints: (number | undefined)[];
  breaching: number;
  state: AlarmState;
  previousState: AlarmState;
  reason: string;
}

export type AlarmAction = (evaluation: AlarmEvaluation) => void;

export interface MetricAlarmHandlers {
  onStateChange?: AlarmAction;
  alarmActions?: AlarmAction[];
  okActions?: AlarmAction[];
  insufficientDataActions?: AlarmAction[];
  /** Told when an action throws; defaults to a process warning. Actions never stop evaluation. */
  onError?: (error: unknown, alarmName: string) => void;
}

const COMPARISONS: Record<ComparisonOperator, [string, (value: number, threshold: number) => boolean]> = {
  GreaterThanThreshold: ['greater than', (v, t) => v > t],
  GreaterThanOrEqualToThreshold: ['greater than or equal to', (v, t) => v >= t],
  LessThanThreshold: ['less than', (v, t) => v < t],
  LessThanOrEqualToThreshold: ['less than or equal to', (v, t) => v <= t],
};

/** Throws InvalidParameterValueError for settings CloudWatch's PutMetricAlarm would refuse. */
export function validateAlarmProps(props: MetricAlarmProps): void {
  const bad = (message: string): never => {
    throw new InvalidParameterValueError(`alarm ${props.alarmName}: ${message}`);
  };
  if (!props.alarmName) bad('AlarmName must not be empty');
  validatePeriod(props.period);
  if (!STATISTICS.includes(props.statistic)) bad(`unknown statistic ${props.statistic}`);
  if (!(props.comparisonOperator in COMPARISONS))
    bad(`unsupported ComparisonOperator ${props.comparisonOperator}`);
  if (!Number.isInteger(props.evaluationPeriods) || props.evaluationPeriods < 1)
    bad('EvaluationPeriods must be >= 1');
  const m = props.datapointsToAlarm ?? props.evaluationPeriods;
  if (!Number.isInteger(m) || m < 1 || m > props.evaluationPeriods) {
    bad(`DatapointsToAlarm must be between 1 and EvaluationPeriods (${props.evaluationPeriods}), got ${m}`);
  }
  if (props.period * props.evaluationPeriods > MAX_EVALUATION_RANGE_SECONDS) {
    bad(`Period × EvaluationPeriods must not exceed ${MAX_EVALUATION_RANGE_SECONDS} seconds`);
  }
  if (!Number.isFinite(props.threshold)) bad('Threshold must be a finite number');
  if ((props.evaluationDelaySeconds ?? 0) < 0) bad('evaluationDelaySeconds must be >= 0');
}

export class MetricAlarm {
  readonly props: Readonly<MetricAlarmProps>;
  private current: AlarmState = 'INSUFFICIENT_DATA';
  private currentReason = 'Unchecked: Initial alarm creation';
  private readonly log: AlarmEvaluation[] = [];
  private timer: ClockTimer | undefined;
  private lastBoundary: number | undefined;
  /** Periods starting before this (simulated epoch ms) count as missing: set by {@link reset}. */
  private dataFrom = Number.NEGATIVE_INFINITY;

  constructor(
    props: MetricAlarmProps,
    private readonly deps: { store: MetricStore; clock: Clock },
    private readonly handlers: MetricAlarmHandlers = {},
  ) {
    validateAlarmProps(props);
    this.props = Object.freeze({ ...props, dimensions: { ...props.dimensions } });
  }

  get state(): AlarmState {
    return this.current;
  }

  get stateReason(): string {
    return this.currentReason;
  }

  /** Every evaluation so far, oldest first (one per period while running). */
  evaluations(): readonly AlarmEvaluation[] {
    return this.log;
  }

  /** Evaluates at the end of every period of simulated time until {@link stop}. */
  start(): void {
    if (this.timer) return;
    const periodMs = this.props.period * 1000;
    this.lastBoundary = Math.floor(this.deps.clock.now() / periodMs) * periodMs;
    this.scheduleNext();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /**
   * Back to the state of a new alarm with no history: INSUFFICIENT_DATA, and no datapoint from
   * before now counts (periods count from the next whole one). Not an AWS operation: the local
   * cloud's reset to the lab's starting state (a deleted and re-created alarm on AWS would still
   * read the metric's history). Runs the state-change handler when the state changes.
   */
  reset(reason: string): void {
    const now = this.deps.clock.now();
    const periodMs = this.props.period * 1000;
    this.dataFrom = Math.ceil(now / periodMs) * periodMs;
    this.apply({
      alarmName: this.props.alarmName,
      timestamp: now,
      datapoints: [],
      breaching: 0,
      state: 'INSUFFICIENT_DATA',
      previousState: this.current,
      reason,
    });
    this.currentReason = reason;
  }

  /** Evaluates the N periods that end at `boundary` (simulated epoch ms) and applies the result. */
  evaluateAt(boundary: number): AlarmEvaluation {
    const { period, evaluationPeriods, statistic, threshold, comparisonOperator } = this.props;
    const periodMs = period * 1000;
    const start = boundary - evaluationPeriods * periodMs;
    const { Datapoints } = this.deps.store.getMetricStatistics({
      namespace: this.props.namespace,
      metricName: this.props.metricName,
      dimensions: this.props.dimensions,
      startTime: start,
      endTime: boundary,
      period,
      statistics: [statistic],
    });
    const byStart = new Map(
      Datapoints.filter((point) => point.Timestamp >= this.dataFrom).map((point) => [
        point.Timestamp,
        point[statistic],
      ]),
    );
    const datapoints = Array.from({ length: evaluationPeriods }, (_, i) => byStart.get(start + i * periodMs));
    const [words, compare] = COMPARISONS[comparisonOperator];
    const treatment = this.props.treatMissingData ?? 'missing';
    const verdicts = datapoints.map((value): boolean | undefined => {
      if (value !== undefined) return compare(value, threshold);
      if (treatment === 'breaching') return true;
      if (treatment === 'notBreaching') return false;
      return undefined;
    });
    const present = verdicts.filter((verdict) => verdict !== undefined);
    const breaching = present.filter(Boolean).length;
    const needed = this.props.datapointsToAlarm ?? evaluationPeriods;
    let state: AlarmState;
    let reason: string;
    if (present.length === 0) {
      state = treatment === 'ignore' ? this.current : 'INSUFFICIENT_DATA';
      reason = `Insufficient Data: ${evaluationPeriods} datapoints were unknown.`;
    } else {
      state = breaching >= needed ? 'ALARM' : 'OK';
      const shown = datapoints.map((value) => (value === undefined ? 'missing' : String(value))).join(', ');
      reason =
        `Threshold Crossed: ${breaching} out of the last ${evaluationPeriods} datapoints [${shown}] ` +
        `${state === 'ALARM' ? 'were' : 'were not enough'} ${words} the threshold (${threshold}), needing ${needed}.`;
    }
    const evaluation: AlarmEvaluation = {
      alarmName: this.props.alarmName,
      timestamp: boundary,
      datapoints,
      breaching,
      state,
      previousState: this.current,
      reason,
    };
    this.apply(evaluation);
    return evaluation;
  }

  private apply(evaluation: AlarmEvaluation): void {
    this.log.push(evaluation);
    const changed = evaluation.state !== this.current;
    this.current = evaluation.state;
    if (changed) this.currentReason = evaluation.reason;
    const repeat = evaluation.state === 'ALARM' && this.props.repeatAlarmActions === true;
    if (changed) this.run(this.handlers.onStateChange ? [this.handlers.onStateChange] : [], evaluation);
    if (!changed && !repeat) return;
    const actions = {
      ALARM: this.handlers.alarmActions,
      OK: this.handlers.okActions,
      INSUFFICIENT_DATA: this.handlers.insufficientDataActions,
    }[evaluation.state];
    this.run(actions ?? [], evaluation);
  }

  private run(actions: AlarmAction[], evaluation: AlarmEvaluation): void {
    for (const action of actions) {
      try {
        action(evaluation);
      } catch (error) {
        const onError =
          this.handlers.onError ??
          ((e: unknown, name: string) =>
            process.emitWarning(`alarm ${name} action threw: ${String(e)}`, 'MetricAlarm'));
        onError(error, this.props.alarmName);
      }
    }
  }

  /** Timers can fire late (or a whole period late at high time scales): evaluate every boundary passed. */
  private scheduleNext(): void {
    const { clock } = this.deps;
    const periodMs = this.props.period * 1000;
    const delayMs = (this.props.evaluationDelaySeconds ?? 0) * 1000;
    const next = (this.lastBoundary ?? 0) + periodMs;
    const wait = Math.max(0, (next + delayMs - clock.now()) / 1000);
    this.timer = clock.setTimeout(() => {
      const reached = Math.floor((clock.now() - delayMs) / periodMs) * periodMs;
      for (let boundary = next; boundary <= reached && this.timer; boundary += periodMs) {
        this.lastBoundary = boundary;
        this.evaluateAt(boundary);
      }
      if (this.timer) this.scheduleNext();
    }, wait);
  }
}
