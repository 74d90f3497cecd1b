/**
 * The lab's charts as data (console/model/chart-model.ts), from what a run holds: the metric
 * store's samples (the instances' and the group's CPU, the load balancers' CloudWatch metrics),
 * the phases, the scaling activities and the policy's target. The same for report.html (a
 * finished run) and the live console (a run still going, asked again every second or so), so it
 * reads each sample once and keeps no state.
 */
import type {
  ActivityMark,
  ChartModel,
  ChartSeries,
  ChartThreshold,
  PhaseBand,
} from '../../console/model/chart-model.js';
import {
  TARGET_TRACKING_HIGH_DATAPOINTS,
  TARGET_TRACKING_LOW_DATAPOINTS,
  TARGET_TRACKING_LOW_RATIO,
  TARGET_TRACKING_PERIOD_SECONDS,
} from '../../lab/aws-facts.js';
import {
  type Dimensions,
  type MetricSample,
  MetricStore,
  type Statistic,
} from '../../local/cloudwatch/index.js';
import { ELB_METRIC_NAMESPACE, loadBalancerDimension, targetGroupDimension } from '../../local/elb/index.js';
import type { LabSummary, RunEvidence } from './run-folder.js';

/** What the charts are drawn from; every time is simulated epoch ms. */
export interface ChartInput {
  /** The x axis: the execution's start, and its end (or now, while it runs). */
  startMs: number;
  endMs: number;
  /** The metric store's samples (samples before `startMs` or after `endMs` are left out). */
  samples: readonly MetricSample[];
  /** The group the target tracking policy scales (section 2). */
  autoScalingGroupName: string;
  /** The policy's target CPU %, from which its two alarms' thresholds follow. */
  targetCpuPercent: number;
  /** The load balancers whose requests are drawn: legend label and `LoadBalancer` dimension value. */
  loadBalancers: readonly { label: string; dimension: string }[];
  /** The scaling load balancer's target group: HealthyHostCount's dimensions. */
  healthyHosts: { TargetGroup: string; LoadBalancer: string };
  /** The phases so far (summary.json `phases`). */
  phases: readonly Pick<LabSummary['phases'][number], 'phase' | 'simulatedStart' | 'simulatedSeconds'>[];
  /** True while the execution runs: its last phase has not ended. */
  running: boolean;
  /** The group's scaling activities (summary.json `scalingActivities`). */
  activities: LabSummary['scalingActivities'];
}

const PERIOD_MS = TARGET_TRACKING_PERIOD_SECONDS * 1000;
const LAUNCH = /^Launching a new EC2 instance: (\S+)/;
const TERMINATE = /^Terminating EC2 instance: (\S+)/;

/** The charts of one run, from its evidence so far. */
export function chartModelOf(input: ChartInput): ChartModel {
  const inRange = input.samples.filter(
    ({ timestamp }) => timestamp >= input.startMs && timestamp <= input.endMs,
  );
  const store = storeOf(inRange);
  const groupAverage = perMinute(store, input, 'AWS/EC2', 'CPUUtilization', {
    AutoScalingGroupName: input.autoScalingGroupName,
  });
  return {
    startMs: input.startMs,
    endMs: input.endMs,
    cpu: {
      instances: instanceCpu(inRange),
      ...(groupAverage.length > 0 && {
        groupAverage: {
          id: 'group-average',
          label: 'group average (the alarms’ view)',
          points: groupAverage,
        },
      }),
      thresholds: thresholdsOf(input.targetCpuPercent),
    },
    capacity: {
      inService: { id: 'in-service', label: 'in service', points: inServiceOf(input) },
      healthy: {
        id: 'healthy',
        label: 'healthy targets',
        points: pointsOf(inRange, ELB_METRIC_NAMESPACE, 'HealthyHostCount', input.healthyHosts),
      },
    },
    requests: input.loadBalancers.map(({ label, dimension }) => ({
      id: dimension,
      label,
      points: requestsPerSecond(store, input, dimension),
    })),
    phases: phaseBands(input),
    activities: activityMarks(input),
  };
}

