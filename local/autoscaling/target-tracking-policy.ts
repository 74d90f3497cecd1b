import { TARGET_TRACKING_PERIOD_SECONDS } from '../../lab/aws-facts.js';
import type { Clock } from '../clock.js';
import {
  type AlarmEvaluation,
  MetricAlarm,
  type MetricStore,
  targetTrackingAlarms,
} from '../cloudwatch/index.js';
import { scaleInCapacity, scaleOutCapacity } from './capacity.js';
import type { TargetTrackingPolicyInput } from './group.js';
import type { ScalingGroup } from './scaling-group.js';

/**
 * A target-tracking policy on the group's average CPU: AWS's two alarms (AlarmHigh 3 of 3 above
 * target, AlarmLow 15 of 15 below 0.9 × target) whose actions set a proportional desired capacity.
 * Warming instances are left out of the metric, count toward desired capacity, and block scale-in.
 */
export class TargetTrackingPolicy {
  readonly alarms: MetricAlarm[] = [];
  readonly warmupSeconds: number;
  private readonly clock: Clock;
  /** How old the datapoint an alarm acts on can be: its period plus the evaluation delay. */
  private readonly datapointAgeSeconds: number;

  constructor(
    readonly input: TargetTrackingPolicyInput,
    private readonly group: ScalingGroup,
    deps: {
      clock: Clock;
      store: MetricStore;
      evaluationDelaySeconds: number;
      onError: (error: unknown) => void;
      onAlarmStateChange: (evaluation: AlarmEvaluation) => void;
    },
  ) {
    this.warmupSeconds = group.warmupSeconds(input.estimatedInstanceWarmup);
    this.clock = deps.clock;
    this.datapointAgeSeconds = TARGET_TRACKING_PERIOD_SECONDS * 2 + deps.evaluationDelaySeconds;
    const specs = targetTrackingAlarms({
      autoScalingGroupName: input.autoScalingGroupName,
      targetValue: input.targetValue,
      evaluationDelaySeconds: deps.evaluationDelaySeconds,
    });
    const alarmDeps = { store: deps.store, clock: deps.clock };
    const onError = (error: unknown): void => deps.onError(error);
    const onStateChange = deps.onAlarmStateChange;
    this.alarms.push(
      new MetricAlarm(specs.high, alarmDeps, {
        alarmActions: [(e) => this.scaleOut(e)],
        onStateChange,
        onError,
      }),
    );
    if (!input.disableScaleIn) {
      this.alarms.push(
        new MetricAlarm(specs.low, alarmDeps, {
          alarmActions: [(e) => this.scaleIn(e)],
          onStateChange,
          onError,
        }),
      );
    }
    for (const alarm of this.alarms) alarm.start();
  }

  /** True when the instance's CPU belongs in the group metric (in service and warmed up). */
  counts(instanceId: string): boolean {
    const member = this.group.members.get(instanceId);
    return member?.lifecycleState === 'InService' && !this.group.isWarming(member, this.warmupSeconds);
  }

  stop(): void {
    for (const alarm of this.alarms) alarm.stop();
  }

  /**
   * The instances behind the datapoint an alarm acts on: counted now, and already past their
   * warm-up when that datapoint's period began. One that finished warming since is counted in the
   * group but its CPU is not yet in the figure: counting it would size the group from a stale
   * average (a stressed instance alone at 80 % times two instances = a third instance).
   */
  private measuredCapacity(): number {
    const periodStart = this.clock.now() - this.datapointAgeSeconds * 1000;
    return [...this.group.members.values()].filter(
      (member) =>
        this.counts(member.instanceId) &&
        (member.inServiceAt ?? Number.POSITIVE_INFINITY) + this.warmupSeconds * 1000 <= periodStart,
    ).length;
  }

  private capacityInput(evaluation: AlarmEvaluation) {
    const metric = evaluation.datapoints.filter((value) => value !== undefined).at(-1);
    const { minSize, maxSize } = this.group.settings;
    return metric === undefined
      ? undefined
      : {
          measuredCapacity: this.measuredCapacity(),
          metric,
          target: this.input.targetValue,
          desired: this.group.desired,
          min: minSize,
          max: maxSize,
        };
  }

  private scaleOut(evaluation: AlarmEvaluation): void {
    const input = this.capacityInput(evaluation);
    if (!input || input.measuredCapacity === 0) return;
    const desired = scaleOutCapacity(input);
    if (desired > this.group.desired) this.setDesired(evaluation, desired);
  }

  private scaleIn(evaluation: AlarmEvaluation): void {
    const warming = [...this.group.members.values()].some((member) =>
      this.group.isWarming(member, this.warmupSeconds),
    );
    const input = this.capacityInput(evaluation);
    if (warming || !input || input.measuredCapacity === 0) return;
    const desired = scaleInCapacity(input);
    if (desired < this.group.desired) this.setDesired(evaluation, desired);
  }

  private setDesired(evaluation: AlarmEvaluation, desired: number): void {
    this.group.setDesired(desired, { alarm: evaluation.alarmName, policy: this.input.policyName });
  }
}
