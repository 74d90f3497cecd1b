/**
 * The local CloudWatch metric store: PutMetricData and GetMetricStatistics with AWS's names,
 * aggregated into periods of simulated time. Every datapoint is kept for the run's report.
 */
import { INSTANCE_DATAPOINT_SECONDS } from '../../lab/aws-facts.js';
import { InvalidParameterValueError } from './errors.js';

export type Dimensions = Readonly<Record<string, string>>;
export type Statistic = 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount';
export const STATISTICS: readonly Statistic[] = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'];

/** One raw datapoint; `timestamp` is simulated epoch milliseconds. */
export interface MetricSample {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
  value: number;
  timestamp: number;
  /**
   * Who measured it, when one publisher's several samples stand for one datapoint of AWS's: the
   * local CPU sampler reads an instance several times a minute, where detailed monitoring
   * publishes once ({@link INSTANCE_DATAPOINT_SECONDS}). Not part of the metric's identity.
   */
  source?: string;
}

export interface GetMetricStatisticsInput {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
  /** Simulated epoch milliseconds, inclusive. */
  startTime: number;
  /** Simulated epoch milliseconds, exclusive. */
  endTime: number;
  /** Simulated seconds: 1, 5, 10, 30 or a multiple of 60, as CloudWatch allows. */
  period: number;
  statistics: readonly Statistic[];
}

/** A period's aggregate; `Timestamp` is the period's start (simulated epoch ms), as CloudWatch reports it. */
export interface Datapoint {
  Timestamp: number;
  Average?: number;
  Minimum?: number;
  Maximum?: number;
  Sum?: number;
  SampleCount?: number;
}

/** CloudWatch's period rule: high-resolution 1/5/10/30 s, otherwise whole minutes. */
export function validatePeriod(period: number): void {
  const highResolution = [1, 5, 10, 30].includes(period);
  if (!Number.isInteger(period) || period <= 0 || (!highResolution && period % 60 !== 0)) {
    throw new InvalidParameterValueError(
      `The parameter Period must be 1, 5, 10, 30 or a multiple of 60, got ${period}`,
    );
  }
}

/** The metric's identity: namespace, name and the exact set of dimensions. */
export function metricKey(namespace: string, metricName: string, dimensions: Dimensions): string {
  const sorted = Object.keys(dimensions)
    .sort()
    .map((name) => [name, dimensions[name]]);
  return JSON.stringify([namespace, metricName, sorted]);
}

/** Aggregates values the way CloudWatch's statistics are defined. */
export function aggregate(
  values: readonly number[],
  statistics: readonly Statistic[],
): Omit<Datapoint, 'Timestamp'> {
  const sum = values.reduce((total, value) => total + value, 0);
  const all: Required<Omit<Datapoint, 'Timestamp'>> = {
    Average: sum / values.length,
    Minimum: Math.min(...values),
    Maximum: Math.max(...values),
    Sum: sum,
    SampleCount: values.length,
  };
  return Object.fromEntries(statistics.map((statistic) => [statistic, all[statistic]]));
}

/**
 * Each source's samples as the one datapoint per {@link INSTANCE_DATAPOINT_SECONDS} AWS would
 * have: their mean, at the minute's start. Samples without a source stay as they are. Only for
 * periods of whole minutes; a high-resolution period reads the samples themselves.
 */
function perSourceMinute(samples: readonly MetricSample[]): MetricSample[] {
  const minuteMs = INSTANCE_DATAPOINT_SECONDS * 1000;
  const kept: MetricSample[] = [];
  const minutes = new Map<string, { first: MetricSample; values: number[] }>();
  for (const sample of samples) {
    if (sample.source === undefined) {
      kept.push(sample);
      continue;
    }
    const minute = Math.floor(sample.timestamp / minuteMs) * minuteMs;
    const key = `${sample.source}@${minute}`;
    const entry = minutes.get(key) ?? { first: { ...sample, timestamp: minute }, values: [] };
    entry.values.push(sample.value);
    minutes.set(key, entry);
  }
  for (const { first, values } of minutes.values()) {
    kept.push({ ...first, value: values.reduce((sum, value) => sum + value, 0) / values.length });
  }
  return kept;
}

export class MetricStore {
  private readonly series = new Map<string, MetricSample[]>();
  private readonly all: MetricSample[] = [];

  /** AWS's PutMetricData for one value; `timestamp` is simulated epoch milliseconds. */
  putMetricData(
    namespace: string,
    metricName: string,
    dimensions: Dimensions,
    value: number,
    timestamp: number,
    source?: string,
  ): void {
    if (!Number.isFinite(value))
      throw new InvalidParameterValueError(`metric ${metricName} value must be finite, got ${value}`);
    if (!Number.isFinite(timestamp))
      throw new InvalidParameterValueError(`metric ${metricName} timestamp must be epoch ms`);
    if (namespace === '' || metricName === '') {
      throw new InvalidParameterValueError('Namespace and MetricName must not be empty');
    }
    const sample: MetricSample = { namespace, metricName, dimensions: { ...dimensions }, value, timestamp };
    if (source !== undefined) sample.source = source;
    const key = metricKey(namespace, metricName, dimensions);
    const list = this.series.get(key) ?? [];
    list.push(sample);
    this.series.set(key, list);
    this.all.push(sample);
  }

  /**
   * AWS's GetMetricStatistics: the samples of exactly this metric (namespace, name and all
   * dimensions) in [startTime, endTime), grouped into periods aligned on multiples of `period`,
   * one Datapoint per period that has samples, oldest first.
   */
  getMetricStatistics(input: GetMetricStatisticsInput): { Label: string; Datapoints: Datapoint[] } {
    validatePeriod(input.period);
    if (input.statistics.length === 0 || input.statistics.some((s) => !STATISTICS.includes(s))) {
      throw new InvalidParameterValueError(`Statistics must be some of ${STATISTICS.join(', ')}`);
    }
    if (!(input.endTime > input.startTime)) {
      throw new InvalidParameterValueError('The parameter StartTime must be less than the parameter EndTime');
    }
    const periodMs = input.period * 1000;
    const buckets = new Map<number, number[]>();
    const samples = this.series.get(metricKey(input.namespace, input.metricName, input.dimensions)) ?? [];
    const inRange = samples.filter(
      ({ timestamp }) => timestamp >= input.startTime && timestamp < input.endTime,
    );
    const datapoints = input.period % INSTANCE_DATAPOINT_SECONDS === 0 ? perSourceMinute(inRange) : inRange;
    for (const sample of datapoints) {
      const start = Math.floor(sample.timestamp / periodMs) * periodMs;
      const bucket = buckets.get(start) ?? [];
      bucket.push(sample.value);
      buckets.set(start, bucket);
    }
    const Datapoints = [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([Timestamp, values]) => ({ Timestamp, ...aggregate(values, input.statistics) }));
    return { Label: input.metricName, Datapoints };
  }

  /** The metrics that have at least one sample (AWS's ListMetrics), optionally for one namespace. */
  listMetrics(namespace?: string): { namespace: string; metricName: string; dimensions: Dimensions }[] {
    return [...this.series.values()]
      .map((list) => list[0]!)
      .filter((sample) => namespace === undefined || sample.namespace === namespace)
      .map(({ namespace: ns, metricName, dimensions }) => ({ namespace: ns, metricName, dimensions }));
  }

  /** Every datapoint put so far, in the order received, for reports. */
  samples(): readonly MetricSample[] {
    return this.all;
  }
}