/**
 * What a run holds, as the charts' input: its samples, its activities, the lab's load balancers.
 * `phases` come from its history (run-folder.ts phaseTimeline); `endMs` is its end, or now.
 */
export function chartInputOf(
  run: RunEvidence,
  phases: ChartInput['phases'],
  { endMs, running }: { endMs: number; running: boolean },
): ChartInput {
  const { lab } = run;
  return {
    startMs: run.simulatedStart,
    endMs,
    samples: run.cloud.metrics.samples(),
    autoScalingGroupName: run.config.section2.autoScalingGroupName,
    targetCpuPercent: run.config.section2.targetCpuPercent,
    loadBalancers: [
      { label: `${lab.web.name} (section 1)`, dimension: loadBalancerDimension(lab.web.arn) },
      { label: `${lab.scaling.name} (section 2)`, dimension: loadBalancerDimension(lab.scaling.arn) },
    ],
    healthyHosts: {
      TargetGroup: targetGroupDimension(lab.scalingTargets.arn),
      LoadBalancer: loadBalancerDimension(lab.scaling.arn),
    },
    phases,
    running,
    activities: scalingActivitiesOf(run),
  };
}

/** The group's scaling activities since the run began, oldest first, as summary.json has them. */
export function scalingActivitiesOf(run: Pick<RunEvidence, 'cloud' | 'config' | 'simulatedStart'>) {
  // A shared cloud (`serve`) holds earlier executions' activities too.
  const activities = run.cloud.autoscaling
    .describeScalingActivities(run.config.section2.autoScalingGroupName)
    .filter(({ StartTime }) => !StartTime || StartTime.getTime() >= run.simulatedStart);
  return [...activities].reverse().map((activity) => ({
    description: activity.Description,
    cause: activity.Cause,
    status: activity.StatusCode,
    startTime: activity.StartTime?.toISOString(),
    endTime: activity.EndTime?.toISOString(),
  }));
}

/** A metric store holding the samples, for CloudWatch's own statistics over them. */
function storeOf(samples: readonly MetricSample[]): MetricStore {
  const store = new MetricStore();
  for (const s of samples)
    store.putMetricData(s.namespace, s.metricName, s.dimensions, s.value, s.timestamp, s.source);
  return store;
}

function sameDimensions(a: Dimensions, b: Dimensions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function pointsOf(
  samples: readonly MetricSample[],
  namespace: string,
  metricName: string,
  dimensions: Dimensions,
): [number, number][] {
  return samples
    .filter(
      (s) =>
        s.namespace === namespace && s.metricName === metricName && sameDimensions(s.dimensions, dimensions),
    )
    .map((s): [number, number] => [s.timestamp, s.value]);
}

/** AWS/EC2 CPUUtilization of each instance, every sample, in the order instances first reported. */
function instanceCpu(samples: readonly MetricSample[]): ChartSeries[] {
  const byInstance = new Map<string, [number, number][]>();
  for (const s of samples) {
    const id = s.dimensions.InstanceId;
    if (s.namespace !== 'AWS/EC2' || s.metricName !== 'CPUUtilization' || id === undefined) continue;
    const points = byInstance.get(id) ?? [];
    points.push([s.timestamp, s.value]);
    byInstance.set(id, points);
  }
  return [...byInstance].map(([id, points]) => ({ id, label: id, points }));
}

/** One statistic per one-minute period, as GetMetricStatistics gives it (at the period's start). */
function perMinute(
  store: MetricStore,
  input: ChartInput,
  namespace: string,
  metricName: string,
  dimensions: Dimensions,
  statistic: Statistic = 'Average',
): [number, number][] {
  const { Datapoints } = store.getMetricStatistics({
    namespace,
    metricName,
    dimensions,
    startTime: input.startMs,
    endTime: input.endMs + 1,
    period: TARGET_TRACKING_PERIOD_SECONDS,
    statistics: [statistic],
  });
  return Datapoints.map((point): [number, number] => [point.Timestamp, point[statistic] ?? 0]);
}

/** RequestCount's Sum per minute over the seconds of that minute the run covered (the last one may be partial). */
function requestsPerSecond(store: MetricStore, input: ChartInput, loadBalancer: string): [number, number][] {
  const sums = perMinute(
    store,
    input,
    ELB_METRIC_NAMESPACE,
    'RequestCount',
    { LoadBalancer: loadBalancer },
    'Sum',
  );
  return sums.map(([at, sum]): [number, number] => {
    const from = Math.max(at, input.startMs);
    const seconds = Math.max(1, (Math.min(at + PERIOD_MS, input.endMs) - from) / 1000);
    return [at, Math.round((sum / seconds) * 1000) / 1000];
  });
}

/** The target (AlarmHigh's threshold) and AlarmLow's, worded as the alarms test them. */
function thresholdsOf(target: number): ChartThreshold[] {
  const low = Math.round(target * TARGET_TRACKING_LOW_RATIO * 100) / 100;
  return [
    {
      label: `target ${target} % = AlarmHigh (> ${target} for ${TARGET_TRACKING_HIGH_DATAPOINTS} of ${TARGET_TRACKING_HIGH_DATAPOINTS} min)`,
      value: target,
    },
    {
      label: `AlarmLow (< ${low} for ${TARGET_TRACKING_LOW_DATAPOINTS} of ${TARGET_TRACKING_LOW_DATAPOINTS} min)`,
      value: low,
    },
  ];
}

/**
 * Instances InService over time, from the activities: a launch counts once it succeeded (the
 * moment the group put the instance in service), a termination from its start (the instance
 * leaves InService then, to drain).
 */
function inServiceOf(input: ChartInput): [number, number][] {
  const changes: { at: number; id: string; delta: 1 | -1 }[] = [];
  for (const activity of input.activities) {
    const launch = LAUNCH.exec(activity.description ?? '');
    const terminate = TERMINATE.exec(activity.description ?? '');
    if (launch?.[1] && activity.status === 'Successful' && activity.endTime)
      changes.push({ at: Date.parse(activity.endTime), id: launch[1], delta: 1 });
    if (terminate?.[1] && activity.startTime)
      changes.push({ at: Date.parse(activity.startTime), id: terminate[1], delta: -1 });
  }
  changes.sort((a, b) => a.at - b.at);
  const inService = new Set<string>();
  const points: [number, number][] = [[input.startMs, 0]];
  for (const { at, id, delta } of changes) {
    if (at > input.endMs) break;
    if (delta === 1) inService.add(id);
    else if (!inService.delete(id)) continue; // terminated before it was ever in service
    points.push([at, inService.size]);
  }
  points.push([input.endMs, inService.size]);
  return points;
}

function phaseBands(input: ChartInput): PhaseBand[] {
  return input.phases.map((phase, i) => {
    const startMs = Date.parse(phase.simulatedStart);
    const open = input.running && i === input.phases.length - 1;
    return { name: phase.phase, startMs, ...(!open && { endMs: startMs + phase.simulatedSeconds * 1000 }) };
  });
}

function activityMarks(input: ChartInput): ActivityMark[] {
  const marks: ActivityMark[] = [];
  for (const activity of input.activities) {
    const description = activity.description ?? '';
    const kind = LAUNCH.test(description) ? 'launch' : TERMINATE.test(description) ? 'terminate' : undefined;
    if (!kind || !activity.startTime) continue;
    const atMs = Date.parse(activity.startTime);
    if (atMs < input.startMs || atMs > input.endMs) continue;
    marks.push({ atMs, kind, description, ...(activity.cause && { cause: activity.cause }) });
  }
  return marks;
}
